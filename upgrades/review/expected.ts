/**
 * The predicted change sets in a staged plan (`fleet upgrades stage --out DIR` writes
 * DIR/plan.json). Only what review compares is read and validated, so the staged plan can grow
 * other fields freely.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ChangeSet } from '../stage/types';

const changeSchema = z.object({
  address: z.string().min(1),
  type: z.string().min(1),
  action: z.enum(['create', 'update', 'replace', 'delete']),
  paths: z.array(z.string()).default([]),
  replacePaths: z.array(z.string()).optional(),
  knownAfterApply: z.array(z.string()).optional(),
  uncertain: z.string().optional(),
});

const riskSchema = z.object({ level: z.enum(['blocking', 'warning']), address: z.string(), reason: z.string() });

const stagedPlanSchema = z.object({
  waves: z.array(
    z.object({
      number: z.number().int(),
      stacks: z.array(
        z.object({
          stack: z.string().min(1),
          changeSet: z.object({ changes: z.array(changeSchema), risks: z.array(riskSchema).default([]) }),
        }),
      ),
    }),
  ),
});

export interface ExpectedStack {
  readonly wave: number;
  readonly changeSet: ChangeSet;
}

/** Every wave's change set per stack id, in wave order (a stack can be staged in several waves). */
export type Expectations = ReadonlyMap<string, readonly ExpectedStack[]>;

export type ExpectRead = { readonly ok: true; readonly expectations: Expectations } | { readonly ok: false; readonly problem: string };

export function readExpectations(file: string): ExpectRead {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? 'no such file' : `it is not JSON (${(e as Error).message})` };
  }
  const parsed = stagedPlanSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
    return { ok: false, problem: `it is not a staged plan (${where}: ${issue.message}); \`fleet upgrades stage --out DIR\` writes one to DIR/plan.json` };
  }
  const expectations = new Map<string, ExpectedStack[]>();
  for (const wave of [...parsed.data.waves].sort((a, b) => a.number - b.number)) {
    for (const s of wave.stacks) {
      const list = expectations.get(s.stack) ?? [];
      list.push({ wave: wave.number, changeSet: { stack: s.stack, changes: s.changeSet.changes, risks: s.changeSet.risks } });
      expectations.set(s.stack, list);
    }
  }
  return { ok: true, expectations };
}
