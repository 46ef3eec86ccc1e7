/**
 * Reading the rollout's JSON inputs (plan, state, metrics) into checked values, with issues in the
 * shape `fleet validate` prints: file, field, expected, got, hint.
 */
import type { z } from 'zod';
import type { ValidationIssue } from '../../customers/json-issues';
import { checkInput } from '../../customers/read-input';

/** The plan of a 10,000-environment fleet is about 90 MB; state and metrics files stay far below this. */
const ROLLOUT_MAX_BYTES = 256 * 1024 * 1024;

/** Reads a rollout file through the fleet's one strict reader (customers/read-input.ts). */
export function parseJsonFile<S extends z.ZodTypeAny>(
  file: string,
  text: string | Uint8Array,
  schema: S,
  schemaHint: string,
  notSecret?: (key: string, depth: number) => boolean,
): { data?: z.infer<S>; raw?: unknown; issues: ValidationIssue[] } {
  const checked = checkInput(file, text, {
    notSecret,
    schema,
    schemaHint,
    noun: 'rollout files',
    secretHint: 'rollout files record versions and verdicts, never credentials: remove the value',
    limits: { maxBytes: ROLLOUT_MAX_BYTES },
  });
  if (checked.issues.length > 0) return { raw: checked.raw, issues: checked.issues };
  return { data: checked.data, raw: checked.raw, issues: [] };
}
