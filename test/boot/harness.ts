/**
 * The boot-script harness: synthesizes a customer stack, runs each VM's boot script in the
 * sandbox, and lists what would keep each container from starting as its contract says
 * (app-contracts.md, the checker rules of §12). Every result is a list of readable problems; an
 * empty list means the VM would boot its apps.
 */
import { createHash } from 'node:crypto';
import { Testing } from 'cdktf';
import { COMPONENT_IDS, type CustomerSpec } from '../../customers/schema';
import { PipelineStack } from '../../stacks/pipeline-stack';
import { NOW } from '../support/specs';
import { APP_CHECKS, appFor } from './contracts';
import { stackFacts, type StackFacts } from './contracts/stack-facts';
import { bootScripts, renderTerraformString, type BootScript, type StackJson } from './extract';
import { containerOf, type Container } from './docker/container';
import { dockerChecks } from './docker/checks';
import { dockerSubcommand } from './docker/run-args';
import { identityFor, SECRET_VALUES, secretPlainValues, type Identity } from './sandbox/identity';
import { runBootScript, type RunResult, type SecretMode } from './sandbox/sandbox';
import { hostChecks } from './host-checks';
import { servingOf } from './contracts/serving';
import type { Listening } from './contracts/app-check';

export interface ScriptResult {
  readonly problems: string[];
  readonly containers: number;
  /** The apps this VM runs long-lived: "<component> <role>". */
  readonly apps: string[];
  /** Values checks noted for the stack-wide rules (e.g. the queue the transformer writes to). */
  readonly notes: [string, string][];
}

interface StackUnderTest {
  readonly label: string;
  readonly spec: CustomerSpec;
  readonly stack: StackJson;
  readonly facts: StackFacts;
  readonly scripts: readonly BootScript[];
}

/** SSM parameters as Terraform would write them, for the aws stub to answer. */
function parametersOf(stack: StackJson): Record<string, { value: string; secure: boolean }> {
  const out: Record<string, { value: string; secure: boolean }> = {};
  for (const p of Object.values(stack.resource.aws_ssm_parameter ?? {})) {
    if (typeof p.name !== 'string' || typeof p.value !== 'string') continue;
    out[p.name] = { value: renderTerraformString(stack, p.value, '').text, secure: p.type === 'SecureString' };
  }
  return out;
}

function project(spec: CustomerSpec): { region: string; account: string } {
  return spec.cloud === 'aws' ? { region: spec.aws.region, account: spec.aws.accountId } : { region: spec.gcp.region, account: spec.gcp.projectId };
}

export function synthesize(label: string, spec: CustomerSpec): StackUnderTest {
  const stack = JSON.parse(Testing.synth(new PipelineStack(Testing.app(), { spec, now: NOW }))) as StackJson;
  const gcpProject = spec.cloud === 'gcp' ? spec.gcp.projectId : '';
  return { label, spec, stack, facts: stackFacts(stack, gcpProject), scripts: bootScripts(stack, gcpProject) };
}

/** The customer component a template serves: its tag ("s3-loader-enriched" -> s3-loader). */
export function componentOfTemplate(tag: string): string | undefined {
  return [...COMPONENT_IDS].sort((a, b) => b.length - a.length).find((c) => tag === c || tag.startsWith(`${c}-`));
}

export function containersOf(result: RunResult, identity: Identity): Container[] {
  const out: Container[] = [];
  for (const call of result.calls) {
    if (call.tool !== 'docker') continue;
    const { sub, rest } = dockerSubcommand(call.argv);
    if (sub === 'run' || sub === 'create') out.push(containerOf(call, rest, identity.hostname));
  }
  return out;
}

/** Secret values handed out during a run, with what a container may derive from each. */
function secretsOf(result: RunResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of result.calls) if (c.secret) secretPlainValues(c.secret.value).forEach((v, i) => out.set(i === 0 ? c.secret!.id : `${c.secret!.id}#password`, v));
  return out;
}

/** A value, or each line of a multi-line value, found somewhere it must not be. */
function leaks(secrets: ReadonlyMap<string, string>, haystack: string): string[] {
  const found: string[] = [];
  for (const [id, value] of secrets) {
    if (value.length < 8) continue;
    const needles = value.includes('\n') ? value.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')) : [value];
    if (needles.some((n) => haystack.includes(n))) found.push(id);
  }
  return found;
}

/** The customer component a VM serves: from its tag, else from the images it runs (when the customer has that component). */
function componentOfScript(s: StackUnderTest, script: BootScript, containers: readonly Container[]): string | undefined {
  const tagged = componentOfTemplate(script.component);
  if (tagged) return tagged;
  const components = s.spec.components as Record<string, unknown>;
  return containers.map((c) => appFor(c.repository)?.check.component).find((c) => c !== undefined && components[c] !== undefined);
}

async function containerProblems(s: StackUnderTest, script: BootScript, containers: readonly Container[], result: RunResult, notes: [string, string][]): Promise<string[]> {
  const out: string[] = [];
  const component = componentOfScript(s, script, containers);
  const pin = component ? (s.spec.components as Record<string, { version: string; sizing: { maxSize: number } } | undefined>)[component] : undefined;
  const secrets = secretsOf(result);
  const listening: (Listening & { who: string })[] = [];
  for (const c of containers) {
    const who = c.name || c.run.image;
    for (const p of dockerChecks(c)) out.push(`${who}: ${p}`);
    const leaked = leaks(secrets, c.call.argv.join('\n'));
    if (leaked.length > 0) out.push(`${who}: the docker command line holds the value of ${leaked.join(', ')} (visible in the process list and the instance's logs)`);
    const app = appFor(c.repository);
    if (!app) {
      out.push(`${who}: image ${c.run.image} is no app the contracts know`);
      continue;
    }
    if (app.check.component !== component) {
      out.push(`${who}: image ${c.run.image} is ${app.check.component}, but the VM serves ${component ?? script.component}`);
      continue;
    }
    if (app.cloud && app.cloud !== script.cloud) out.push(`${who}: ${c.repository} is the ${app.cloud} image, this VM runs on ${script.cloud}`);
    if (pin && c.tag !== pin.version) out.push(`${who}: image tag ${c.tag} is not the pinned version ${pin.version}`);
    const ctx = {
      spec: s.spec,
      cloud: script.cloud,
      component: app.check.component,
      version: pin?.version ?? c.tag,
      container: c,
      script: containers,
      stack: s.facts,
      maxInstances: pin?.sizing.maxSize ?? 1,
      securityGroups: (script.resource.vpc_security_group_ids as string[] | undefined) ?? [],
      secrets,
      note: (key: string, value: string) => notes.push([key, value]),
    };
    for (const p of await app.check.check(ctx, app.role)) out.push(`${who}: ${p}`);
    if (c.detached && app.check.listens) {
      const l = await app.check.listens(ctx, app.role);
      if (l) listening.push({ ...l, who });
    }
  }
  out.push(...servingProblems(s, script, listening));
  return out;
}

/** Every port the cloud sends traffic or health checks to is one an app listens on, with a path it serves, and the network lets it in. */
function servingProblems(s: StackUnderTest, script: BootScript, listening: readonly (Listening & { who: string })[]): string[] {
  const out: string[] = [];
  const serving = servingOf(s.stack, script, s.facts);
  for (const probe of serving.probes) {
    const app = listening.find((l) => l.port === probe.port);
    if (!app) {
      out.push(`${probe.what} targets port ${probe.port}, where no container listens (${listening.map((l) => `${l.who} on ${l.port}`).join(', ') || 'none listens'})`);
      continue;
    }
    if (probe.path !== undefined && !app.healthPaths.test(probe.path)) out.push(`${probe.what} asks ${app.who} for ${probe.path}, which is not a health endpoint of the app (${app.healthPaths})`);
    if (!serving.admits(probe.port)) out.push(`${probe.what} sends to port ${probe.port}, but the ${script.cloud === 'aws' ? 'security groups' : 'VPC firewall'} let nothing in on it`);
  }
  return out;
}

/** Boots a second instance and compares the values that must be unique per instance. */
async function perInstanceProblems(s: StackUnderTest, script: BootScript, first: readonly Container[], firstResult: RunResult): Promise<string[]> {
  const component = componentOfScript(s, script, first);
  const pin = component ? (s.spec.components as Record<string, { version: string; sizing: { maxSize: number } } | undefined>)[component] : undefined;
  const apps = first.map((c) => appFor(c.repository)).filter((a) => a?.check.perInstance);
  if (!pin || pin.sizing.maxSize < 2 || apps.length === 0) return [];
  const { region, account } = project(s.spec);
  const identity = identityFor(script.cloud, region, account, 2);
  const second = await runBootScript(script.script, { identity, values: SECRET_VALUES, parameters: parametersOf(s.stack) });
  const secondContainers = containersOf(second, identity);
  const out: string[] = [];
  for (const [i, c] of first.entries()) {
    const app = appFor(c.repository);
    const other = secondContainers[i];
    if (!app?.check.perInstance || !other) continue;
    const base = { spec: s.spec, cloud: script.cloud, component: app.check.component, version: pin.version, stack: s.facts, maxInstances: pin.sizing.maxSize, securityGroups: [], note: () => {} };
    const a = await app.check.perInstance({ ...base, container: c, script: first, secrets: secretsOf(firstResult) });
    const b = await app.check.perInstance({ ...base, container: other, script: secondContainers, secrets: secretsOf(second) });
    if (JSON.stringify(a.value) === JSON.stringify(b.value)) {
      out.push(`${c.name || c.run.image}: ${a.key} is ${JSON.stringify(a.value)} on every instance; up to ${pin.sizing.maxSize} run at once and each needs its own`);
    }
  }
  return out;
}

/** A secret that cannot be read, or is empty, must stop the boot with a line that names it. */
async function secretFailureProblems(script: BootScript, identity: Identity, ok: RunResult, spec: CustomerSpec, parameters: ReturnType<typeof parametersOf>): Promise<string[]> {
  const out: string[] = [];
  const fetched = ok.calls.filter((c) => c.secret).map((c) => c.secret!.id);
  const secretNames = Object.values(spec.components as Record<string, { secrets?: string[] }>).flatMap((c) => c.secrets ?? []);
  for (const id of [...new Set(fetched)]) {
    for (const kind of ['fail', 'empty'] as const) {
      const mode: SecretMode = { kind, secretId: id };
      const r = await runBootScript(script.script, { identity, values: SECRET_VALUES, mode, parameters });
      const what = kind === 'fail' ? 'cannot be read' : 'is empty';
      const started = containersOf(r, identity).filter((c) => c.detached);
      if (r.exitCode === 0) out.push(`when secret ${id} ${what}, the boot script exits 0`);
      if (started.length > 0) out.push(`when secret ${id} ${what}, the boot still starts ${started.map((c) => c.name || c.run.image).join(', ')}`);
      const names = [id, id.split('/').pop()!, ...secretNames.filter((n) => id.includes(n))];
      // An RDS-managed master secret has no name of ours; a line about the database password names it well enough.
      const rds = id.includes('rds!');
      const line = r.log.split('\n').find((l) => names.some((n) => l.includes(n)) || (rds && /db-password|database password|rds/i.test(l)));
      if (r.exitCode !== 0 && !line) out.push(`when secret ${id} ${what}, no log line names the secret (log: ${JSON.stringify(r.log.trim().split('\n').slice(-2).join(' | '))})`);
    }
  }
  return out;
}

const cache = new Map<string, Promise<ScriptResult>>();

async function checkScript(s: StackUnderTest, script: BootScript): Promise<ScriptResult> {
  const { region, account } = project(s.spec);
  const identity = identityFor(script.cloud, region, account);
  const result = await runBootScript(script.script, { identity, values: SECRET_VALUES, parameters: parametersOf(s.stack) });
  const problems: string[] = [];
  if (result.exitCode !== 0) problems.push(`boot script exits ${result.exitCode}: ${result.log.trim().split('\n').slice(-3).join(' | ')}`);
  const containers = containersOf(result, identity);
  if (!containers.some((c) => c.detached)) problems.push('boot script starts no long-running container');
  const notes: [string, string][] = [];
  problems.push(...(await containerProblems(s, script, containers, result, notes)));
  problems.push(...hostChecks(script, result, s.facts, secretsOf(result), leaks));
  problems.push(...(await perInstanceProblems(s, script, containers, result)));
  problems.push(...(await secretFailureProblems(script, identity, result, s.spec, parametersOf(s.stack))));
  const apps = containers
    .filter((c) => c.detached)
    .map((c) => appFor(c.repository))
    .filter((a) => a !== undefined)
    .map((a) => `${a!.check.component} ${a!.role}`);
  return { problems, containers: containers.length, apps, notes };
}

/** Checks one boot script; identical scripts (same text, same stack resources) are run once. */
export function checkBootScript(s: StackUnderTest, script: BootScript): Promise<ScriptResult> {
  const key = createHash('sha256').update(script.script).update(JSON.stringify([s.spec.id, s.spec.environment, ...s.facts.kinesisStreams])).digest('hex');
  let p = cache.get(key);
  if (!p) {
    p = checkScript(s, script);
    cache.set(key, p);
  }
  return p;
}

/** The long-running apps each component needs (app-contracts.md §6.1 and §8: RDB loader and BigQuery loader 1.x run several). */
export function expectedApps(component: string, version: string): string[] {
  const major = Number(version.split('.')[0]);
  if (component === 'rdb-loader') return ['rdb-loader transformer', 'rdb-loader loader'];
  if (component === 'bigquery-loader') return major < 2 ? ['bigquery-loader streamloader', 'bigquery-loader mutator', 'bigquery-loader repeater'] : ['bigquery-loader loader'];
  const check = APP_CHECKS.find((c) => c.component === component);
  return check ? [`${component} ${Object.values(check.images)[0].role}`] : [];
}

export { APP_CHECKS };
