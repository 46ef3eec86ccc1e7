/**
 * Reads customer files and reports every problem at once: a person fixing a fleet wants the
 * whole list, not one error per run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkCustomerFiles, type CustomerInput } from './check-files';
import { formatIssue, show, type ValidationIssue } from './json-issues';
import { pinExpected } from './pin-checks';
import { readInputFile } from './input-file';
import { startSecretlint } from './secretlint-scan';
import { componentPins, stackId, type CustomerSpec } from './schema';

export { CUSTOMER_FILE, GRANT_RENEWAL_DAYS } from './check-files';
export { formatIssue, type ValidationIssue };

export interface LoadedCustomer<T = CustomerSpec> {
  readonly file: string;
  /** The file's validated spec, or what `LoadOptions.keep` kept of it. */
  readonly spec: T;
}

/** Answers whether a component version exists; returns a hint when it does not. */
export type VersionCheck = (component: string, version: string) => string | undefined;

export interface LoadOptions<T = CustomerSpec> {
  /** "Now" for time-dependent checks (expired grants). */
  readonly now: Date;
  /** Checks pins against the release catalog. Default: no catalog check. */
  readonly checkVersion?: VersionCheck;
  /**
   * What to keep of each valid spec, taken while the file is checked: a planner needs a few
   * fields of each, and 10,000 whole specs held live cost time in garbage collection. It must be
   * pure. Default: the whole spec.
   */
  readonly keep?: (spec: CustomerSpec) => T;
}

export interface LoadResult<T = CustomerSpec> {
  readonly customers: LoadedCustomer<T>[];
  readonly issues: ValidationIssue[];
  /** Worth a look, never a failure: expired access grants and grants that expire soon. Default: none. */
  readonly warnings?: ValidationIssue[];
}

/** Customer files in a folder, sorted, and whether the listing says each is a regular file; JSON Schema files beside them are not customers. */
function customerEntries(dir: string): { file: string; listedAsFile: boolean }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name.endsWith('.json') && !e.name.endsWith('.schema.json'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => ({ file: join(dir, e.name), listedAsFile: e.isFile() }));
}

/** Customer files in a folder, sorted; JSON Schema files beside them are not customers. */
export function customerFiles(dir: string): string[] {
  return customerEntries(dir).map((e) => e.file);
}

/** Loads and validates every customer file in `dir`. */
export function loadCustomers<T = CustomerSpec>(dir: string, opts: LoadOptions<T>): LoadResult<T> {
  // The secret scanner loads on another thread while the files are read.
  startSecretlint();
  let files: { file: string; listedAsFile: boolean }[];
  try {
    files = customerEntries(dir);
  } catch (e) {
    return { customers: [], issues: [{ file: dir, path: '', expected: 'a readable folder of customer files', got: (e as Error).message }] };
  }
  const unreadable: ValidationIssue[] = [];
  const inputs: { file: string; text: Uint8Array }[] = [];
  for (const { file, listedAsFile } of files) {
    const read = readInputFile(file, 'a readable customer file', undefined, listedAsFile);
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
    return hint === undefined ? [] : [{ file, path: `components.${component}.version`, expected: pinExpected.inCatalog(component), got: show(version), hint }];
  });
}

/**
 * Validates customer files given as text or bytes (bytes let the reader check UTF-8); the pure
 * core of loadCustomers. `found` is how many files there were, read or not.
 */
export function validateCustomerTexts<T = CustomerSpec>(inputs: readonly CustomerInput[], opts: LoadOptions<T>, found = inputs.length): LoadResult<T> {
  const customers: LoadedCustomer<T>[] = [];
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (found === 0) {
    issues.push({ file: '(customers folder)', path: '', expected: 'at least one customer file (*.json)', got: 'none', hint: 'add a file per customer environment' });
  }
  const keep = opts.keep ?? ((spec: CustomerSpec) => spec as T);
  const results = checkCustomerFiles(inputs, opts.now, (r) => ({
    ...r,
    spec: undefined,
    kept: r.spec && {
      spec: keep(r.spec),
      stack: { id: stackId(r.spec), customer: r.spec.id, environment: r.spec.environment },
      pinIssues: r.clean && opts.checkVersion ? versionIssues(r.file, r.spec, opts.checkVersion) : [],
    },
  }));
  // Files sharing a stack are listed after every file's own issues.
  const duplicates: ValidationIssue[] = [];
  const seen = new Map<string, string>();
  for (const r of results) {
    issues.push(...r.issues);
    if (r.kept === undefined) continue;
    issues.push(...r.kept.pinIssues);
    warnings.push(...r.warnings);
    customers.push({ file: r.file, spec: r.kept.spec });
    const { id, customer, environment } = r.kept.stack;
    const first = seen.get(id);
    if (first !== undefined) {
      duplicates.push({
        file: r.file,
        path: 'id',
        expected: 'a customer id and environment pair used by one file only',
        got: `${JSON.stringify(customer)} (${environment}), also in ${first}`,
        hint: 'two files would deploy the same stack; change the id or the environment, or delete one file',
      });
    } else {
      seen.set(id, r.file);
    }
  }
  return { customers, issues: [...issues, ...duplicates], warnings };
}

