/**
 * secretlint (with its recommended preset) as a synchronous check, so every reader can use it
 * where it validates.
 *
 * secretlint is published as ES modules and its `lintSource` returns a promise, while the
 * readers are synchronous and jest 29 cannot load ES modules. So it runs in a worker thread,
 * where Node's own loader imports it, and the caller blocks on a shared counter until the
 * answer is posted back (Atomics.wait + receiveMessageOnPort). The worker starts on first use
 * (about 100 ms, once per process), is unref'd, and handles every later call in a few ms.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface SecretlintHit {
  /** Index of the value in the list given. */
  readonly index: number;
  /** e.g. "@secretlint/secretlint-rule-slack". */
  readonly ruleId: string;
}

/** How long one scan may take before the caller treats the scanner as failed (fail closed). */
const TIMEOUT_MS = 60_000;

// Runs in the worker (CommonJS, plain JavaScript); ES modules are loaded with import().
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { port, signal, core, preset } = workerData;
const loaded = Promise.all([import(pathToFileURL(core).href), import(pathToFileURL(preset).href)]);
port.on('message', async ({ content }) => {
  let reply;
  try {
    const [{ lintSource }, { creator }] = await loaded;
    const result = await lintSource({
      source: { content, filePath: 'input.txt', ext: '.txt', contentType: 'text' },
      options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] }, noPhysicFilePath: true, maskSecrets: true },
    });
    reply = { hits: result.messages.map((m) => ({ ruleId: m.ruleId, start: m.range[0] })) };
  } catch (e) {
    reply = { error: String((e && e.message) || e) };
  }
  port.postMessage(reply);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

interface Bridge {
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

let bridge: Bridge | undefined;

function start(): Bridge {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      port: port2,
      signal,
      core: require.resolve('@secretlint/core'),
      preset: require.resolve('@secretlint/secretlint-rule-preset-recommend'),
    },
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  worker.on('error', () => {
    bridge = undefined;
  });
  return { port: port1, signal };
}

/**
 * Starts the scanner ahead of its first use, so that it loads on another core while the caller
 * reads files; a no-op when it is running.
 */
export function startSecretlint(): void {
  bridge ??= start();
}

/** Separates values so that no secretlint pattern spans two of them. */
const SEPARATOR = '\n\n\u0000\n\n';

/**
 * What secretlint said of each value already scanned in this process: the rule that fired, or
 * null for clean. Each value is judged on its own (the separator keeps patterns apart), so the
 * answer never changes; a fleet's files are scanned in one worker call (`SecretScanner`)
 * instead of one call per file, whose fixed cost dominated validating thousands of files.
 */
const verdicts = new Map<string, string | null>();
const VERDICT_LIMIT = 2_000_000;

function scanInWorker(values: readonly string[]): void {
  if (values.length === 0) return;
  const starts: number[] = [];
  let offset = 0;
  for (const v of values) {
    starts.push(offset);
    offset += v.length + SEPARATOR.length;
  }
  const content = values.join(SEPARATOR);
  const b = (bridge ??= start());
  const before = Atomics.load(b.signal, 0);
  b.port.postMessage({ content });
  if (Atomics.wait(b.signal, 0, before, TIMEOUT_MS) === 'timed-out') {
    bridge = undefined;
    throw new Error(`secretlint did not answer within ${TIMEOUT_MS / 1000} s`);
  }
  const message = receiveMessageOnPort(b.port)?.message as { hits?: { ruleId: string; start: number }[]; error?: string } | undefined;
  if (!message || message.error !== undefined || !message.hits) throw new Error(`secretlint failed: ${message?.error ?? 'no answer'}`);
  if (verdicts.size + values.length > VERDICT_LIMIT) verdicts.clear();
  const fired = new Map<number, string>();
  for (const h of message.hits) {
    // The value whose span holds the hit's first character: binary search over the starts.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= h.start) lo = mid;
      else hi = mid - 1;
    }
    if (!fired.has(lo)) fired.set(lo, h.ruleId);
  }
  values.forEach((v, i) => verdicts.set(v, fired.get(i) ?? null));
}

/**
 * Runs secretlint's recommended rules over `values` and returns which ones it reports. Throws
 * when the scanner cannot run, so callers can fail closed.
 */
export function secretlintHits(values: readonly string[]): SecretlintHit[] {
  const known = (): { hits: SecretlintHit[]; fresh: Set<string> } => {
    const hits: SecretlintHit[] = [];
    const fresh = new Set<string>();
    values.forEach((v, index) => {
      const ruleId = verdicts.get(v);
      if (ruleId === undefined) fresh.add(v);
      else if (ruleId !== null) hits.push({ index, ruleId });
    });
    return { hits, fresh };
  };
  const first = known();
  if (first.fresh.size === 0) return first.hits;
  scanInWorker([...first.fresh]);
  // A full cache is cleared before new answers go in; what that dropped is scanned again, never taken as clean.
  const again = known();
  if (again.fresh.size === 0) return again.hits;
  scanInWorker([...again.fresh]);
  const last = known();
  if (last.fresh.size > 0) throw new Error('secretlint verdicts were dropped twice; the input holds too many distinct strings to scan');
  return last.hits;
}
