/**
 * The worker thread behind customers/background-scan.ts: scans many input files' strings for
 * secrets (the project's patterns and secretlint) and posts one result per file. It reads the
 * same bytes the caller's strict reader reads and parses them with the same JSON.parse, so it
 * scans the same values; files JSON.parse refuses are left to the strict reader.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { jsonStrings, scanSecrets, skipSchemaField, type SecretScan } from './secret-detector';
import { prescanSecretlint, startSecretlint } from './secretlint-scan';

export type BackgroundScanResult = { readonly scan: SecretScan } | { readonly error: string } | null;

interface Job {
  readonly port: MessagePort;
  readonly signal: Int32Array;
  readonly texts: readonly (string | Uint8Array)[];
}

function run({ texts }: Job): BackgroundScanResult[] {
  // secretlint loads on its own thread while the files are parsed here.
  startSecretlint();
  const values = texts.map((text) => {
    try {
      return { value: JSON.parse(typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8')) as unknown };
    } catch {
      return undefined;
    }
  });
  try {
    prescanSecretlint(jsonStrings(values.flatMap((v) => (v ? [v.value] : []))));
  } catch {
    // Each file's own scan below runs secretlint again and fails closed with its error.
  }
  return values.map((v) => {
    if (v === undefined) return null;
    try {
      return { scan: scanSecrets(v.value, skipSchemaField) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
}

const job = workerData as Job;
let results: BackgroundScanResult[] | { readonly failed: string };
try {
  results = run(job);
} catch (e) {
  results = { failed: (e as Error).message };
}
job.port.postMessage(results);
Atomics.store(job.signal, 0, 1);
Atomics.notify(job.signal, 0);
