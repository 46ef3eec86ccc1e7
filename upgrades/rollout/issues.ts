/**
 * Reading the rollout's JSON inputs (plan, state, metrics) into checked values, with issues in the
 * shape `fleet validate` prints: file, field, expected, got, hint.
 */
import type { z } from 'zod';
import { parseJson, zodIssues, type ValidationIssue } from '../../customers/json-issues';


export function parseJsonFile<S extends z.ZodTypeAny>(
  file: string,
  text: string,
  schema: S,
  schemaHint: string,
): { data?: z.infer<S>; raw?: unknown; issues: ValidationIssue[] } {
  const parsed = parseJson(file, text);
  if (parsed.issues.length > 0) return { issues: parsed.issues };
  const result = schema.safeParse(parsed.raw);
  if (!result.success) return { raw: parsed.raw, issues: zodIssues(file, parsed.raw, result.error, schemaHint) };
  return { data: result.data as z.infer<S>, raw: parsed.raw, issues: [] };
}
