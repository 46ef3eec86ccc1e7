/**
 * The part of the planner's JSON (`fleet upgrades plan --json`, plan/upgrade-plan.json) that a
 * rollout reads: waves, their members and pin changes. The plan is a contract that may gain
 * fields, so unknown fields are allowed; the ones read here are checked, because a rollout
 * rewrites customer files on their say-so.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { COMPONENT_IDS, expect, PIN_VERSION, type ComponentId } from '../../customers/schema';
import type { ValidationIssue } from '../../customers/json-issues';
import { parseJsonFile } from './issues';
import { refinement } from '../../customers/refine';

const version = z.string().regex(PIN_VERSION, expect('an exact version such as 3.4.0'));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, expect('a date as YYYY-MM-DD'));

const change = z.looseObject({
  component: z.enum(COMPONENT_IDS),
  from: version,
  to: version,
});

const environment = z.looseObject({
  stack: z.string().regex(/^[a-z][a-z0-9-]*$/, expect('a stack id such as acme-retail-prod')),
  changes: z.array(change).min(1, expect('at least one pin change per planned environment')),
});

const wave = z.looseObject({
  number: z.number().int().min(1),
  name: z.string().min(1),
  start: isoDate,
  fastTrack: z.boolean(),
  bakeDays: z.number().int().min(0),
  environments: z.array(environment).min(1, expect('at least one environment per wave')),
});

const planSchema = z
  .looseObject({
    generatedFor: isoDate,
    waves: z.array(wave),
  })
  .check(refinement((plan, ctx) => {
    // Wave N waits for wave N-1: the numbers must be exactly 1..n, in order.
    plan.waves.forEach((w, i) => {
      if (w.number !== i + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['waves', i, 'number'],
          message: expect(`wave number ${i + 1} (waves are numbered 1..n in order)`, 'regenerate the plan with `fleet upgrades plan --json`'),
        });
      }
    });
    const seen = new Map<string, number>();
    plan.waves.forEach((w, i) =>
      w.environments.forEach((e, j) => {
        const first = seen.get(e.stack);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['waves', i, 'environments', j, 'stack'],
            message: expect(`a stack that is in one wave only (${e.stack} is also in wave ${first})`, 'regenerate the plan'),
          });
        } else seen.set(e.stack, w.number);
      }),
    );
  }));

export interface PinChange {
  readonly stack: string;
  readonly component: ComponentId;
  readonly from: string;
  readonly to: string;
}

export interface PlannedWave {
  readonly number: number;
  readonly name: string;
  /** The local date the plan scheduled the wave on. */
  readonly start: string;
  readonly fastTrack: boolean;
  readonly bakeDays: number;
  readonly stacks: string[];
  /** In the plan's order: per stack, prerequisites first. */
  readonly changes: PinChange[];
}

export interface RolloutPlan {
  readonly generatedFor: string;
  /**
   * Identifies the rollout: a hash of the waves' pin changes only, so re-planning on another day
   * with the same changes continues the same rollout, while different changes start a new one.
   */
  readonly digest: string;
  readonly waves: PlannedWave[];
}

export function planDigest(waves: readonly PlannedWave[]): string {
  const canonical = waves.map((w) => [w.number, w.changes.map((c) => [c.stack, c.component, c.from, c.to])]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 12);
}

/** Reads plan JSON text; `file` names it in every issue. */
export function parsePlan(file: string, text: string): { plan?: RolloutPlan; issues: ValidationIssue[] } {
  const result = parseJsonFile(file, text, planSchema, 'upgrades/planner/types.ts (UpgradePlan)');
  if (!result.data) {
    const raw = result.raw;
    const notAPlan = raw === null || typeof raw !== 'object' || !('waves' in raw);
    return {
      issues: notAPlan
        ? result.issues.map((i) => ({ ...i, hint: i.hint ?? 'this is not an upgrade plan: write one with `fleet upgrades plan --json --out FILE` (or `fleet main`)' }))
        : result.issues,
    };
  }
  const waves: PlannedWave[] = result.data.waves.map((w) => ({
    number: w.number,
    name: w.name,
    start: w.start,
    fastTrack: w.fastTrack,
    bakeDays: w.bakeDays,
    stacks: w.environments.map((e) => e.stack),
    changes: w.environments.flatMap((e) => e.changes.map((c) => ({ stack: e.stack, component: c.component, from: c.from, to: c.to }))),
  }));
  return { plan: { generatedFor: result.data.generatedFor, digest: planDigest(waves), waves }, issues: [] };
}
