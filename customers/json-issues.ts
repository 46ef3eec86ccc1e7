/**
 * JSON syntax errors and zod errors as `ValidationIssue`s (file, field path, expected, got, hint),
 * shared by every file the fleet reads: customer files, the release catalog, the policy and the
 * rollout's plan, state and metrics files, so all of them report problems the same way.
 */
import type { z } from 'zod';
import { secretReason } from './secret-detector';
import { parseStrictJson, type JsonLimits } from './strict-json';

export interface ValidationIssue {
  readonly file: string;
  /** Dotted path to the field, e.g. components.enrich.version; empty for the whole file. */
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly hint?: string;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Messages written with customers/schema `expect()` carry {expected, hint} as JSON. */
function decodeMessage(message: string): { expected: string; hint?: string } {
  try {
    const decoded = JSON.parse(message) as { expected?: unknown; hint?: unknown };
    if (typeof decoded.expected === 'string') {
      return { expected: decoded.expected, hint: typeof decoded.hint === 'string' ? decoded.hint : undefined };
    }
  } catch {
    // a message zod wrote itself
  }
  return { expected: message.replace(/^Invalid input: /, '') };
}

/** Strings longer than this are never echoed: nobody needs them back, and they may be keys. */
const MAX_SHOWN = 40;

/**
 * A rejected value as an error message may show it. Arrays and objects are described, never
 * printed (they may hold anything); a string is printed only when it is short and no detector
 * (the project's patterns, secretlint, the `suspected` set of the file's scan) flags it.
 */
export function show(value: unknown, suspected: ReadonlySet<string> = new Set()): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
  if (value !== null && typeof value === 'object') return `an object with ${Object.keys(value).length} field(s)`;
  if (typeof value === 'string') {
    if (value.length > MAX_SHOWN || suspected.has(value) || secretReason(value) !== undefined) return `a ${value.length}-character string (not shown)`;
    return JSON.stringify(value);
  }
  // JSON.stringify writes Infinity (a number literal like 1e999 parses to it) as "null".
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (a number too large for JSON)`;
  return String(JSON.stringify(value));
}

/** A field name as a message may show it (the same rule as `show`). */
export function showKey(key: string, suspected: ReadonlySet<string> = new Set()): string {
  return key.length > MAX_SHOWN || suspected.has(key) || secretReason(key) !== undefined ? `a ${key.length}-character name (not shown)` : JSON.stringify(key);
}

/**
 * `schemaHint` names where the allowed fields are documented (e.g. customers/customer.schema.json).
 * A value that fails a pattern is never echoed: a pattern error is what a pasted credential gets.
 */
export function zodIssues(file: string, raw: unknown, error: z.ZodError, schemaHint: string, suspected: ReadonlySet<string> = new Set()): ValidationIssue[] {
  // A refinement's message may quote another field's value (zod runs refinements even when that
  // field failed), so suspected strings are masked in the wording too.
  const mask = (text: string | undefined): string | undefined => {
    if (text === undefined) return text;
    for (const s of suspected) if (s.length >= 4 && text.includes(s)) text = text.split(s).join('<not shown>');
    return text;
  };
  return error.issues.map((issue) => {
    const i = describeIssue(file, raw, issue, schemaHint, suspected);
    return { ...i, expected: mask(i.expected)!, hint: mask(i.hint) };
  });
}

function describeIssue(file: string, raw: unknown, issue: z.core.$ZodIssue, schemaHint: string, suspected: ReadonlySet<string>): ValidationIssue {
  const path = issue.path.map(String).join('.');
  const got = valueAt(raw, issue.path);
  const shown = show(got, suspected);
  if (issue.code === 'unrecognized_keys') {
    return {
      file,
      path,
      expected: 'only the fields the schema defines',
      got: `unknown field(s) ${issue.keys.map((k) => showKey(k, suspected)).join(', ')}`,
      hint: `check the spelling against ${schemaHint}`,
    };
  }
  if (issue.code === 'invalid_format' && typeof got === 'string') {
    const { expected, hint } = decodeMessage(issue.message);
    return { file, path, expected, got: `a ${got.length}-character string that does not match (not shown)`, hint };
  }
  if (issue.code === 'invalid_value' || (issue.code === 'invalid_union' && got !== undefined)) {
    const options = 'values' in issue ? (issue.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ') : undefined;
    return { file, path, expected: options ? `one of ${options}` : decodeMessage(issue.message).expected, got: shown };
  }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && !issue.message.startsWith('{')) {
    // zod's own wording ("Too big: expected number to be <=3") would read "expected Too big: ...".
    const big = issue.code === 'too_big';
    const limit = String(big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum);
    const bound = `${big ? 'at most' : 'at least'} ${limit}`;
    const expected = issue.origin === 'string' ? `a string of ${bound} characters` : issue.origin === 'array' ? `${bound} item(s)` : `a number ${bound}`;
    return { file, path, expected, got: shown, hint: `use a value ${bound}` };
  }
  if (issue.code === 'invalid_type') {
    // zod's own wording ("expected string, received undefined") would read "expected expected ...".
    const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a';
    const { expected, hint } = issue.message.startsWith('{') ? decodeMessage(issue.message) : { expected: `${article} ${issue.expected}`, hint: undefined };
    return { file, path, expected, got: shown, hint };
  }
  const { expected, hint } = decodeMessage(issue.message);
  return { file, path, expected, got: shown, hint };
}

/** Strict JSON (see customers/strict-json.ts), with line and column for syntax errors. */
export function parseJson(file: string, text: string | Uint8Array, limits?: JsonLimits): { raw?: unknown; issues: ValidationIssue[] } {
  return parseStrictJson(file, text, limits);
}

/** One line per issue, the way `fleet validate` prints them. */
export function formatIssue(issue: ValidationIssue): string {
  const where = issue.path ? `${issue.file}: ${issue.path}` : issue.file;
  return `${where}: expected ${issue.expected}, got ${issue.got}${issue.hint ? ` (hint: ${issue.hint})` : ''}`;
}
