/**
 * Which stack a plan is of, read from the plan itself: our stacks write the customer and
 * environment into every provider's default tags (AWS) or default labels (GCP), the AWS
 * provider's assume-role session name is `fleet-<stack>`, and the providers copy the default
 * tags into each resource's `tags_all` / `terraform_labels`. The file name is only a claim
 * that must agree: a plan saved under another stack's name is compared with the wrong
 * prediction otherwise.
 */
import { basename } from 'node:path';
import type { PlanJson } from './plan-json';

export type IdentitySource = 'provider tags' | 'provider session name' | 'resource tags';

export interface PlanIdentity {
  /** Every stack id the plan names, with where (sorted). One entry for a well-formed plan. */
  readonly claims: ReadonlyMap<string, readonly IdentitySource[]>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function fromTags(tags: Record<string, unknown> | undefined): string | undefined {
  return typeof tags?.customer === 'string' && typeof tags?.environment === 'string' && tags.customer !== '' && tags.environment !== ''
    ? `${tags.customer}-${tags.environment}`
    : undefined;
}

/** A block in provider_config expressions: a list of expression objects (or one object). */
function block(value: unknown): Record<string, unknown> | undefined {
  return Array.isArray(value) ? record(value[0]) : record(value);
}

export function planIdentity(plan: PlanJson): PlanIdentity {
  const claims = new Map<string, Set<IdentitySource>>();
  const claim = (stack: string | undefined, source: IdentitySource) => {
    if (stack !== undefined) claims.set(stack, (claims.get(stack) ?? new Set()).add(source));
  };
  const providers = record(record(plan.configuration)?.provider_config) ?? {};
  for (const key of Object.keys(providers).sort()) {
    const expressions = record(record(providers[key])?.expressions);
    if (!expressions) continue;
    // AWS: default_tags { tags = {...} } is a block; Google: default_labels = {...} is a map.
    claim(fromTags(record(record(block(expressions.default_tags)?.tags)?.constant_value)), 'provider tags');
    claim(fromTags(record(record(expressions.default_labels)?.constant_value)), 'provider tags');
    const session = record(block(expressions.assume_role)?.session_name)?.constant_value;
    // The session name is cut at 64 characters, so only a shorter one names the whole id.
    if (typeof session === 'string' && session.startsWith('fleet-') && session.length < 64) claim(session.slice('fleet-'.length), 'provider session name');
  }
  for (const rc of [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])]) {
    for (const values of [record(rc.change.after), record(rc.change.before)]) {
      claim(fromTags(record(values?.tags_all)), 'resource tags');
      claim(fromTags(record(values?.terraform_labels)), 'resource tags');
    }
  }
  return { claims: new Map([...claims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, [...v].sort()])) };
}

/** "acme-retail-prod.plan.json" or "acme-retail-prod.json" -> "acme-retail-prod"; generic names ("plan.json", "tfplan.json") name no stack. */
export function stackFromFileName(file: string): string | undefined {
  const name = basename(file).replace(/\.plan\.json$|\.json$/i, '');
  if (name === basename(file) || name === '' || /^(tf)?plan$/i.test(name)) return undefined;
  return name;
}

export type StackResolution =
  | { readonly ok: true; readonly stack: string; readonly source: string }
  | { readonly ok: false; readonly problem: string };

/**
 * The stack a plan file is reviewed as. The plan's own identity wins and must agree with
 * `--stack` and the file name; a plan that names no stack is reviewed under its file name, but
 * cannot be compared with a staged prediction (`comparing`).
 */
export function resolveStack(file: string, plan: PlanJson, options: { readonly stackOption?: string; readonly comparing: boolean }): StackResolution {
  const { claims } = planIdentity(plan);
  const fromName = stackFromFileName(file);
  const describe = (stack: string) => `${stack} (from ${claims.get(stack)!.join(', ')})`;
  if (claims.size > 1) {
    return { ok: false, problem: `the plan names more than one stack: ${[...claims.keys()].map(describe).join('; ')}; plan one stack per file (cdktf.out/stacks/<stack>)` };
  }
  const [own] = [...claims.keys()];
  if (own !== undefined) {
    if (options.stackOption !== undefined && options.stackOption !== own) {
      return { ok: false, problem: `it is the plan of ${describe(own)}, but --stack says ${options.stackOption}; pass the plan of ${options.stackOption}, or --stack ${own}` };
    }
    if (options.stackOption === undefined && fromName !== undefined && fromName !== own) {
      return { ok: false, problem: `it is the plan of ${describe(own)}, but its file name says ${fromName}; save each stack's plan as <stack>.plan.json (this one as ${own}.plan.json)` };
    }
    return { ok: true, stack: own, source: claims.get(own)!.join(', ') };
  }
  if (options.comparing) {
    return {
      ok: false,
      problem:
        'the plan names no stack (no customer/environment in the provider default tags or labels, nor in any resource tags), so it cannot be compared with the staged plan: plan the stack from cdktf.out/stacks/<stack>, whose providers set them',
    };
  }
  if (options.stackOption !== undefined) return { ok: true, stack: options.stackOption, source: 'option (the plan names no stack)' };
  return fromName !== undefined ? { ok: true, stack: fromName, source: 'file name' } : { ok: true, stack: basename(file), source: 'file name (no stack id found)' };
}
