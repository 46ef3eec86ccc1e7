/**
 * JSON syntax errors and zod errors as `ValidationIssue`s (file, field path, expected, got, hint),
 * shared by every file the fleet reads: customer files, the release catalog, the policy and the
 * rollout's plan, state and metrics files, so all of them report problems the same way.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { redact } from './secret-detector';

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
    if (v === null || typeof v !== 'object') return undefined;
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

/** A value as an error message shows it: missing, or redacted when it looks like a credential. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing (the field is missing)' : redact(value);
}

/** `schemaHint` names where the allowed fields are documented (e.g. customers/customer.schema.json). */
export function zodIssues(file: string, raw: unknown, error: z.ZodError, schemaHint: string): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const got = valueAt(raw, issue.path);
    if (issue.code === 'unrecognized_keys') {
      return {
        file,
        path,
        expected: 'only the fields the schema defines',
        got: `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
        hint: `check the spelling against ${schemaHint}`,
      };
    }
    if (issue.code === 'invalid_value' || (issue.code === 'invalid_union' && got !== undefined)) {
      const options = 'values' in issue ? (issue.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ') : undefined;
      return { file, path, expected: options ? `one of ${options}` : decodeMessage(issue.message).expected, got: show(got) };
    }
    if (issue.code === 'invalid_type') {
      // zod's own wording ("expected string, received undefined") would read "expected expected ...".
      const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a';
      const { expected, hint } = issue.message.startsWith('{') ? decodeMessage(issue.message) : { expected: `${article} ${issue.expected}`, hint: undefined };
      return { file, path, expected, got: show(got), hint };
    }
    const { expected, hint } = decodeMessage(issue.message);
    return { file, path, expected, got: show(got), hint };
  });
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Strict JSON (no comments, no trailing commas), with line and column for syntax errors. */
export function parseJson(file: string, text: string): { raw?: unknown; issues: ValidationIssue[] } {
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length === 0) return { raw, issues: [] };
  return {
    issues: errors.map((e) => ({
      file,
      path: '',
      expected: 'valid JSON',
      got: `${printParseErrorCode(e.error)} at ${lineAndColumn(text, e.offset)}`,
      hint: 'fix the syntax; comments and trailing commas are not allowed',
    })),
  };
}

/** One line per issue, the way `fleet validate` prints them. */
export function formatIssue(issue: ValidationIssue): string {
  const where = issue.path ? `${issue.file}: ${issue.path}` : issue.file;
  return `${where}: expected ${issue.expected}, got ${issue.got}${issue.hint ? ` (hint: ${issue.hint})` : ''}`;
}
