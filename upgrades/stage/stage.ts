/**
 * Turns an upgrade plan into concrete, reviewable Terraform changes, wave by wave: for each stack
 * a wave touches, synthesize it before the wave (earlier waves' pins applied) and after it, and
 * compare the two. Only the stacks a wave touches are synthesized, through the fleet synth (so the
 * policy rules apply and large batches spread over worker processes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackId, type CustomerSpec } from '../../customers/schema';
import { synthFleet } from '../../stacks/synth-fleet';
import type { PlannedChange, UpgradePlan } from '../planner/types';
import { applyPins } from './apply-pins';
import { computeChangeSet } from './change-set';
import type { ChangeSet, Risk, TerraformConfig } from './types';

export interface StagedStack {
  readonly stack: string;
  readonly customer: string;
  readonly environment: string;
  readonly pinChanges: PlannedChange[];
  readonly changeSet: ChangeSet;
  /** The synthesized target configuration (what the wave deploys), as written to disk. */
  readonly target: string;
}

export interface StagedWave {
  readonly number: number;
  readonly name: string;
  readonly start: string;
  readonly fastTrack: boolean;
  readonly bakeDays: number;
  /** Stack ids the wave's CI job fans out over. */
  readonly matrix: string[];
  readonly stacks: StagedStack[];
}

export interface BlockingItem extends Risk {
  readonly wave: number;
  readonly stack: string;
}

export interface StagedPlan {
  readonly generatedFor: string;
  readonly waves: StagedWave[];
  readonly blocking: BlockingItem[];
  readonly plan: UpgradePlan;
}

interface Entry {
  readonly wave: number;
  readonly stack: string;
  readonly before: CustomerSpec;
  readonly after: CustomerSpec;
}

/**
 * Synthesizes the given specs through the fleet synth (policy rules included, worker processes
 * for large batches) and returns each stack's cdk.tf.json text. Stack ids must be unique.
 */
async function synthesizeAll(specs: readonly CustomerSpec[], now: Date, onStack?: (stack: string) => void): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'stage-'));
  try {
    const outDir = join(dir, 'out');
    await synthFleet(specs, { outDir, now, onStack });
    return new Map(specs.map((s) => [stackId(s), readFileSync(join(outDir, 'stacks', stackId(s), 'cdk.tf.json'), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits entries into rounds in which each stack appears once, so a round synthesizes in one folder. */
function rounds(entries: readonly Entry[]): Entry[][] {
  const out: Entry[][] = [];
  for (const entry of entries) {
    const round = out.find((r) => !r.some((e) => e.stack === entry.stack));
    if (round) round.push(entry);
    else out.push([entry]);
  }
  return out;
}

/** `onStack` is called after each of the (two per staged stack) syntheses, for a progress bar. */
export async function stagePlan(specs: readonly CustomerSpec[], plan: UpgradePlan, now: Date, onStack?: (stack: string) => void): Promise<StagedPlan> {
  // Pins accumulate wave by wave: a stack's baseline includes the waves before it.
  const current = new Map(specs.map((s) => [stackId(s), s]));
  const entries: Entry[] = plan.waves.flatMap((wave) =>
    wave.environments.map((env) => {
      const before = current.get(env.stack);
      if (!before) throw new Error(`the plan names stack ${env.stack}, which no customer file defines; re-plan`);
      const after = applyPins(before, env.changes);
      current.set(env.stack, after);
      return { wave: wave.number, stack: env.stack, before, after };
    }),
  );
  const configs = new Map<Entry, { before: string; after: string }>();
  for (const round of rounds(entries)) {
    const before = await synthesizeAll(round.map((e) => e.before), now, onStack);
    const after = await synthesizeAll(round.map((e) => e.after), now, onStack);
    for (const e of round) configs.set(e, { before: before.get(e.stack)!, after: after.get(e.stack)! });
  }

  let next = 0;
  const waves = plan.waves.map((wave): StagedWave => {
    const stacks = wave.environments.map((env): StagedStack => {
      const { before, after } = configs.get(entries[next++])!;
      const changeSet = computeChangeSet(env.stack, JSON.parse(before) as TerraformConfig, JSON.parse(after) as TerraformConfig);
      return { stack: env.stack, customer: env.customer, environment: env.environment, pinChanges: env.changes, changeSet, target: after };
    });
    return {
      number: wave.number,
      name: wave.name,
      start: wave.start,
      fastTrack: wave.fastTrack,
      bakeDays: wave.bakeDays,
      matrix: stacks.map((s) => s.stack),
      stacks,
    };
  });
  const blocking = waves.flatMap((w) =>
    w.stacks.flatMap((s) => s.changeSet.risks.filter((r) => r.level === 'blocking').map((r) => ({ ...r, wave: w.number, stack: s.stack }))),
  );
  return { generatedFor: plan.generatedFor, waves, blocking, plan };
}
