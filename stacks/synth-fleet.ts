import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { stackId, type CustomerSpec } from '../customers/schema';
import { replaceFolder, type OutputFolderOptions } from '../files/output-folder';
import { PipelineStack } from './pipeline-stack';
import { disableTokenStackTraces } from './token-stack-traces';

export interface SynthOptions {
  /** Folder that will hold manifest.json and stacks/<stack>/cdk.tf.json. */
  readonly outDir: string;
  readonly now: Date;
  /** Worker processes for large fleets. Default: one per core, up to 4; 1 synthesizes in-process. */
  readonly workers?: number;
  /** Where outDir may be and what it may replace. Default: any new, empty or fleet-made folder outside the working directory's ancestry. */
  readonly output?: OutputFolderOptions;
  /** Called once per synthesized stack (for a progress bar). Default: nothing. */
  readonly onStack?: (stack: string) => void;
}

export interface SynthResult {
  readonly stacks: string[];
  readonly outDir: string;
  /** Peak RSS of each worker process, in MB; empty when synthesized in-process. */
  readonly workerPeakRssMb: number[];
}

interface WorkerResult {
  readonly version: string;
  readonly stacks: ManifestStacks;
  readonly maxRssKb?: number;
}

/** Below this many stacks, starting worker processes costs more than it saves. */
const PARALLEL_THRESHOLD = 12;

type ManifestStacks = Record<string, unknown>;

/** Adds one stack per customer environment to an app, in stack-id order. */
export function addStacks(app: App, specs: readonly CustomerSpec[], now: Date): PipelineStack[] {
  return sortByStack(specs).map((spec) => new PipelineStack(app, { spec, now }));
}

function sortByStack(specs: readonly CustomerSpec[]): CustomerSpec[] {
  return [...specs].sort((a, b) => stackId(a).localeCompare(stackId(b)));
}

/**
 * Synthesizes stacks into `dir` (stacks/<id>/cdk.tf.json) and returns their manifest entries.
 * One short-lived App per stack: memory stays flat however large the fleet, and the garbage
 * collector never walks every stack's construct tree at once.
 */
export function synthStacksInto(specs: readonly CustomerSpec[], dir: string, now: Date, onStack: (stack: string) => void = () => {}): { version: string; stacks: ManifestStacks } {
  disableTokenStackTraces();
  const manifest = { version: '', stacks: {} as ManifestStacks };
  for (const spec of specs) {
    const app = new App({ outdir: dir, skipValidation: true, stackTraces: false });
    new PipelineStack(app, { spec, now });
    app.synth();
    const written = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
    manifest.version = written.version;
    Object.assign(manifest.stacks, written.stacks);
    onStack(stackId(spec));
  }
  rmSync(join(dir, 'manifest.json'), { force: true });
  return manifest;
}

/** Runs synthStacksInto in a child process (compiled JavaScript only). */
function synthInWorker(specs: readonly CustomerSpec[], dir: string, now: Date, onStack: (stack: string) => void): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'synth-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.on('message', (msg: { ok: boolean; manifest?: WorkerResult; maxRssKb?: number; error?: string; synthesized?: string }) => {
      if (msg.synthesized !== undefined) return onStack(msg.synthesized);
      answered = true;
      if (msg.ok && msg.manifest) resolvePromise({ ...msg.manifest, maxRssKb: msg.maxRssKb });
      else reject(new Error(msg.error ?? 'synth worker failed'));
    });
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`synth worker exited with code ${code} before reporting`));
    });
    child.send({ specs, dir, now: now.toISOString() });
  });
}

/**
 * Synthesizes every given customer environment into `outDir`, all or nothing: stacks are written
 * to a sibling folder that replaces `outDir` only once every stack has synthesized and passed the
 * policy rules, so a failure leaves the previous output untouched. Large fleets are split over
 * worker processes, one per core.
 */
export async function synthFleet(specs: readonly CustomerSpec[], opts: SynthOptions): Promise<SynthResult> {
  const outDir = resolve(opts.outDir);
  const onStack = opts.onStack ?? (() => {});
  return replaceFolder(outDir, async (staging) => {
    const sorted = sortByStack(specs);
    const compiled = __filename.endsWith('.js');
    const workers = Math.min(opts.workers ?? Math.min(availableParallelism(), 4), Math.ceil(sorted.length / PARALLEL_THRESHOLD));
    let parts: WorkerResult[];
    if (!compiled || workers <= 1) {
      parts = [synthStacksInto(sorted, staging, opts.now, onStack)];
    } else {
      // Round-robin keeps the chunks equal in size and in their mix of clouds.
      const assigned = Array.from({ length: workers }, (_, w) => sorted.filter((_, i) => i % workers === w));
      parts = await Promise.all(
        assigned.map((chunk, w) => {
          const dir = join(staging, `.worker-${w}`);
          mkdirSync(dir, { recursive: true });
          return synthInWorker(chunk, dir, opts.now, onStack);
        }),
      );
      mkdirSync(join(staging, 'stacks'), { recursive: true });
      for (let w = 0; w < workers; w++) {
        const dir = join(staging, `.worker-${w}`);
        for (const stack of readdirSync(join(dir, 'stacks'))) renameSync(join(dir, 'stacks', stack), join(staging, 'stacks', stack));
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const stacks: ManifestStacks = {};
    for (const part of parts) Object.assign(stacks, part.stacks);
    const ordered = Object.fromEntries(Object.keys(stacks).sort().map((k) => [k, stacks[k]]));
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify({ stacks: ordered, version: parts[0]?.version ?? '' }, null, 2)}\n`);
    return { stacks: sorted.map(stackId), outDir, workerPeakRssMb: parts.flatMap((p) => (p.maxRssKb ? [p.maxRssKb / 1024] : [])) };
  }, opts.output);
}
