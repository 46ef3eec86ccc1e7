/**
 * The secret scan of a whole fleet's customer files on a second core. Scanning every string of
 * 10,000 files is a third of validating them; on a worker thread it runs while the caller parses
 * and checks the same files against the schema, and the caller collects the results after.
 *
 * The worker is the compiled customers/secret-scan-worker.js; when this module runs from
 * TypeScript source (the test runner), there is none and the caller scans in-process instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SecretScan } from './secret-detector';
import type { BackgroundScanResult } from './secret-scan-worker';

/** Below this many files, starting a worker thread costs more than it saves. */
export const BACKGROUND_SCAN_MIN_FILES = 500;

/** How long the caller waits for the worker before every file fails its scan (fail closed). */
const TIMEOUT_MS = 60_000;

export interface PendingScans {
  /**
   * Blocks until the worker has answered: per input, its scan, or an Error when it could not be
   * scanned (the whole batch fails when the worker does), or undefined when it is not JSON.
   */
  results(): (SecretScan | Error | undefined)[];
}

const WORKER = join(__dirname, 'secret-scan-worker.js');

/** Starts scanning on a worker thread; undefined when there are too few texts or no compiled worker. */
export function scanInBackground(texts: readonly (string | Uint8Array)[]): PendingScans | undefined {
  if (texts.length < BACKGROUND_SCAN_MIN_FILES || !__filename.endsWith('.js') || !existsSync(WORKER)) return undefined;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { workerData: { port: port2, signal, texts }, transferList: [port2], stdout: false, stderr: false });
  let failure: string | undefined;
  worker.on('error', (e) => {
    failure = e.message;
  });
  return {
    results() {
      const waited = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
      const message = receiveMessageOnPort(port1)?.message as BackgroundScanResult[] | { failed: string } | undefined;
      void worker.terminate();
      const fail = (why: string) => texts.map(() => new Error(`the secret scan failed: ${why}`));
      if (waited === 'timed-out') return fail(`no answer within ${TIMEOUT_MS / 1000} s`);
      if (message === undefined) return fail(failure ?? 'the scanner stopped without an answer');
      if (!Array.isArray(message)) return fail(message.failed);
      return message.map((r) => (r === null ? undefined : 'scan' in r ? r.scan : new Error(r.error)));
    },
  };
}
