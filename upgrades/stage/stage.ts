/**
 * Turns an upgrade plan into concrete, reviewable Terraform changes, wave by wave: for each stack
 * a wave touches, synthesize it before the wave (earlier waves' pins applied) and after it, and
 * compare the two. Only the stacks a wave touches are synthesized.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { stackId, type CustomerSpec } from '../../customers/schema';
import { PipelineStack } from '../../stacks/pipeline-stack';
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

/** One stack's synthesized configuration, through the same App path as `fleet synth` (policy rules included). */
export function synthesizeConfig(spec: CustomerSpec, now: Date): string {
  const dir = mkdtempSync(join(tmpdir(), 'stage-'));
  try {
    const app = new App({ outdir: dir, skipValidation: true, stackTraces: false });
    new PipelineStack(app, { spec, now });
    app.synth();
    return readFileSync(join(dir, 'stacks', stackId(spec), 'cdk.tf.json'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function stagePlan(specs: readonly CustomerSpec[], plan: UpgradePlan, now: Date): StagedPlan {
  const current = new Map(specs.map((s) => [stackId(s), s]));
  // Synthesized "before" configs are reused: a stack's baseline in one wave is its target in the last.
  const synthesized = new Map<string, string>();
  const synth = (spec: CustomerSpec): string => {
    const key = JSON.stringify(spec);
    let text = synthesized.get(key);
    if (text === undefined) {
      text = synthesizeConfig(spec, now);
      synthesized.set(key, text);
    }
    return text;
  };

  const waves = plan.waves.map((wave): StagedWave => {
    const stacks = wave.environments.map((env): StagedStack => {
      const before = current.get(env.stack);
      if (!before) throw new Error(`the plan names stack ${env.stack}, which no customer file defines; re-plan`);
      const after = applyPins(before, env.changes);
      const beforeText = synth(before);
      const target = synth(after);
      current.set(env.stack, after);
      const changeSet = computeChangeSet(env.stack, JSON.parse(beforeText) as TerraformConfig, JSON.parse(target) as TerraformConfig);
      return { stack: env.stack, customer: env.customer, environment: env.environment, pinChanges: env.changes, changeSet, target };
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
