/** `fleet rollout status`: each wave of the rollout as a table row, and what comes next. */
import { decideApply } from './apply';
import type { RolloutPlan } from './plan-input';
import { describeFailure, showInstant, sortedWaves, startRollout, waveHealth, type Rollout, type RolloutState, type WaveRecord } from './state';

/** The state's own rollout as a plan, so "what next" is answered the way apply would. */
function planOfRollout(r: Rollout): RolloutPlan {
  return {
    generatedFor: r.plan.generatedFor,
    digest: r.plan.digest,
    waves: sortedWaves(r).map((w) => ({
      number: w.number,
      name: w.name,
      start: w.start,
      fastTrack: w.fastTrack,
      bakeDays: w.bakeDays,
      stacks: w.stacks,
      changes: w.changes,
    })),
  };
}

function healthText(w: WaveRecord): string {
  const h = waveHealth(w);
  switch (h.kind) {
    case 'not-applied':
      return '-';
    case 'not-deployed':
      return 'awaiting deploy';
    case 'not-gated':
      return `not gated yet (bake until ${showInstant(w.bakeEnds ?? '')})`;
    case 'baking':
      return `healthy so far, baking until ${showInstant(h.bakeEnds)}`;
    case 'healthy':
      return `healthy (gated ${showInstant(h.gate.at)})`;
    case 'halted':
      return `${h.gate.failures.length} failed check(s) (gated ${showInstant(h.gate.at)})`;
  }
}

export interface StatusView {
  readonly plan: { readonly generatedFor: string; readonly digest: string } | null;
  readonly waves: {
    readonly number: number;
    readonly name: string;
    readonly status: WaveRecord['status'];
    readonly start: string;
    readonly stacks: string[];
    readonly changes: number;
    readonly appliedAt: string | null;
    readonly deployedAt: string | null;
    readonly bakeEnds: string | null;
    readonly health: string;
    readonly failures: string[];
    readonly forcedReason: string | null;
  }[];
  /** The wave `fleet rollout apply --wave next` would apply now, if any. */
  readonly next: number | null;
  readonly nextText: string;
  /**
   * Waves someone should look at (the drift workflow reports them): halted, applied but not
   * deployed, or deployed but not judged over the bake, for longer than ATTENTION_MARGIN_DAYS.
   */
  readonly attention: string[];
}

/** How long past the expected moment a wave may wait before it is reported as stale. */
export const ATTENTION_MARGIN_DAYS = 2;
const DAY_MS = 86_400_000;

/** Halted waves, and waves stuck for more than the margin past where they should have moved on. */
export function attentionOf(state: RolloutState | undefined, at: Date): string[] {
  if (!state) return [];
  const late = (since: string | undefined) => since !== undefined && at.getTime() - Date.parse(since) > ATTENTION_MARGIN_DAYS * DAY_MS;
  const days = (since: string) => Math.floor((at.getTime() - Date.parse(since)) / DAY_MS);
  const out: string[] = [];
  for (const w of sortedWaves(state)) {
    const name = `wave ${w.number} (${w.name})`;
    const h = waveHealth(w);
    if (h.kind === 'halted') out.push(`${name} is halted since the gate of ${showInstant(h.gate.at)}: ${h.gate.failures.slice(0, 3).map(describeFailure).join('; ')}`);
    else if (h.kind === 'not-deployed' && late(w.appliedAt)) out.push(`${name} was applied ${days(w.appliedAt!)} day(s) ago and is not recorded as deployed: is its pull request merged, did its deploy fail?`);
    else if ((h.kind === 'not-gated' || h.kind === 'baking') && late(w.bakeEnds)) out.push(`${name}'s bake ended ${days(w.bakeEnds!)} day(s) ago and no gate has judged it over the bake: is the metrics exporter running?`);
  }
  return out;
}

/**
 * The rollout as the state records it; with a plan whose changes differ from the state's, the
 * plan's waves are shown as the pending waves of the rollout it would start.
 */
export function statusView(state: RolloutState | undefined, plan: RolloutPlan | undefined, at: Date): StatusView {
  const decision = plan ?? (state ? planOfRollout(state) : undefined);
  if (!decision) {
    return { plan: null, waves: [], next: null, nextText: 'no rollout recorded and no plan: write one with `fleet upgrades plan --json --out plan/upgrade-plan.json`', attention: [] };
  }
  const shown: Rollout = state && state.plan.digest === decision.digest ? state : startRollout(decision, at);
  const d = decideApply({ plan: decision, state, wave: 'next', at });
  let next: number | null = null;
  let nextText: string;
  switch (d.kind) {
    case 'go':
      next = d.wave.number;
      nextText = `wave ${d.wave.number} (${d.wave.name}) can be applied: \`fleet rollout apply --wave ${d.wave.number}\`${d.notes.length > 0 ? `; it ${d.notes[0]}` : ''}`;
      break;
    case 'refused':
      nextText = `waiting: ${d.reasons.join('; ')}`;
      break;
    default:
      nextText = d.message;
  }
  return {
    plan: shown.plan,
    waves: sortedWaves(shown).map((w) => {
      const h = waveHealth(w);
      return {
        number: w.number,
        name: w.name,
        status: w.status,
        start: w.start,
        stacks: w.stacks,
        changes: w.changes.length,
        appliedAt: w.appliedAt ?? null,
        deployedAt: w.deployedAt ?? null,
        bakeEnds: w.bakeEnds ?? null,
        health: healthText(w),
        failures: h.kind === 'halted' ? h.gate.failures.map(describeFailure) : [],
        forcedReason: w.forced?.reason ?? null,
      };
    }),
    next,
    nextText,
    attention: attentionOf(state, at),
  };
}

export function renderStatus(view: StatusView, stateFile: string): string[] {
  if (view.plan === null) return [`no rollout in ${stateFile}`, `next: ${view.nextText}`];
  const header = ['wave', 'name', 'status', 'start', 'stacks', 'pins', 'applied', 'deployed', 'health'];
  const rows = view.waves.map((w) => [
    String(w.number),
    w.name,
    w.status,
    w.start,
    String(w.stacks.length),
    String(w.changes),
    w.appliedAt ? showInstant(w.appliedAt) : '-',
    w.deployedAt ? showInstant(w.deployedAt) : '-',
    w.health,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [`Rollout of the plan for ${view.plan.generatedFor} (${view.plan.digest}), state ${stateFile}`, '', line(header)];
  view.waves.forEach((w, i) => {
    out.push(line(rows[i]));
    if (w.forcedReason !== null) out.push(`      forced: ${w.forcedReason}`);
    for (const f of w.failures) out.push(`      failed: ${f}`);
  });
  out.push('', `next: ${view.nextText}`);
  for (const a of view.attention) out.push(`attention: ${a}`);
  return out;
}
