import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { stackId, type CustomerSpec } from '../customers/schema';
import { PipelineStack } from './pipeline-stack';
import { disableTokenStackTraces } from './token-stack-traces';

/** manifest.json's "stacks": each stack's entry, by stack id. */
export type ManifestStacks = Record<string, unknown>;

/**
 * Synthesizes stacks one at a time into `dir` (stacks/<id>/cdk.tf.json) and collects their
 * manifest entries. One short-lived App per stack: memory stays flat however large the fleet,
 * and the garbage collector never walks every stack's construct tree at once.
 */
export class StackWriter {
  private readonly manifest = { version: '', stacks: {} as ManifestStacks };

  constructor(
    private readonly dir: string,
    private readonly now: Date,
  ) {
    disableTokenStackTraces();
  }

  /** Synthesizes one stack and returns its id. */
  synth(spec: CustomerSpec): string {
    const app = new App({ outdir: this.dir, skipValidation: true, stackTraces: false });
    new PipelineStack(app, { spec, now: this.now });
    app.synth();
    const written = JSON.parse(readFileSync(join(this.dir, 'manifest.json'), 'utf8')) as { version: string; stacks: ManifestStacks };
    this.manifest.version = written.version;
    Object.assign(this.manifest.stacks, written.stacks);
    return stackId(spec);
  }

  /** The manifest entries of every stack written; the per-App manifest.json is removed. */
  finish(): { version: string; stacks: ManifestStacks } {
    rmSync(join(this.dir, 'manifest.json'), { force: true });
    return this.manifest;
  }
}

/** Synthesizes stacks into `dir` in-process and returns their manifest entries. */
export function synthStacksInto(specs: readonly CustomerSpec[], dir: string, now: Date, onStack: (stack: string) => void = () => {}): { version: string; stacks: ManifestStacks } {
  const writer = new StackWriter(dir, now);
  for (const spec of specs) onStack(writer.synth(spec));
  return writer.finish();
}
