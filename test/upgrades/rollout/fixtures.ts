/**
 * Rollout test inputs built from the example customer files as they are now, so the tests keep
 * working when someone edits a pin or a threshold: every plan reads its "from" from the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCustomerTexts } from '../../../customers/load';
import type { ComponentId, CustomerSpec } from '../../../customers/schema';
import { applyWave, decideApply, type WaveArg } from '../../../upgrades/rollout/apply';
import type { Judgement } from '../../../upgrades/rollout/gate';
import { recordGate } from '../../../upgrades/rollout/gate';
import { decideMark } from '../../../upgrades/rollout/mark';
import { parsePlan, type RolloutPlan } from '../../../upgrades/rollout/plan-input';
import type { RolloutState } from '../../../upgrades/rollout/state';

export const ROOT = join(__dirname, '..', '..', '..');
export const CUSTOMERS_DIR = join(ROOT, 'customers');
export const AT = new Date('2026-11-27T00:00:00Z');
export const DAY = 86_400_000;

export function day(n: number): Date {
  return new Date(AT.getTime() + n * DAY);
}

export function customerText(stack: string, dir = CUSTOMERS_DIR): string {
  return readFileSync(join(dir, `${stack}.json`), 'utf8');
}

export function specOf(stack: string): CustomerSpec {
  const { customers, issues } = validateCustomerTexts([{ file: `${stack}.json`, text: customerText(stack) }], { now: AT });
  if (issues.length > 0) throw new Error(`example ${stack} does not validate: ${JSON.stringify(issues)}`);
  return customers[0].spec;
}

export function pinOf(text: string, component: ComponentId): string {
  return (JSON.parse(text) as { components: Record<string, { version: string }> }).components[component].version;
}

/** A version above `v` that no example pins: patch + 100. */
export function bump(v: string): string {
  const [major, minor, patch] = v.split(/[.-]/).map(Number);
  return `${major}.${minor}.${patch + 100}`;
}

export interface WaveSpec {
  readonly name?: string;
  readonly bakeDays?: number;
  readonly members: readonly { readonly stack: string; readonly components: readonly ComponentId[] }[];
}

/** Plan JSON in the planner's shape (with fields the rollout ignores), each change from the current pin to bump(pin). */
export function planJson(waves: readonly WaveSpec[], dir = CUSTOMERS_DIR, generatedFor = '2026-11-27'): string {
  const plan = {
    generatedFor,
    summary: { environments: 0 },
    waves: waves.map((w, i) => ({
      number: i + 1,
      name: w.name ?? `wave ${i + 1}`,
      stage: w.name ?? 'stage',
      start: '2026-11-27',
      fastTrack: false,
      bakeDays: w.bakeDays ?? 3,
      environments: w.members.map((m) => {
        const text = customerText(m.stack, dir);
        return {
          stack: m.stack,
          customer: m.stack.replace(/-(prod|staging|dev)$/, ''),
          environment: /-(prod|staging|dev)$/.exec(m.stack)![1],
          ring: 2,
          priority: 1,
          window: { start: '', end: '', local: '' },
          notes: [],
          changes: m.components.map((component) => ({
            component,
            from: pinOf(text, component),
            to: bump(pinOf(text, component)),
            score: 1,
            reasons: ['test'],
          })),
        };
      }),
    })),
    deferred: [],
    statuses: [],
    ranking: [],
  };
  return `${JSON.stringify(plan, null, 2)}\n`;
}

export function planOf(waves: readonly WaveSpec[], generatedFor?: string): RolloutPlan {
  const { plan, issues } = parsePlan('plan.json', planJson(waves, CUSTOMERS_DIR, generatedFor));
  if (!plan) throw new Error(JSON.stringify(issues));
  return plan;
}

/** The four-wave example: canary, non-prod (AWS + GCP), prod, prod. */
export const WAVES: readonly WaveSpec[] = [
  { name: 'canary', members: [{ stack: 'globex-games-dev', components: ['collector'] }] },
  {
    name: 'non-prod',
    members: [
      { stack: 'acme-retail-staging', components: ['collector', 'enrich'] },
      { stack: 'helios-media-staging', components: ['enrich'] },
    ],
  },
  { name: 'prod ring 2', members: [{ stack: 'acme-retail-prod', components: ['s3-loader', 'enrich'] }] },
  { name: 'prod ring 3', members: [{ stack: 'nordic-news-prod', components: ['s3-loader'] }] },
];

/** Applies a wave in memory (pure path), against the repository's customer texts. */
export function applied(plan: RolloutPlan, state: RolloutState | undefined, wave: WaveArg, at: Date, force?: { reason: string }): RolloutState {
  const d = decideApply({ plan, state, wave, at, force });
  if (d.kind !== 'go') throw new Error(`expected go, got ${JSON.stringify(d)}`);
  const files = d.wave.stacks.map((stack) => ({ stack, file: `customers/${stack}.json`, text: customerText(stack) }));
  const r = applyWave(d, files, at, force);
  if (r.kind !== 'write') throw new Error(`expected write, got ${JSON.stringify(r)}`);
  return r.state;
}

export function deployed(state: RolloutState, wave: number, at: Date): RolloutState {
  const m = decideMark(state, wave, at, state.waves[String(wave)].stacks);
  if (m.kind !== 'marked') throw new Error(`expected marked, got ${JSON.stringify(m)}`);
  return m.state;
}

export const HEALTHY: Judgement = { verdict: 'healthy', checks: [], failures: [], ignored: [] };
export const HALTED: Judgement = {
  verdict: 'halted',
  checks: [],
  failures: [{ stack: 'globex-games-dev', metric: 'maxConsumerLagSeconds', observed: 4000, limit: 600, reason: '4000 > 600' }],
  ignored: [],
};

/** Records a verdict on metrics from the deploy to `to`. */
export function gated(state: RolloutState, wave: number, judgement: Judgement, to: Date): RolloutState {
  const w = state.waves[String(wave)];
  return recordGate(state, w, judgement, { from: w.deployedAt!, to: to.toISOString() }, to).state;
}

/** wave 1..n applied, deployed and judged healthy after the bake. */
export function settled(plan: RolloutPlan, upTo: number): RolloutState {
  let state: RolloutState | undefined;
  for (let n = 1; n <= upTo; n++) {
    const start = day(4 * (n - 1));
    state = applied(plan, state, n, start);
    state = deployed(state, n, start);
    state = gated(state, n, HEALTHY, new Date(start.getTime() + 3 * DAY));
  }
  return state!;
}
