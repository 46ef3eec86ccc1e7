import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stackId, type CustomerSpec } from '../customers/schema';
import { replaceFolder, type OutputFolderOptions } from '../files/output-folder';
import type { ManifestStacks } from './stack-writer';

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

/** Customer environments in stack-id order, the order stacks are synthesized and listed in. */
export function sortByStack(specs: readonly CustomerSpec[]): CustomerSpec[] {
  return [...specs].sort((a, b) => stackId(a).localeCompare(stackId(b)));
}

/** What synthFleet sends a worker: where to write, then stacks one at a time, then the end. */
export type ToWorker = { start: { dir: string; now: string } } | { spec: CustomerSpec } | { done: true };
/** What a worker answers: each stack written, then its manifest entries (or why it stopped). */
export type FromWorker = { synthesized: string } | { ok: true; manifest: { version: string; stacks: ManifestStacks }; maxRssKb: number } | { ok: false; error: string };

/**
 * Stacks a worker holds beyond the one it is synthesizing, so it never waits for the next.
 * Handing them out a few at a time, rather than a fixed share each up front, keeps the workers
 * busy until the end whatever each stack costs and however the cores are shared.
 */
const AHEAD = 2;

/** Runs a StackWriter in a child process (compiled JavaScript only), fed by `next` until it returns undefined. */
function synthInWorker(dir: string, now: Date, next: () => CustomerSpec | undefined, onStack: (stack: string) => void): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'synth-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const send = (msg: ToWorker): void => void child.send(msg);
    let held = 0;
    let answered = false;
    const feed = (): void => {
      while (held <= AHEAD) {
        const spec = next();
        if (spec === undefined) break;
        send({ spec });
        held++;
      }
      if (held === 0) send({ done: true });
    };
    child.on('message', (msg: FromWorker) => {
      if ('synthesized' in msg) {
        held--;
        onStack(msg.synthesized);
        return feed();
      }
      answered = true;
      if (msg.ok) resolvePromise({ ...msg.manifest, maxRssKb: msg.maxRssKb });
      else reject(new Error(msg.error));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`synth worker exited with code ${code} before reporting`));
    });
    send({ start: { dir, now: now.toISOString() } });
    feed();
  });
}

/** Synthesizes `specs` over `workers` processes into `staging`/stacks; every worker runs to its end before a failure is reported. */
async function synthOverWorkers(specs: readonly CustomerSpec[], staging: string, now: Date, workers: number, onStack: (stack: string) => void): Promise<WorkerResult[]> {
  let index = 0;
  let failed = false;
  const next = (): CustomerSpec | undefined => (failed || index >= specs.length ? undefined : specs[index++]);
  const dirs = Array.from({ length: workers }, (_, w) => join(staging, `.worker-${w}`));
  const settled = await Promise.allSettled(
    dirs.map((dir) => {
      mkdirSync(dir, { recursive: true });
      return synthInWorker(dir, now, next, onStack).catch((e: unknown) => {
        // The others finish the stacks they hold and get no more.
        failed = true;
        throw e;
      });
    }),
  );
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  mkdirSync(join(staging, 'stacks'), { recursive: true });
  for (const dir of dirs) {
    // A worker that got no stack wrote no folder.
    const written = join(dir, 'stacks');
    for (const stack of existsSync(written) ? readdirSync(written) : []) renameSync(join(written, stack), join(staging, 'stacks', stack));
    rmSync(dir, { recursive: true, force: true });
  }
  return settled.map((r) => (r as PromiseFulfilledResult<WorkerResult>).value);
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
      // Loaded here: a process that only hands stacks to workers never loads cdktf and the constructs.
      parts = [(require('./stack-writer') as typeof import('./stack-writer')).synthStacksInto(sorted, staging, opts.now, onStack)];
    } else {
      parts = await synthOverWorkers(sorted, staging, opts.now, workers, onStack);
    }
    const stacks: ManifestStacks = {};
    for (const part of parts) Object.assign(stacks, part.stacks);
    const ordered = Object.fromEntries(Object.keys(stacks).sort().map((k) => [k, stacks[k]]));
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify({ stacks: ordered, version: parts.find((p) => p.version !== '')?.version ?? '' }, null, 2)}\n`);
    return { stacks: sorted.map(stackId), outDir, workerPeakRssMb: parts.flatMap((p) => (p.maxRssKb ? [p.maxRssKb / 1024] : [])) };
  }, opts.output);
}
