/**
 * Which stacks a change touches, decided without I/O from the changed paths: a customer file
 * touches its own stack; constructs, stack wiring, the customer schema and the dependencies touch
 * every stack. CI plans and deploys exactly these, one matrix job per stack (or per batch of
 * stacks once a fleet outgrows GitHub's 256-job matrix limit).
 */
import type { EnvironmentClass } from '../planner/types';

export interface StackRef {
  readonly stack: string;
  /** Repository-relative path of the customer file. */
  readonly file: string;
  readonly environment: EnvironmentClass;
  readonly cloud: 'aws' | 'gcp';
}

export interface AffectedStack extends StackRef {
  /** The first change that put the stack on the list. */
  readonly because: string;
}

export interface Affected {
  readonly all: boolean;
  /** Changes that touch every stack, as "path: why". */
  readonly allReasons: string[];
  readonly stacks: AffectedStack[];
  /** Stacks whose customer file was deleted: nothing to plan; destroying one is a deliberate manual step. */
  readonly removed: string[];
}

/** Paths whose change can alter every synthesized stack. upgrades/ is not one: the planner proposes, it does not synthesize. */
const EVERY_STACK: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /^constructs\//, why: 'constructs changed' },
  { pattern: /^stacks\//, why: 'the stack wiring changed' },
  { pattern: /^customers\/[^/]+\.ts$/, why: 'the customer schema or loader changed' },
  { pattern: /^(package\.json|package-lock\.json|cdktf\.json|tsconfig\.json|tsconfig\.build\.json)$/, why: 'dependencies or build settings changed' },
];

/**
 * @param changed repository-relative paths, as `git diff --name-only` prints them
 * @param stacks every stack of the fleet as it is after the change
 * @param customersDir repository-relative folder of the customer files, e.g. "customers"
 */
export function affectedStacks(changed: readonly string[], stacks: readonly StackRef[], customersDir: string): Affected {
  const dir = customersDir.replace(/\/+$/, '');
  const byFile = new Map(stacks.map((s) => [s.file, s]));
  const allReasons: string[] = [];
  const picked = new Map<string, AffectedStack>();
  const removed = new Set<string>();
  for (const path of [...changed].sort()) {
    const every = EVERY_STACK.find((r) => r.pattern.test(path));
    if (every) {
      allReasons.push(`${path}: ${every.why}`);
      continue;
    }
    const inDir = dir === '.' || dir === '' ? path : path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
    if (inDir === undefined || inDir.includes('/') || !inDir.endsWith('.json') || inDir.endsWith('.schema.json')) continue;
    const ref = byFile.get(path);
    if (ref) {
      if (!picked.has(ref.stack)) picked.set(ref.stack, { ...ref, because: `${path} changed` });
    } else {
      removed.add(inDir.slice(0, -'.json'.length));
    }
  }
  const all = allReasons.length > 0;
  const list = all ? stacks.map((s) => picked.get(s.stack) ?? { ...s, because: allReasons[0] }) : [...picked.values()];
  return { all, allReasons, stacks: list.sort((a, b) => a.stack.localeCompare(b.stack)), removed: [...removed].sort() };
}

export interface MatrixEntry {
  /** The job's display name: the stack, or "<environment>-<cloud> <i>/<n>" for a batch. */
  readonly name: string;
  /** The GitHub environment the deploy job runs in: its approvals and its credentials. */
  readonly environment: EnvironmentClass;
  readonly cloud: 'aws' | 'gcp';
  /** Space-separated stack ids the job plans or deploys. */
  readonly stacks: string;
}

/** GitHub Actions runs at most 256 jobs from one matrix. */
export const GITHUB_MATRIX_LIMIT = 256;

/**
 * One job per stack while the stacks fit in `maxJobs`; beyond that, batches. A job never mixes
 * environment classes (each has its own approvals) or clouds (each has its own credentials).
 */
export function matrixOf(stacks: readonly StackRef[], maxJobs = GITHUB_MATRIX_LIMIT): MatrixEntry[] {
  const groups = new Map<string, StackRef[]>();
  for (const s of [...stacks].sort((a, b) => a.stack.localeCompare(b.stack))) {
    const key = `${s.environment}-${s.cloud}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  if (stacks.length <= maxJobs) {
    return [...groups.values()].flat().map((s) => ({ name: s.stack, environment: s.environment, cloud: s.cloud, stacks: s.stack }));
  }
  if (maxJobs < groups.size) throw new Error(`matrixOf: ${maxJobs} job(s) cannot hold ${groups.size} environment/cloud groups`);
  const keys = [...groups.keys()].sort();
  // Every group gets a job, and the rest are shared in proportion to the group's size.
  const spare = maxJobs - keys.length;
  const entries: MatrixEntry[] = [];
  for (const key of keys) {
    const members = groups.get(key)!;
    const jobs = Math.min(members.length, 1 + Math.floor((spare * members.length) / stacks.length));
    const size = Math.ceil(members.length / jobs);
    const batches = Math.ceil(members.length / size);
    for (let i = 0; i < batches; i++) {
      const batch = members.slice(i * size, (i + 1) * size);
      entries.push({ name: `${key} ${i + 1}/${batches}`, environment: batch[0].environment, cloud: batch[0].cloud, stacks: batch.map((s) => s.stack).join(' ') });
    }
  }
  return entries;
}

export interface SinceDeployedStack extends AffectedStack {
  /** The commit recorded as deployed for the stack, or null when none is. */
  readonly since: string | null;
}

/**
 * The stacks to deploy when each stack is compared with the last commit deployed for it (from
 * the deploy record) rather than with the previous push: a run that was cancelled or failed
 * leaves its stacks affected. A stack with no record is affected.
 *
 * @param changedSince repository-relative paths changed between a commit and the head
 * @param deployed the recorded commit per stack
 */
export function affectedSinceDeployed(
  changedSince: (commit: string) => readonly string[],
  stacks: readonly StackRef[],
  deployed: Readonly<Record<string, { readonly commit: string }>>,
  customersDir: string,
): { stacks: SinceDeployedStack[]; removed: string[] } {
  const byCommit = new Map<string, Affected>();
  const picked: SinceDeployedStack[] = [];
  const removed = new Set<string>();
  for (const ref of stacks) {
    const record = deployed[ref.stack];
    if (!record) {
      picked.push({ ...ref, because: 'never recorded as deployed', since: null });
      continue;
    }
    let affected = byCommit.get(record.commit);
    if (!affected) {
      affected = affectedStacks(changedSince(record.commit), stacks, customersDir);
      byCommit.set(record.commit, affected);
      for (const r of affected.removed) removed.add(r);
    }
    const hit = affected.stacks.find((s) => s.stack === ref.stack);
    if (hit) picked.push({ ...hit, because: `${hit.because} since ${record.commit.slice(0, 12)}`, since: record.commit });
  }
  // A removed customer's record is stale, not a reason to plan anything.
  for (const s of stacks) removed.delete(s.stack);
  return { stacks: picked.sort((a, b) => a.stack.localeCompare(b.stack)), removed: [...removed].sort() };
}
