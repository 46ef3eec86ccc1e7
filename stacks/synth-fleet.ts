import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { stackId, type CustomerSpec } from '../customers/schema';
import { PipelineStack } from './pipeline-stack';

export interface SynthOptions {
  /** Folder that will hold manifest.json and stacks/<stack>/cdk.tf.json. */
  readonly outDir: string;
  readonly now: Date;
  /** Called after each batch of stacks is built, for progress on a terminal. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SynthResult {
  readonly stacks: string[];
  readonly outDir: string;
}

/** Adds one stack per customer environment to an app. */
export function addStacks(app: App, specs: readonly CustomerSpec[], now: Date): PipelineStack[] {
  return [...specs].sort((a, b) => stackId(a).localeCompare(stackId(b))).map((spec) => new PipelineStack(app, { spec, now }));
}

/**
 * Synthesizes every given customer environment into `outDir`, all or nothing: stacks are written
 * to a sibling folder that replaces `outDir` only once every stack has synthesized and passed the
 * policy rules, so a failure leaves the previous output untouched.
 */
export function synthFleet(specs: readonly CustomerSpec[], opts: SynthOptions): SynthResult {
  const outDir = resolve(opts.outDir);
  const staging = join(dirname(outDir), `.${outDir.split('/').pop()}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const app = new App({ outdir: staging, skipValidation: true });
    const stacks = addStacks(app, specs, opts.now);
    opts.onProgress?.(stacks.length, stacks.length);
    app.synth();
    const previous = `${staging}.previous`;
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    rmSync(previous, { recursive: true, force: true });
    return { stacks: stacks.map((s) => s.node.id), outDir };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
