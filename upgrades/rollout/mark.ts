/**
 * `fleet rollout mark --deployed`, decided without I/O. CI calls it after the deploy jobs of a
 * merge succeed. It is its own step rather than part of the gate because the two happen days
 * apart: the deploy ends, the wave bakes, and only then do its metrics mean anything.
 */
import { showInstant, sortedWaves, type RolloutState, type WaveRecord } from './state';

/** A wave number, or the one wave that is in progress (what CI knows after a merge). */
export type MarkTarget = number | 'in-progress';

export type MarkDecision =
  | { readonly kind: 'marked'; readonly state: RolloutState; readonly message: string }
  /** Nothing to record (exit 0): e.g. the merge was not a wave's pin change. */
  | { readonly kind: 'nothing'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

const DAY_MS = 86_400_000;

/**
 * Records a wave as deployed at `at`, given the stacks CI just deployed (required: a run that
 * deployed nothing says nothing about any wave). A wave is marked only when all its stacks are
 * among them. `in-progress` picks the lowest wave that is in progress, or halted and deployed
 * again (a fix or a revert): a halted wave reopens only through a new deploy mark.
 */
export function decideMark(state: RolloutState | undefined, target: MarkTarget, at: Date, deployedStacks: readonly string[]): MarkDecision {
  if (deployedStacks.length === 0) {
    return { kind: 'error', message: 'no stack was deployed (--stacks is empty), so there is nothing to record: skip `fleet rollout mark` when a run deploys nothing.' };
  }
  if (state === undefined) {
    return target === 'in-progress'
      ? { kind: 'nothing', message: 'no rollout state yet: no wave is in progress; no wave marked.' }
      : { kind: 'error', message: `no rollout state yet, so wave ${target} has not been applied: run \`fleet rollout apply --wave ${target}\` first.` };
  }
  const covered = (w: WaveRecord) => w.stacks.every((s) => deployedStacks.includes(s));
  let wave: WaveRecord | undefined;
  if (target === 'in-progress') {
    const open = sortedWaves(state).filter((w) => w.status === 'in-progress' || w.status === 'halted');
    if (open.length === 0) return { kind: 'nothing', message: 'no wave is in progress or halted; no wave marked.' };
    // Only a forced apply can put two waves in progress; the lowest deploys first.
    wave = open.find(covered);
    if (!wave) {
      const w = open[0];
      return { kind: 'nothing', message: `wave ${w.number} (${w.name}) not marked: its stack(s) ${w.stacks.filter((s) => !deployedStacks.includes(s)).join(', ')} were not among the deployed ones.` };
    }
  } else {
    wave = state.waves[String(target)];
    if (!wave) return { kind: 'error', message: `the rollout has waves 1 to ${Object.keys(state.waves).length}; there is no wave ${target}.` };
  }
  const name = `wave ${wave.number} (${wave.name})`;
  if (wave.status === 'pending') return { kind: 'error', message: `${name} has not been applied: its pins are unchanged, so there is nothing deployed to record.` };
  const missing = wave.stacks.filter((s) => !deployedStacks.includes(s));
  if (missing.length > 0) {
    return { kind: 'nothing', message: `${name} not marked: its stack(s) ${missing.join(', ')} were not among the deployed ones.` };
  }
  if (wave.status === 'deployed') {
    return { kind: 'nothing', message: `${name} is already recorded as deployed on ${showInstant(wave.deployedAt ?? '')}; nothing changed.` };
  }
  // A halted wave that is deployed again (a fix, or a revert of the fix) is judged afresh.
  const deployedAt = at.toISOString();
  const marked: WaveRecord = {
    ...wave,
    status: 'deployed',
    deployedAt,
    bakeEnds: new Date(at.getTime() + wave.bakeDays * DAY_MS).toISOString(),
  };
  return {
    kind: 'marked',
    state: { ...state, waves: { ...state.waves, [String(wave.number)]: marked } },
    message: `${name} recorded as deployed on ${showInstant(deployedAt)}; it bakes ${wave.bakeDays} day(s), until ${showInstant(marked.bakeEnds!)}, then \`fleet rollout gate --wave ${wave.number}\` judges it.`,
  };
}
