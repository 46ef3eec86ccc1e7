/**
 * The checks of each customer file on its own: the strict reader, the secret scan, the schema,
 * then the checks across its fields and the app contracts, and its grant warnings. They need
 * nothing but the file and the clock; customers/load.ts adds the catalog and cross-file checks.
 */
import { basename } from 'node:path';
import { compressionOf } from '../constructs/apps/compression';
import { contractIssues } from '../constructs/apps/validate';
import type { ValidationIssue } from './json-issues';
import { checkParsed, secretSkip, type InputKind } from './read-input';
import { customerSchema, stackId, componentPins, type CustomerSpec } from './schema';
import { SecretScanner, type SecretScan } from './secret-detector';
import { parseStrictJson, type StrictJsonResult } from './strict-json';

export interface CustomerInput {
  readonly file: string;
  /** The file's bytes (so the reader checks UTF-8 too) or its text. */
  readonly text: string | Uint8Array;
}

export interface FileResult {
  readonly file: string;
  readonly issues: ValidationIssue[];
  readonly warnings: ValidationIssue[];
  /** The schema's output, when the reader and the schema accept the file. */
  readonly spec?: CustomerSpec;
  /** The reader, the secret scan and the schema found nothing, so the semantic checks ran. */
  readonly clean: boolean;
}

/** How customer files are read; the default limits (4 MiB, 64 levels) are far above any real one. */
export const CUSTOMER_FILE: InputKind<typeof customerSchema> = {
  schema: customerSchema,
  noun: 'customer files',
  schemaHint: 'customers/customer.schema.json',
  secretHint: 'store the value in the secret manager and list only its name under the component\'s "secrets"',
};

/** A grant that ends within this many days is listed, so someone renews it in time. */
export const GRANT_RENEWAL_DAYS = 14;

/** Today and the last day a grant may end on without a renewal reminder, as YYYY-MM-DD. */
interface GrantDays {
  readonly today: string;
  readonly soon: string;
  /** The renewal window ends after 9999-12-31, so even an expiry on `soon` is inside it. */
  readonly soonPastEnd: boolean;
}

function grantDays(now: Date): GrantDays {
  const soon = new Date(now.getTime() + GRANT_RENEWAL_DAYS * 86_400_000).toISOString();
  // Past 9999-12-31 toISOString writes "+010000-...", which no longer compares as text: every
  // expiry a file can hold is then within the renewal window.
  const pastEnd = soon.startsWith('+');
  return { today: now.toISOString().slice(0, 10), soon: pastEnd ? '9999-12-31' : soon.slice(0, 10), soonPastEnd: pastEnd };
}

/**
 * Expired grants warn instead of failing: they already vanish from the synthesized stack and
 * their IAM condition has ended them, so one stale grant must not stop CI for every customer.
 */
function grantWarnings(file: string, spec: CustomerSpec, { today, soon, soonPastEnd }: GrantDays): ValidationIssue[] {
  return spec.accessGrants.flatMap((g, i) => {
    if (g.status !== 'approved' || (g.expires >= soon && !soonPastEnd)) return [];
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

/** Every principal the stack will trust or grant to must be on the file's allow-list (trustedPrincipals). */
function trustIssues(file: string, spec: CustomerSpec): ValidationIssue[] {
  const allowed = new Set(spec.trustedPrincipals.map((t) => t.principal));
  const issues: ValidationIssue[] = [];
  // The path is spelled only for a principal not allowed: a fleet checks hundreds of thousands.
  const check = (principal: string, path: () => string): void => {
    if (allowed.has(principal)) return;
    issues.push({
      file,
      path: path(),
      expected: 'a principal listed under trustedPrincipals',
      got: JSON.stringify(principal),
      hint: `add { "principal": ..., "reason": ... } to trustedPrincipals, saying why this principal may have access to the customer's ${spec.cloud === 'aws' ? 'account' : 'project'}`,
    });
  };
  spec.operators.principals.forEach((principal, i) => check(principal, () => `operators.principals.${i}`));
  if (spec.cloud === 'aws') spec.roles.forEach((r, i) => r.assumedBy.forEach((principal, j) => check(principal, () => `roles.${i}.assumedBy.${j}`)));
  else spec.roles.forEach((r, i) => r.members.forEach((principal, j) => check(principal, () => `roles.${i}.members.${j}`)));
  spec.accessGrants.forEach((g, i) => {
    if (g.status === 'approved') check(g.principal, () => `accessGrants.${i}.principal`);
  });
  return issues;
}

/** Checks that need more than one field of a file (the catalog check and the cross-file ones are load.ts's). */
function semanticIssues(file: string, spec: CustomerSpec): ValidationIssue[] {
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
  return issues;
}

/** One file's checks, given what the strict reader made of it and its secret scan. */
function checkFile(file: string, parsed: StrictJsonResult, scan: SecretScan | Error, days: GrantDays): FileResult {
  const checked = checkParsed(file, parsed, CUSTOMER_FILE, scan);
  if (checked.data === undefined) return { file, issues: checked.issues, warnings: [], clean: false };
  // A file with a suspected secret gets no further checks: their messages quote field names and values.
  const clean = checked.issues.length === 0;
  const issues = clean ? semanticIssues(file, checked.data) : checked.issues;
  return { file, issues, warnings: [...grantWarnings(file, checked.data, days), ...compressionWarnings(file, checked.data)], spec: checked.data, clean };
}

/** `features.compression` on, but a stream stays uncompressed until the pins allow it: said, so nobody thinks it is on. */
function compressionWarnings(file: string, spec: CustomerSpec): ValidationIssue[] {
  return compressionOf(spec).waiting.map((why) => ({
    file,
    path: 'features.compression',
    expected: 'every stream compressed',
    got: why,
    hint: 'the upgrade plan moves the readers first; the stream is compressed from the deploy that runs them',
  }));
}

/**
 * Checks each file on its own, in order, and hands each result to `take` while its spec is
 * live: what `take` returns is all that stays of a file. Files are read, checked and dropped one
 * at a time, because a fleet's parsed files and specs held at once cost more in garbage
 * collection than the checks themselves. `take` must be pure: when secretlint fires or cannot
 * run, every file is checked again and taken again.
 */
export function checkCustomerFiles<R>(inputs: readonly CustomerInput[], now: Date, take: (result: FileResult) => R): R[] {
  const days = grantDays(now);
  const parse = (input: CustomerInput) => parseStrictJson(input.file, input.text, CUSTOMER_FILE.limits);
  const scannable = (parsed: StrictJsonResult) => parsed.raw ?? parsed.scannable;
  const scanner = new SecretScanner(secretSkip(CUSTOMER_FILE));
  // The project's own patterns judge each file now; secretlint then judges every distinct string at once.
  const taken = inputs.map((input) => {
    const parsed = parse(input);
    return take(checkFile(input.file, parsed, scanner.ownScan(scannable(parsed)), days));
  });
  let rules: ReadonlyMap<string, string> | Error;
  try {
    rules = scanner.secretlintRules();
  } catch (e) {
    rules = e as Error;
  }
  if (!(rules instanceof Error) && rules.size === 0) return taken;
  // secretlint fired or could not run: every file again with its verdict, so that a file it flags
  // fails (closed, when it could not run) and no message quotes what it found.
  return inputs.map((input) => {
    const parsed = parse(input);
    return take(checkFile(input.file, parsed, rules instanceof Error ? rules : scanner.fullScan(scannable(parsed), rules), days));
  });
}
