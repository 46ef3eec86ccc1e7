/**
 * Reading `terraform show -json PLANFILE` output. Every way a file can fail to be plan JSON gets
 * its own message, because the usual mistakes in CI are specific: the binary plan file itself,
 * the human-readable `terraform plan` text, or `terraform show -json` of the state (no plan).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const HOW_TO_PRODUCE = 'produce it with: terraform plan -out=PLANFILE && terraform show -json PLANFILE > FILE (for a cdktf stack, in cdktf.out/stacks/<stack>)';

const pathSegment = z.union([z.string(), z.number()]);

const resourceChangeSchema = z.object({
  address: z.string().min(1),
  previous_address: z.string().optional(),
  module_address: z.string().optional(),
  mode: z.string().optional(),
  type: z.string().min(1),
  name: z.string().optional(),
  action_reason: z.string().optional(),
  change: z.object({
    actions: z.array(z.string()).min(1),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    after_unknown: z.unknown().optional(),
    replace_paths: z.array(z.array(pathSegment)).optional(),
  }),
});

/**
 * The action lists `terraform show -json` writes (internal/command/jsonplan, actionString), in
 * their order. Anything else is refused: a reader that guesses would read an unknown
 * destructive action as harmless.
 */
export const KNOWN_ACTION_LISTS: readonly (readonly string[])[] = [
  ['no-op'],
  ['create'],
  ['read'],
  ['update'],
  ['delete'],
  ['forget'],
  ['delete', 'create'],
  ['create', 'delete'],
  ['create', 'forget'],
];

export function isKnownActionList(actions: readonly string[]): boolean {
  return KNOWN_ACTION_LISTS.some((known) => known.length === actions.length && known.every((a, i) => a === actions[i]));
}

export const planJsonSchema = z.object({
  format_version: z.string().regex(/^\d+\.\d+$/, 'expected a version like "1.2"'),
  terraform_version: z.string().optional(),
  // Present in every plan JSON, even an empty one ({"root_module":{}}); state JSON has "values" instead.
  planned_values: z.record(z.string(), z.unknown()),
  // Terraform omits resource_changes when the configuration has no resources.
  resource_changes: z.array(resourceChangeSchema).optional(),
  // Changes made outside Terraform since the last apply, found while refreshing.
  resource_drift: z.array(resourceChangeSchema).optional(),
  // Terraform >= 1.8 with deferrals: changes this plan leaves for a later one.
  deferred_changes: z.array(z.unknown()).optional(),
  errored: z.boolean().optional(),
  complete: z.boolean().optional(),
  variables: z.record(z.string(), z.object({ value: z.unknown() })).optional(),
  configuration: z.unknown().optional(),
});

export type PlanJson = z.infer<typeof planJsonSchema>;
export type PlanResourceChange = z.infer<typeof resourceChangeSchema>;

export type PlanRead = { readonly ok: true; readonly plan: PlanJson } | { readonly ok: false; readonly problem: string };

/** "resource_changes[3].change.actions" */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  let at: unknown = value;
  for (const p of issue.path) at = at === null || at === undefined ? undefined : (at as Record<PropertyKey, unknown>)[p as PropertyKey];
  const what = at === undefined && issue.code === 'invalid_type' ? 'missing' : issue.message;
  return `${formatPath(issue.path)}: ${what}`;
}

/** Why a parsed JSON value is not plan JSON, or the plan. */
export function parsePlanJson(value: unknown): PlanRead {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: `it holds a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not a plan object` };
  }
  const v = value as Record<string, unknown>;
  if (v.format_version === undefined) return { ok: false, problem: 'it has no format_version, so it is not `terraform show -json` output' };
  if ('values' in v && !('planned_values' in v) && !('resource_changes' in v)) {
    return { ok: false, problem: 'it is state JSON (`terraform show -json` without a plan file): it has "values" but no planned_values or resource_changes' };
  }
  const parsed = planJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => describeIssue(i, value));
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    return { ok: false, problem: `it is not plan JSON: ${issues.join('; ')}${more}` };
  }
  const major = Number(parsed.data.format_version.split('.')[0]);
  if (major > 1) return { ok: false, problem: `its format_version ${parsed.data.format_version} is newer than the 0.x/1.x this reads` };
  for (const [list, entries] of [['resource_changes', parsed.data.resource_changes], ['resource_drift', parsed.data.resource_drift]] as const) {
    const i = (entries ?? []).findIndex((rc) => !isKnownActionList(rc.change.actions));
    if (i >= 0) {
      const rc = entries![i];
      return {
        ok: false,
        problem: `${list}[${i}] (${rc.address}): change.actions ${JSON.stringify(rc.change.actions)} is not an action list terraform writes (${KNOWN_ACTION_LISTS.map((k) => JSON.stringify(k)).join(', ')}); it was not written by \`terraform show -json\`, or by a terraform newer than this review knows`,
      };
    }
  }
  if (parsed.data.errored === true) return { ok: false, problem: 'terraform reported errors while planning ("errored": true), so the plan is incomplete; fix the errors and plan again' };
  return { ok: true, plan: parsed.data };
}

/** Reads and validates one plan JSON file; `problem` names what is wrong (the caller adds the file name). */
export function readPlanFile(file: string): PlanRead {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : `cannot read it (${(e as Error).message})` };
  }
  // A saved plan (`terraform plan -out`) is a zip archive.
  if (buffer.subarray(0, 2).toString('latin1') === 'PK') return { ok: false, problem: 'it is a binary plan file from `terraform plan -out`, not its JSON rendering' };
  const text = buffer.toString('utf8');
  if (text.trim() === '') return { ok: false, problem: 'it is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const human = /Terraform (will perform|used the selected providers)|No changes\. Your infrastructure matches/.test(text);
    return { ok: false, problem: human ? 'it is the human-readable output of `terraform plan`, not JSON' : `it is not JSON (${(e as Error).message})` };
  }
  return parsePlanJson(value);
}
