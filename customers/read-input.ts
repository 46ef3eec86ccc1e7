/**
 * The one way the fleet reads an input file: strict JSON (customers/strict-json.ts), a secret
 * scan of every string and key (customers/secret-detector.ts), then the file's zod schema, with
 * every problem reported as a `ValidationIssue` and no suspected value ever printed.
 * Customer files, the release catalog, the policy and the rollout's files all come through here.
 */
import type { z } from 'zod';
import { zodIssues, type ValidationIssue } from './json-issues';
import { readInputFile } from './input-file';
import { scanSecrets, type SecretScan, type SkipField } from './secret-detector';
import { parseStrictJson, type JsonLimits, type StrictJsonResult } from './strict-json';

export interface InputKind<S extends z.ZodTypeAny> {
  readonly schema: S;
  /** Where the allowed fields are documented, for "unknown field" hints. */
  readonly schemaHint: string;
  /** The files in plural, for messages: "customer files". */
  readonly noun: string;
  /** What a secret in this file should be instead, for the hint. */
  readonly secretHint: string;
  /** Size and depth limits. Default: 4 MiB, 64 levels. */
  readonly limits?: JsonLimits;
  /** Fields whose values are known identifiers (a git commit id looks like a 40-hex token). Default: none. */
  readonly notSecret?: (key: string, depth: number) => boolean;
}

export interface InputResult<T> {
  /** The file's parsed JSON, when it is JSON at all. */
  readonly raw?: unknown;
  /** The schema's output, when the schema accepts the file (secrets may still have been found). */
  readonly data?: T;
  readonly issues: ValidationIssue[];
}

/** The fields a kind's secret scan leaves out: those its `notSecret` names (`$schema` is scanned like any other). */
export function secretSkip(kind: Pick<InputKind<z.ZodTypeAny>, 'notSecret'>): SkipField {
  return kind.notSecret ?? SKIP_NOTHING;
}

// One function for every kind without exceptions: the scan calls it for each field name it meets.
const SKIP_NOTHING: SkipField = () => false;

/** Checks an input's content (text or, better, the raw bytes so UTF-8 is checked too). */
export function checkInput<S extends z.ZodTypeAny>(file: string, content: string | Uint8Array, kind: InputKind<S>): InputResult<z.infer<S>> {
  return checkParsed(file, parseStrictJson(file, content, kind.limits), kind);
}

/** The secret scan and the schema over what the strict reader made of a file (`parseStrictJson` with `kind.limits`). */
export function checkParsed<S extends z.ZodTypeAny>(
  file: string,
  parsed: StrictJsonResult,
  kind: InputKind<S>,
  /** The file's secret scan when the caller ran it already (`SecretScanner` with `secretSkip(kind)`); an Error fails it closed. */
  scanned?: SecretScan | Error,
): InputResult<z.infer<S>> {
  // `null` is a value (the schema refuses it); only a file that did not parse has none.
  const scannable = parsed.raw !== undefined ? parsed.raw : parsed.scannable;
  if (scannable === undefined) return { issues: parsed.issues };
  const issues: ValidationIssue[] = [...parsed.issues];
  let suspected: ReadonlySet<string> = new Set();
  let suspectedKeys: ReadonlySet<string> = new Set();
  try {
    if (scanned instanceof Error) throw scanned;
    // The copies of repeated fields JSON.parse dropped are scanned too: a secret in one is still a secret in the file.
    const scans = [scanned ?? scanSecrets(scannable, secretSkip(kind)), ...(parsed.shadowed ?? []).map((copy) => scanSecrets(copy, secretSkip(kind)))];
    suspected = new Set(scans.flatMap((scan) => [...scan.suspected]));
    suspectedKeys = new Set(scans.flatMap((scan) => [...scan.suspectedKeys]));
    // Secrets first: a credential in an input file is the worst mistake it can hold.
    const seen = new Set<string>();
    for (const finding of scans.flatMap((scan) => scan.findings)) {
      if (seen.has(finding.path)) continue;
      seen.add(finding.path);
      issues.push({ file, path: finding.path, expected: `no secret values in ${kind.noun}`, got: `a value that looks like a secret (${finding.reason})`, hint: kind.secretHint });
    }
  } catch (e) {
    // Fail closed: an input that could not be scanned is not accepted.
    issues.push({ file, path: '', expected: 'a completed secret scan', got: (e as Error).message, hint: 'run the command again; if it keeps failing, report it' });
  }
  // Keys readers disagree on leave no one value to validate.
  if (parsed.raw === undefined) return { issues: maskKeys(issues, suspectedKeys) };
  const result = kind.schema.safeParse(parsed.raw);
  if (!result.success) return { raw: parsed.raw, issues: maskKeys([...issues, ...zodIssues(file, parsed.raw, result.error, kind.schemaHint, suspected)], suspectedKeys) };
  return { raw: parsed.raw, data: result.data as z.infer<S>, issues: maskKeys(issues, suspectedKeys) };
}

/** A field name that looks like a secret is not printed as part of a path either. */
function maskKeys(issues: ValidationIssue[], keys: ReadonlySet<string>): ValidationIssue[] {
  if (keys.size === 0) return issues;
  return issues.map((i) => {
    let path = i.path;
    for (const k of keys) if (path.includes(k)) path = path.split(k).join('<name not shown>');
    return path === i.path ? i : { ...i, path };
  });
}

/** Reads and checks an input file; a directory, a dangling link or an oversized file is an issue. */
export function readInput<S extends z.ZodTypeAny>(file: string, description: string, kind: InputKind<S>): InputResult<z.infer<S>> & { bytes?: Buffer } {
  const read = readInputFile(file, description, kind.limits?.maxBytes);
  if (!read.bytes) return { issues: [read.issue!] };
  return { ...checkInput(file, read.bytes, kind), bytes: read.bytes };
}
