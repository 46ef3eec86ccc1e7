/**
 * `fleet rollout apply`, decided without I/O: which wave, whether the rollout rules allow it,
 * and the rewritten customer files plus the new state when they do.
 *
 * Rules:
 * - wave N (numbered from 1) waits until wave N-1 is deployed and judged healthy by a gate whose
 *   metrics cover its whole bake;
 * - a plan with other pin changes than the state's starts a new rollout, but only once every
 *   wave applied so far has settled that way; its waves that were never applied are superseded
 *   (the new plan was made from the current pins, so it carries what they still needed);
 * - `--force` with a reason overrides those two rules (the reason and what it overrode are
 *   recorded); it never overrides a pin that no longer matches the plan: that needs a new plan.
 */
import { validateCustomerTexts, formatIssue } from '../../customers/load';
import type { PlannedWave, RolloutPlan } from './plan-input';
import { rewritePins, type PinProblem } from './pins';
import { notSettledReason, PREVIOUS_KEPT, showInstant, sortedWaves, startRollout, type Rollout, type RolloutState, type WaveRecord } from './state';

export type WaveArg = number | 'next';

export interface ApplyRequest {
  readonly plan: RolloutPlan;
  /** undefined: no state file yet. */
  readonly state: RolloutState | undefined;
  readonly wave: WaveArg;
  readonly at: Date;
  readonly force?: { readonly reason: string };
}

export type ApplyDecision =
  /** Nothing to do (exit 0). */
  | { readonly kind: 'nothing'; readonly message: string }
  /** The wave was applied before; nothing changes (exit 0). */
  | { readonly kind: 'already'; readonly message: string }
  /** The rollout rules say wait (exit 2). */
  | { readonly kind: 'refused'; readonly wave: number; readonly reasons: string[] }
  /** The request makes no sense for this plan (exit 1). */
  | { readonly kind: 'invalid'; readonly message: string }
  | {
      readonly kind: 'go';
      readonly wave: PlannedWave;
      /** The rollout the wave is recorded in: the state's, or a new one for this plan. */
      readonly rollout: Rollout;
      readonly previous: Rollout[];
      /** Refusals that --force overrode. */
      readonly overrode: string[];
      readonly notes: string[];
    };

function label(plan: Pick<RolloutPlan, 'generatedFor' | 'digest'>): string {
  return `the plan for ${plan.generatedFor} (${plan.digest})`;
}

export function decideApply(req: ApplyRequest): ApplyDecision {
  const { plan, state } = req;
  if (plan.waves.length === 0) return { kind: 'nothing', message: `${label(plan)} has no waves: nothing to roll out.` };

  const continuing = state !== undefined && state.plan.digest === plan.digest;
  const refusals: string[] = [];
  const notes: string[] = [];
  let rollout: Rollout;
  let previous: Rollout[];
  if (continuing) {
    rollout = state;
    previous = state.previous;
  } else {
    rollout = startRollout(plan, req.at);
    previous = state?.previous ?? [];
    if (state !== undefined) {
      const applied = sortedWaves(state).filter((w) => w.status !== 'pending');
      const unsettled = applied.map(notSettledReason).filter((r): r is string => r !== undefined);
      if (unsettled.length > 0) {
        refusals.push(
          `the state follows ${label(state.plan)}, and a new plan can start only when every wave applied so far is deployed and healthy: ${unsettled.join('; ')}`,
        );
      }
      const superseded = sortedWaves(state).filter((w) => w.status === 'pending');
      notes.push(
        `starts a new rollout of ${label(plan)}; the rollout of ${label(state.plan)} moves to "previous"` +
          (superseded.length > 0 ? ` and its never-applied wave(s) ${superseded.map((w) => w.number).join(', ')} are superseded by this plan` : ''),
      );
      // A rollout that never applied anything holds no history worth keeping.
      if (applied.length > 0) previous = [toPrevious(state), ...previous].slice(0, PREVIOUS_KEPT);
    }
  }

  const waves = sortedWaves(rollout);
  let number: number;
  if (req.wave === 'next') {
    const next = waves.find((w) => w.status === 'pending');
    if (!next) return { kind: 'nothing', message: `every wave of ${label(plan)} has been applied: nothing to do.` };
    number = next.number;
  } else {
    number = req.wave;
  }
  const record = rollout.waves[String(number)];
  const planned = plan.waves[number - 1];
  if (!record || !planned) {
    return { kind: 'invalid', message: `${label(plan)} has waves 1 to ${plan.waves.length}; there is no wave ${number}.` };
  }
  if (record.status !== 'pending') {
    return {
      kind: 'already',
      message: `wave ${number} (${record.name}) was already applied on ${showInstant(record.appliedAt ?? '')} and is ${record.status}; nothing changed.`,
    };
  }
  if (number > 1) {
    const before = notSettledReason(rollout.waves[String(number - 1)]);
    if (before !== undefined) refusals.push(`wave ${number} waits for wave ${number - 1}: ${before}`);
  }
  if (refusals.length > 0 && !req.force) return { kind: 'refused', wave: number, reasons: refusals };
  if (req.force && refusals.length === 0) notes.push('--force was not needed: no rule refused this wave, so none is recorded as overridden');
  return { kind: 'go', wave: planned, rollout, previous, overrode: refusals, notes };
}

function toPrevious(state: RolloutState): Rollout {
  return { plan: state.plan, startedAt: state.startedAt, waves: state.waves };
}

export interface CustomerFileText {
  readonly stack: string;
  /** The path as it is shown to people and written to. */
  readonly file: string;
  /** undefined: the file does not exist. */
  readonly text: string | undefined;
}

export type ApplyResult =
  /** A pin no longer matches the plan, or a file is missing: nothing is written (exit 1). */
  | { readonly kind: 'stale'; readonly problems: PinProblem[] }
  /** The rewritten files would not pass `fleet validate` (exit 1). */
  | { readonly kind: 'invalid'; readonly problems: string[] }
  | { readonly kind: 'write'; readonly files: { file: string; text: string }[]; readonly state: RolloutState; readonly lines: string[] };

/** Rewrites the wave's pins in its customer files and records the wave as in progress. */
export function applyWave(go: Extract<ApplyDecision, { kind: 'go' }>, files: readonly CustomerFileText[], at: Date, force?: { readonly reason: string }): ApplyResult {
  const problems: PinProblem[] = [];
  const written: { file: string; text: string }[] = [];
  const lines: string[] = [];
  for (const stack of go.wave.stacks) {
    const f = files.find((x) => x.stack === stack);
    const edits = go.wave.changes.filter((c) => c.stack === stack);
    if (!f || f.text === undefined) {
      problems.push({
        file: f?.file ?? `${stack}.json`,
        path: '',
        expected: `the customer file of stack ${stack}`,
        got: 'no such file',
        hint: 'the customer was removed or renamed since the plan was made; re-plan (`fleet upgrades plan --json --out plan/upgrade-plan.json`)',
      });
      continue;
    }
    const result = rewritePins(f.file, f.text, edits);
    if ('problems' in result) {
      problems.push(...result.problems);
      continue;
    }
    written.push({ file: f.file, text: result.text });
    for (const e of edits) lines.push(`  ${f.file}  components.${e.component}.version ${e.from} -> ${e.to}`);
  }
  if (problems.length > 0) return { kind: 'stale', problems };

  const validation = validateCustomerTexts(written, { now: at });
  if (validation.issues.length > 0) return { kind: 'invalid', problems: validation.issues.map(formatIssue) };

  const applied: WaveRecord = {
    ...go.rollout.waves[String(go.wave.number)],
    status: 'in-progress',
    appliedAt: at.toISOString(),
    ...(go.overrode.length > 0 && force ? { forced: { reason: force.reason, at: at.toISOString(), overrode: go.overrode } } : {}),
  };
  const state: RolloutState = {
    formatVersion: 1,
    plan: go.rollout.plan,
    startedAt: go.rollout.startedAt,
    waves: { ...go.rollout.waves, [String(go.wave.number)]: applied },
    previous: go.previous,
  };
  return {
    kind: 'write',
    files: written,
    state,
    lines: [
      `wave ${go.wave.number} (${go.wave.name}) of ${label(go.rollout.plan)}: ${go.wave.changes.length} pin change(s) in ${written.length} file(s)`,
      ...lines,
    ],
  };
}

/**
 * With no state file, the pins must still read what the plan changes them from: otherwise a
 * wave was applied and its record lost (the state is committed with the pins), and starting
 * afresh would skip the gate of that wave. One line per pin that differs.
 */
export function pinsAheadOfPlan(plan: RolloutPlan, files: readonly CustomerFileText[]): string[] {
  const problems: string[] = [];
  for (const wave of plan.waves) {
    for (const stack of wave.stacks) {
      const f = files.find((x) => x.stack === stack);
      if (!f || f.text === undefined) continue; // applyWave names a missing file
      const result = rewritePins(f.file, f.text, wave.changes.filter((c) => c.stack === stack));
      if ('problems' in result) for (const p of result.problems) problems.push(`${p.file}: ${p.path} reads ${p.got}, the plan changes it from ${p.expected} (wave ${wave.number})`);
    }
  }
  return problems;
}
