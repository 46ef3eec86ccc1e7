/**
 * Reads customer files and reports every problem at once: a person fixing a fleet wants the
 * whole list, not one error per run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkCustomerFiles, type CustomerInput } from './check-files';
import { formatIssue, type ValidationIssue } from './json-issues';
import { readInputFile } from './input-file';
import { startSecretlint } from './secretlint-scan';
import { componentPins, stackId, type CustomerSpec } from './schema';

export { CUSTOMER_FILE, GRANT_RENEWAL_DAYS } from './check-files';
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

/** Customer files in a folder, sorted; JSON Schema files beside them are not customers. */
export function customerFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
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
  // The secret scanner loads on another thread while the files are read.
  startSecretlint();
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

/** Pins the release catalog does not know, as issues (the check the per-file checks leave to the loader). */
function versionIssues(file: string, spec: CustomerSpec, checkVersion: VersionCheck): ValidationIssue[] {
  return componentPins(spec).flatMap(({ component, version }) => {
    const hint = checkVersion(component, version);
    return hint === undefined ? [] : [{ file, path: `components.${component}.version`, expected: `a ${component} version from the release catalog`, got: JSON.stringify(version), hint }];
  });
}

/**
 * Validates customer files given as text or bytes (bytes let the reader check UTF-8); the pure
 * core of loadCustomers. `found` is how many files there were, read or not.
 */
export function validateCustomerTexts(inputs: readonly CustomerInput[], opts: LoadOptions, found = inputs.length): LoadResult {
  const customers: LoadedCustomer[] = [];
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (found === 0) {
    issues.push({ file: '(customers folder)', path: '', expected: 'at least one customer file (*.json)', got: 'none', hint: 'add a file per customer environment' });
  }
  for (const [n, r] of checkCustomerFiles(inputs, opts.now).entries()) {
    issues.push(...r.issues);
    if (r.spec === undefined) continue;
    if (r.clean && opts.checkVersion) issues.push(...versionIssues(r.file, r.spec, opts.checkVersion));
    warnings.push(...r.warnings);
    customers.push(loaded(r.file, r.spec, inputs[n].text));
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

