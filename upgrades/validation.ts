/**
 * Turns JSON syntax errors and zod errors into the `ValidationIssue` shape that
 * `fleet validate` prints for customer files, so catalog and policy problems read the same way.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import type { ValidationIssue } from '../customers/load';

export type { ValidationIssue };

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

export function show(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

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
    if (issue.code === 'invalid_value') {
      const options = (issue.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
      return { file, path, expected: `one of ${options}`, got: show(got) };
    }
    const { expected, hint } = decodeMessage(issue.message);
    return { file, path, expected, got: show(got), hint };
  });
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Strict JSON (no comments, no trailing commas), with positions for syntax errors. */
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
