/**
 * Reads customer files and reports every problem at once: a person fixing a fleet wants the
 * whole list, not one error per run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { customerSchema, stackId, componentPins, type CustomerSpec } from './schema';
import { formatIssue, parseJson, zodIssues, type ValidationIssue } from './json-issues';
import { findSecrets } from './secret-detector';
import { contractIssues } from '../constructs/apps/validate';

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
}

/** Customer files in a folder, sorted; JSON Schema files beside them are not customers. */
export function customerFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}






/** Checks that need more than one field, or more than one file, or the clock. */
function semanticIssues(file: string, spec: CustomerSpec, opts: LoadOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const expectedName = `${stackId(spec)}.json`;
  if (basename(file) !== expectedName) {
    issues.push({ file, path: '', expected: `file name ${expectedName}`, got: basename(file), hint: `rename the file to ${expectedName}` });
  }
  const today = opts.now.toISOString().slice(0, 10);
  spec.accessGrants.forEach((g, i) => {
    if (g.status === 'approved' && g.expires < today) {
      issues.push({
        file,
        path: `accessGrants.${i}.expires`,
        expected: `an expiry on or after ${today} for an approved grant`,
        got: JSON.stringify(g.expires),
        hint: `grant "${g.id}" has expired: remove it, or record a new approval with a new expiry`,
      });
    }
  });
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

/** Loads and validates every customer file in `dir`. */
export function loadCustomers(dir: string, opts: LoadOptions): LoadResult {
  let files: string[];
  try {
    files = customerFiles(dir);
  } catch (e) {
    return { customers: [], issues: [{ file: dir, path: '', expected: 'a readable folder of customer files', got: (e as Error).message }] };
  }
  return validateCustomerTexts(
    files.map((file) => ({ file, text: readFileSync(file, 'utf8') })),
    opts,
  );
}

/** Validates customer files given as text; the pure core of loadCustomers. */
export function validateCustomerTexts(inputs: readonly { file: string; text: string }[], opts: LoadOptions): LoadResult {
  const customers: LoadedCustomer[] = [];
  const issues: ValidationIssue[] = [];
  if (inputs.length === 0) {
    issues.push({ file: '(customers folder)', path: '', expected: 'at least one customer file (*.json)', got: 'none', hint: 'add a file per customer environment' });
  }
  for (const { file, text } of inputs) {
    const parsed = parseJson(file, text);
    issues.push(...parsed.issues);
    if (parsed.raw === undefined) continue;
    // Secrets first: a credential in a customer file is the worst mistake it can hold.
    for (const finding of findSecrets(parsed.raw, { skip: (p) => p[0] === '$schema' })) {
      issues.push({
        file,
        path: finding.path,
        expected: 'no secret values in customer files',
        got: `a value that looks like a secret (${finding.reason})`,
        hint: 'store the value in the secret manager and list only its name under the component\'s "secrets"',
      });
    }
    const result = customerSchema.safeParse(parsed.raw);
    if (!result.success) {
      issues.push(...zodIssues(file, parsed.raw, result.error, 'customers/customer.schema.json'));
      continue;
    }
    issues.push(...semanticIssues(file, result.data, opts));
    customers.push({ file, spec: result.data, text });
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
  return { customers, issues };
}

