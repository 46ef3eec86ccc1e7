/**
 * Reads customer files and reports every problem at once: a person fixing a fleet wants the
 * whole list, not one error per run.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { customerSchema, stackId, componentPins, type CustomerSpec } from './schema';
import { formatIssue, type ValidationIssue } from './json-issues';
import { readInputFile } from './input-file';
import { checkParsed, type InputKind } from './read-input';
import { parseStrictJson, type StrictJsonResult } from './strict-json';
import { contractIssues } from '../constructs/apps/validate';
import { jsonStrings } from './secret-detector';
import { prescanSecretlint } from './secretlint-scan';

export { formatIssue, type ValidationIssue };


export interface LoadedCustomer {
  readonly file: string;
  readonly spec: CustomerSpec;
  /** The file's text, kept so a rollout can rewrite one pin with a minimal diff. */
  readonly text: string;
}

/** Answers whether a component version exists; returns a hint when it does not. */
export type VersionCheck = (component: string, version: string) => string | undefined;

export interface LoadOptions {
  /** "Now" for time-dependent checks (expired grants). */
  readonly now: Date;
  /** Checks pins against the release catalog. Default: no catalog check. */
  readonly checkVersion?: VersionCheck;
}

export interface LoadResult {
  readonly customers: LoadedCustomer[];
  readonly issues: ValidationIssue[];
  /** Worth a look, never a failure: expired access grants and grants that expire soon. Default: none. */
  readonly warnings?: ValidationIssue[];
}

/** A grant that ends within this many days is listed, so someone renews it in time. */
export const GRANT_RENEWAL_DAYS = 14;

/**
 * Expired grants warn instead of failing: they already vanish from the synthesized stack and
 * their IAM condition has ended them, so one stale grant must not stop CI for every customer.
 */
function grantWarnings(file: string, spec: CustomerSpec, now: Date): ValidationIssue[] {
  const today = now.toISOString().slice(0, 10);
  const soon = new Date(now.getTime() + GRANT_RENEWAL_DAYS * 86_400_000).toISOString().slice(0, 10);
  return spec.accessGrants.flatMap((g, i) => {
    if (g.status !== 'approved' || g.expires >= soon) return [];
    const expired = g.expires < today;
    return [
      {
        file,
        path: `accessGrants.${i}.expires`,
        expected: expired ? `an expiry on or after ${today} for an approved grant` : `an expiry after ${soon} (${GRANT_RENEWAL_DAYS} days from ${today})`,
        got: JSON.stringify(g.expires),
        hint: expired
          ? `grant "${g.id}" has expired and is no longer deployed: remove it, or record a new approval with a new expiry`
          : `grant "${g.id}" ends on ${g.expires}: renew it with a new approval, or let it lapse`,
      },
    ];
  });
}

/** Customer files in a folder, sorted; JSON Schema files beside them are not customers. */
export function customerFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** How customer files are read; the default limits (4 MiB, 64 levels) are far above any real one. */
export const CUSTOMER_FILE: InputKind<typeof customerSchema> = {
  schema: customerSchema,
  noun: 'customer files',
  schemaHint: 'customers/customer.schema.json',
  secretHint: 'store the value in the secret manager and list only its name under the component\'s "secrets"',
};

/** Every principal the stack will trust or grant to must be on the file's allow-list (trustedPrincipals). */
function trustIssues(file: string, spec: CustomerSpec): ValidationIssue[] {
  const allowed = new Set(spec.trustedPrincipals.map((t) => t.principal));
  const roleMembers =
    spec.cloud === 'aws'
      ? spec.roles.flatMap((r, i) => r.assumedBy.map((principal, j) => ({ path: `roles.${i}.assumedBy.${j}`, principal })))
      : spec.roles.flatMap((r, i) => r.members.map((principal, j) => ({ path: `roles.${i}.members.${j}`, principal })));
  const trusted: { path: string; principal: string }[] = [
    ...spec.operators.principals.map((principal, i) => ({ path: `operators.principals.${i}`, principal })),
    ...roleMembers,
    ...spec.accessGrants.flatMap((g, i) => (g.status === 'approved' ? [{ path: `accessGrants.${i}.principal`, principal: g.principal }] : [])),
  ];
  return trusted
    .filter((t) => !allowed.has(t.principal))
    .map((t) => ({
      file,
      path: t.path,
      expected: 'a principal listed under trustedPrincipals',
      got: JSON.stringify(t.principal),
      hint: `add { "principal": ..., "reason": ... } to trustedPrincipals, saying why this principal may have access to the customer's ${spec.cloud === 'aws' ? 'account' : 'project'}`,
    }));
}

/** Checks that need more than one field, or more than one file, or the clock. */
function semanticIssues(file: string, spec: CustomerSpec, opts: LoadOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const expectedName = `${stackId(spec)}.json`;
  if (basename(file) !== expectedName) {
    issues.push({ file, path: '', expected: `file name ${expectedName}`, got: basename(file), hint: `rename the file to ${expectedName}` });
  }
  spec.rollout.holds.forEach((h, i) => {
    if (!(h.component in spec.components)) {
      issues.push({
        file,
        path: `rollout.holds.${i}.component`,
        expected: 'a component this environment runs',
        got: JSON.stringify(h.component),
        hint: 'remove the hold or fix the component name',
      });
    }
  });
  issues.push(...trustIssues(file, spec));
  // Every pin needs a runtime contract on its cloud, and settings and secrets that contract knows.
  const components = spec.components as Record<string, { version: string; settings?: Record<string, unknown>; secrets?: string[] }>;
  for (const { component } of componentPins(spec)) {
    for (const issue of contractIssues(component, components[component], spec.cloud)) issues.push({ file, ...issue });
  }
  if (opts.checkVersion) {
    for (const { component, version } of componentPins(spec)) {
      const hint = opts.checkVersion(component, version);
      if (hint !== undefined) {
        issues.push({
          file,
          path: `components.${component}.version`,
          expected: `a ${component} version from the release catalog`,
          got: JSON.stringify(version),
          hint,
        });
      }
    }
  }
  return issues;
}

/** The text is decoded when first read: only a rollout's pin edit needs it, and a fleet's worth is 40 MB. */
function loaded(file: string, spec: CustomerSpec, content: string | Uint8Array): LoadedCustomer {
  let text = typeof content === 'string' ? content : undefined;
  return {
    file,
    spec,
    get text() {
      return (text ??= Buffer.from(content as Uint8Array).toString('utf8'));
    },
  };
}

/** Loads and validates every customer file in `dir`. */
export function loadCustomers(dir: string, opts: LoadOptions): LoadResult {
  let files: string[];
  try {
    files = customerFiles(dir);
  } catch (e) {
    return { customers: [], issues: [{ file: dir, path: '', expected: 'a readable folder of customer files', got: (e as Error).message }] };
  }
  const unreadable: ValidationIssue[] = [];
  const inputs: { file: string; text: Uint8Array }[] = [];
  for (const file of files) {
    const read = readInputFile(file, 'a readable customer file');
    if (read.bytes) inputs.push({ file, text: read.bytes });
    else unreadable.push(read.issue!);
  }
  const result = validateCustomerTexts(inputs, opts, files.length);
  return { customers: result.customers, issues: [...unreadable, ...result.issues], warnings: result.warnings };
}

/**
 * Validates customer files given as text or bytes (bytes let the reader check UTF-8); the pure
 * core of loadCustomers. `found` is how many files there were, read or not.
 */
export function validateCustomerTexts(inputs: readonly { file: string; text: string | Uint8Array }[], opts: LoadOptions, found = inputs.length): LoadResult {
  const customers: LoadedCustomer[] = [];
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (found === 0) {
    issues.push({ file: '(customers folder)', path: '', expected: 'at least one customer file (*.json)', got: 'none', hint: 'add a file per customer environment' });
  }
  const parsed: (StrictJsonResult | undefined)[] = inputs.map(({ file, text }) => parseStrictJson(file, text, CUSTOMER_FILE.limits));
  // One secretlint pass over every file's strings; the per-file scans below then find them known.
  // If it fails, those scans run secretlint themselves and fail closed with an issue per file.
  try {
    prescanSecretlint(jsonStrings(parsed.map((p) => p!.raw ?? p!.scannable)));
  } catch {
    // reported by the per-file scans
  }
  for (const [n, { file, text }] of inputs.entries()) {
    const checked = checkParsed(file, parsed[n]!, CUSTOMER_FILE);
    // Checked, the parsed JSON is garbage (the schema's output is a copy): a fleet's worth would stay live.
    parsed[n] = undefined;
    issues.push(...checked.issues);
    if (checked.data === undefined) continue;
    // A file with a suspected secret gets no further checks: their messages quote field names and values.
    if (checked.issues.length === 0) issues.push(...semanticIssues(file, checked.data, opts));
    warnings.push(...grantWarnings(file, checked.data, opts.now));
    customers.push(loaded(file, checked.data, text));
  }
  const seen = new Map<string, string>();
  for (const c of customers) {
    const id = stackId(c.spec);
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({
        file: c.file,
        path: 'id',
        expected: 'a customer id and environment pair used by one file only',
        got: `${JSON.stringify(c.spec.id)} (${c.spec.environment}), also in ${first}`,
        hint: 'two files would deploy the same stack; change the id or the environment, or delete one file',
      });
    } else {
      seen.set(id, c.file);
    }
  }
  return { customers, issues, warnings };
}

