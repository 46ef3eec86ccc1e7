/**
 * The rollout state file (default rollout/state.json): which plan the fleet is rolling out and
 * where each of its waves stands. It is committed with the pin changes it records, so the state
 * on the main branch says "in progress" exactly when a wave's pin pull request has merged.
 *
 * A wave moves pending -> in-progress (pins rewritten: `fleet rollout apply`) -> deployed (CI's
 * deploy succeeded: `fleet rollout mark --deployed`) and then, by the health gate
 * (`fleet rollout gate`), stays deployed when healthy or becomes halted.
 */
import { z } from 'zod';
import { COMPONENT_IDS } from '../../customers/schema';
import type { ValidationIssue } from '../../customers/json-issues';
import { parseJsonFile } from './issues';
import type { PlannedWave, RolloutPlan } from './plan-input';

export const WAVE_STATUSES = ['pending', 'in-progress', 'deployed', 'halted'] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];

const instant = z.iso.datetime({ offset: false });

const pinChange = z.strictObject({
  stack: z.string(),
  component: z.enum(COMPONENT_IDS),
  from: z.string(),
  to: z.string(),
});

const gateFailure = z.strictObject({
  stack: z.string(),
  metric: z.string(),
  /** null: the metrics file had no value ("no data" is not healthy). */
  observed: z.number().nullable(),
  /** The limit the value broke, or null when there was nothing to compare. */
  limit: z.number().nullable(),
  reason: z.string(),
});

const gateRecord = z.strictObject({
  at: instant,
  /** The period the judged metrics cover. */
  window: z.strictObject({ from: instant, to: instant }),
  verdict: z.enum(['healthy', 'halted']),
  /** Whether the window reaches the end of the wave's bake (deployed + bakeDays). */
  baked: z.boolean(),
  failures: z.array(gateFailure),
});

const waveRecord = z.strictObject({
  number: z.number().int().min(1),
  name: z.string(),
  start: z.string(),
  fastTrack: z.boolean(),
  bakeDays: z.number().int().min(0),
  status: z.enum(WAVE_STATUSES),
  stacks: z.array(z.string()),
  changes: z.array(pinChange),
  appliedAt: instant.optional(),
  /** Set when the wave was applied past a refusal: who asked is in git, why is here. */
  forced: z.strictObject({ reason: z.string().min(1), at: instant, overrode: z.array(z.string()) }).optional(),
  deployedAt: instant.optional(),
  /** deployedAt + bakeDays: a healthy verdict counts once its metrics reach this instant. */
  bakeEnds: instant.optional(),
  /** Every verdict, oldest first; the last one taken after the latest deploy decides. */
  gates: z.array(gateRecord),
});

const rollout = z.strictObject({
  plan: z.strictObject({ generatedFor: z.string(), digest: z.string() }),
  startedAt: instant,
  waves: z.record(z.string().regex(/^[1-9]\d*$/), waveRecord),
});

const stateSchema = z.strictObject({
  formatVersion: z.literal(1),
  ...rollout.shape,
  /** Earlier rollouts, newest first, kept for the audit trail (forced reasons, verdicts). */
  previous: z.array(rollout),
});

export type GateFailure = z.infer<typeof gateFailure>;
export type GateRecord = z.infer<typeof gateRecord>;
export type WaveRecord = z.infer<typeof waveRecord>;
export type Rollout = z.infer<typeof rollout>;
export type RolloutState = z.infer<typeof stateSchema>;

/** How many earlier rollouts the state keeps. */
export const PREVIOUS_KEPT = 50;

export function parseState(file: string, text: string): { state?: RolloutState; issues: ValidationIssue[] } {
  const result = parseJsonFile(file, text, stateSchema, 'upgrades/rollout/state.ts');
  if (!result.data) return { issues: result.issues.map((i) => ({ ...i, hint: i.hint ?? 'the rollout state is written by `fleet rollout`; restore it from git' })) };
  const state = result.data;
  for (const [key, w] of Object.entries(state.waves)) {
    if (Number(key) !== w.number) {
      return { issues: [{ file, path: `waves.${key}.number`, expected: `${key} (the key it is filed under)`, got: String(w.number), hint: 'restore the state from git' }] };
    }
  }
  return { state, issues: [] };
}

/**
 * Two-space JSON with a final newline, waves in number order and every object's keys in the
 * schema's order (however the object was built), so the same state is always the same text
 * and a diff shows only what changed.
 */
export function renderState(state: RolloutState): string {
  const ordered = (r: Rollout): Rollout => ({ ...r, waves: Object.fromEntries(sortedWaves(r).map((w) => [String(w.number), w])) });
  const canonical = stateSchema.parse({ ...state, ...ordered(state), previous: state.previous.map(ordered) });
  return `${JSON.stringify(canonical, null, 2)}\n`;
}

export function sortedWaves(r: Pick<Rollout, 'waves'>): WaveRecord[] {
  return Object.values(r.waves).sort((a, b) => a.number - b.number);
}

/** A new rollout of `plan`: every wave pending. */
export function startRollout(plan: RolloutPlan, at: Date): Rollout {
  return {
    plan: { generatedFor: plan.generatedFor, digest: plan.digest },
    startedAt: at.toISOString(),
    waves: Object.fromEntries(plan.waves.map((w) => [String(w.number), pendingWave(w)])),
  };
}

function pendingWave(w: PlannedWave): WaveRecord {
  return {
    number: w.number,
    name: w.name,
    start: w.start,
    fastTrack: w.fastTrack,
    bakeDays: w.bakeDays,
    status: 'pending',
    stacks: [...w.stacks],
    changes: w.changes.map((c) => ({ ...c })),
    gates: [],
  };
}

export type WaveHealth =
  | { readonly kind: 'not-applied' }
  | { readonly kind: 'not-deployed' }
  | { readonly kind: 'not-gated' }
  | { readonly kind: 'healthy'; readonly gate: GateRecord }
  | { readonly kind: 'baking'; readonly gate: GateRecord; readonly bakeEnds: string }
  | { readonly kind: 'halted'; readonly gate: GateRecord };

/**
 * What the gate says about a wave since its latest deploy. A verdict taken before a re-deploy
 * judged other versions, so it no longer counts.
 */
export function waveHealth(w: WaveRecord): WaveHealth {
  if (w.status === 'pending') return { kind: 'not-applied' };
  if (w.status === 'in-progress' || w.deployedAt === undefined) return { kind: 'not-deployed' };
  const gate = [...w.gates].reverse().find((g) => g.at >= w.deployedAt!);
  if (!gate) return { kind: 'not-gated' };
  if (gate.verdict === 'halted') return { kind: 'halted', gate };
  return gate.baked ? { kind: 'healthy', gate } : { kind: 'baking', gate, bakeEnds: w.bakeEnds ?? w.deployedAt };
}

/** Timestamps as people read them in tables and messages: "2026-11-27 14:05". */
export function showInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** One line per failed check: "acme-retail-prod maxConsumerLagSeconds: 900 > 300 ...". */
export function describeFailure(f: GateFailure): string {
  return `${f.stack} ${f.metric}: ${f.reason}`;
}

/** The first few failed checks, for one-line messages; `fleet rollout status` lists them all. */
function failureSummary(failures: readonly GateFailure[]): string {
  const shown = failures.slice(0, 3).map(describeFailure).join('; ');
  return failures.length > 3 ? `${shown}; and ${failures.length - 3} more (see \`fleet rollout status\`)` : shown;
}

/**
 * Why a wave is not (yet) a safe base for the next one, or undefined when it is: deployed, and
 * judged healthy by a gate whose metrics cover the whole bake.
 */
export function notSettledReason(w: WaveRecord): string | undefined {
  const name = `wave ${w.number} (${w.name})`;
  const h = waveHealth(w);
  switch (h.kind) {
    case 'healthy':
      return undefined;
    case 'not-applied':
      return `${name} has not been applied yet: run \`fleet rollout apply --wave ${w.number}\``;
    case 'not-deployed':
      return `${name} was applied on ${showInstant(w.appliedAt ?? '')} but is not recorded as deployed: CI runs \`fleet rollout mark --deployed --stacks "..."\` with the deployed stacks after the deploy jobs succeed`;
    case 'not-gated':
      return `${name} was deployed on ${showInstant(w.deployedAt ?? '')} but no health gate has judged it since: run \`fleet rollout gate --wave ${w.number} --metrics FILE\``;
    case 'baking':
      return `${name} is healthy on metrics ${showInstant(h.gate.window.from)} .. ${showInstant(h.gate.window.to)}, but its ${w.bakeDays}-day bake runs from ${showInstant(w.deployedAt ?? '')} until ${showInstant(h.bakeEnds)}: gate it again with metrics over all of it`;
    case 'halted':
      return `${name} is halted by the health gate of ${showInstant(h.gate.at)}: ${failureSummary(h.gate.failures)}`;
  }
}
