/**
 * The deploy record (default rollout/deployments.json): per stack, the last commit whose deploy
 * succeeded. CI writes it after each successful deploy (`fleet rollout mark --deployed --stacks
 * ... --commit SHA`) and commits it; `fleet affected --since-deployed` diffs each stack against
 * its own commit, so a deploy run that was cancelled or failed leaves its stacks affected until
 * one succeeds, whatever ran in between.
 */
import { z } from 'zod';
import type { ValidationIssue } from '../../customers/json-issues';
import { parseJsonFile } from './issues';

const commit = z.string().regex(/^[0-9a-f]{40}$/, 'expected a full commit id (40 hex digits)');

const record = z.strictObject({ commit, deployedAt: z.iso.datetime({ offset: false }) });

const deploymentsSchema = z.strictObject({
  formatVersion: z.literal(1),
  stacks: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), record),
});

export type Deployments = z.infer<typeof deploymentsSchema>;
export type DeployRecord = z.infer<typeof record>;

export const NO_DEPLOYMENTS: Deployments = { formatVersion: 1, stacks: {} };

export function isCommitId(value: string): boolean {
  return commit.safeParse(value).success;
}

export function parseDeployments(file: string, text: string): { deployments?: Deployments; issues: ValidationIssue[] } {
  const result = parseJsonFile(file, text, deploymentsSchema, 'upgrades/rollout/deployments.ts', (key, depth) => depth === 3 && key === 'commit');
  if (!result.data) return { issues: result.issues.map((i) => ({ ...i, hint: i.hint ?? 'the deploy record is written by `fleet rollout mark --deployed --commit`; restore it from git' })) };
  return { deployments: result.data, issues: [] };
}

/** Stacks in code-point order: the same record is always the same text. */
export function renderDeployments(d: Deployments): string {
  const stacks = Object.fromEntries(
    Object.keys(d.stacks)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((s) => [s, { commit: d.stacks[s].commit, deployedAt: d.stacks[s].deployedAt }]),
  );
  return `${JSON.stringify({ formatVersion: 1, stacks }, null, 2)}\n`;
}

export function recordDeploys(d: Deployments, stacks: readonly string[], commitId: string, at: Date): Deployments {
  const next = { ...d.stacks };
  for (const s of stacks) next[s] = { commit: commitId, deployedAt: at.toISOString() };
  return { formatVersion: 1, stacks: next };
}
