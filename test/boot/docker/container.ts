/**
 * One `docker run` the script made, as the container would see it: the environment docker builds
 * (env files, then --env flags), the bind mounts, and the files at container paths (taken from the
 * copies the docker stub made at the moment of the call).
 */
import { posix } from 'node:path';
import type { StubCall } from '../sandbox/sandbox';
import { parseEnvFile } from './env-file';
import { flag, optionValues, parseRunArgs, type ParsedRun } from './run-args';

export interface Mount {
  readonly source: string;
  readonly target: string;
  readonly type: string;
  readonly readOnly: boolean;
}

export interface Container {
  readonly call: StubCall;
  readonly run: ParsedRun;
  readonly name: string;
  readonly detached: boolean;
  /** Image repository without registry host and tag, e.g. snowplow/snowplow-enrich-kinesis. */
  readonly repository: string;
  readonly tag: string;
  readonly env: ReadonlyMap<string, string>;
  readonly mounts: readonly Mount[];
  /** Problems docker itself reports before starting the container. */
  readonly dockerErrors: readonly string[];
  readonly envFileWarnings: readonly string[];
}

export type ContainerFile = { readonly kind: 'file'; readonly host: string; readonly content: Buffer } | { readonly kind: 'dir'; readonly host: string; readonly entries: ReadonlyMap<string, Buffer> } | { readonly kind: 'absent'; readonly why: string };

function parseMount(spec: string): Mount | string {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    fields.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? 'true' : part.slice(eq + 1));
  }
  const target = fields.get('target') ?? fields.get('destination') ?? fields.get('dst');
  if (!target) return `--mount ${spec}: no target`;
  const ro = fields.get('readonly') ?? fields.get('ro');
  return { source: fields.get('source') ?? fields.get('src') ?? '', target, type: fields.get('type') ?? 'volume', readOnly: ro !== undefined && ro !== 'false' && ro !== '0' };
}

function parseVolume(spec: string): Mount | string {
  const parts = spec.split(':');
  if (parts.length < 2) return { source: '', target: spec, type: 'volume', readOnly: false };
  const [source, target, mode = ''] = parts;
  if (!target.startsWith('/')) return `--volume ${spec}: the container path must be absolute`;
  return { source, target, type: source.startsWith('/') ? 'bind' : 'volume', readOnly: mode.split(',').includes('ro') };
}

export function containerOf(call: StubCall, argvAfterRun: readonly string[], hostname: string): Container {
  const run = parseRunArgs(argvAfterRun);
  const dockerErrors = [...run.errors];
  const envFileWarnings: string[] = [];
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', hostname],
  ]);
  for (const file of optionValues(run, 'env-file')) {
    const content = call.files.get(file);
    if (content === undefined) {
      dockerErrors.push(`--env-file ${file}: open ${file}: no such file or directory`);
      continue;
    }
    const parsed = parseEnvFile(file, content, call.env);
    dockerErrors.push(...parsed.errors);
    envFileWarnings.push(...parsed.suspicious);
    for (const [k, v] of parsed.env) env.set(k, v);
  }
  for (const e of optionValues(run, 'env')) {
    const eq = e.indexOf('=');
    if (eq === 0) dockerErrors.push(`--env ${e}: no variable name`);
    else if (eq < 0) {
      if (call.env[e] !== undefined) env.set(e, call.env[e]);
      else env.delete(e);
    } else env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const mounts: Mount[] = [];
  for (const v of optionValues(run, 'volume')) {
    const m = parseVolume(v);
    if (typeof m === 'string') dockerErrors.push(m);
    else mounts.push(m);
  }
  for (const v of optionValues(run, 'mount')) {
    const m = parseMount(v);
    if (typeof m === 'string') dockerErrors.push(m);
    else {
      if (m.type === 'bind' && call.missing.includes(m.source)) dockerErrors.push(`--mount ${v}: bind source path does not exist: ${m.source}`);
      mounts.push(m);
    }
  }
  const ref = run.image;
  const at = ref.lastIndexOf(':');
  const slash = ref.lastIndexOf('/');
  const hasTag = at > slash;
  const repoWithHost = hasTag ? ref.slice(0, at) : ref;
  const segments = repoWithHost.split('/');
  // Drop a registry host (it has a dot or a port), keep namespace/name.
  const repository = segments.length > 2 || /[.:]/.test(segments[0]) ? segments.slice(-2).join('/') : repoWithHost;
  return {
    call,
    run,
    name: optionValues(run, 'name').pop() ?? '',
    detached: flag(run, 'detach'),
    repository,
    tag: hasTag ? ref.slice(at + 1) : 'latest',
    env,
    mounts,
    dockerErrors,
    envFileWarnings,
  };
}

/** What the container finds at a path: a bind-mounted file or directory, or why nothing is there. */
export function fileAt(c: Container, containerPath: string): ContainerFile {
  const path = posix.normalize(containerPath);
  const mount = [...c.mounts]
    .filter((m) => path === m.target || path.startsWith(m.target.endsWith('/') ? m.target : `${m.target}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!mount) return { kind: 'absent', why: `${containerPath} is not under any mount of the container (mounts: ${c.mounts.map((m) => m.target).join(', ') || 'none'})` };
  if (mount.type !== 'bind') return { kind: 'absent', why: `${containerPath} is on a ${mount.type} mount, not a file the script wrote` };
  const host = posix.join(mount.source, posix.relative(mount.target, path));
  const content = c.call.files.get(host);
  if (content !== undefined) return { kind: 'file', host, content };
  if (c.call.dirs.has(host)) {
    const entries = new Map<string, Buffer>();
    for (const [p, b] of c.call.files) if (posix.dirname(p) === host) entries.set(posix.basename(p), b);
    return { kind: 'dir', host, entries };
  }
  return { kind: 'absent', why: `${containerPath} (host ${host}) does not exist when the container starts` };
}
