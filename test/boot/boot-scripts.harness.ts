/**
 * Runs every boot script the stacks generate, for the example customers and for every component
 * at the newest release of each supported line, on both clouds, and asserts what each container
 * gets (see harness.ts). Each stack is synthesized once; identical scripts run once.
 */
import { cpus } from 'node:os';
import { loadCustomers } from '../../customers/load';
import { CUSTOMERS_DIR, NOW } from '../support/specs';
import { supportedSpecs } from '../support/supported-specs';
import { checkBootScript, expectedApps, synthesize, type ScriptResult } from './harness';
import { RUN_STATS } from './sandbox/sandbox';

const examples = loadCustomers(CUSTOMERS_DIR, { now: NOW }).customers.map((c) => ({ label: `example ${c.spec.id}-${c.spec.environment}`, spec: c.spec }));
const stacks = [...examples, ...supportedSpecs()].map(({ label, spec }) => synthesize(label, spec));
const totals = { scripts: 0, containers: 0, runs: new Set<string>() };

// All scripts run up front, one per core (the checks themselves are cheap).
let results: Map<string, ScriptResult>;
beforeAll(async () => {
  results = new Map();
  const jobs = stacks.flatMap((s) => s.scripts.map((script) => ({ s, script, key: `${s.label} ${script.address}` })));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      results.set(job.key, await checkBootScript(job.s, job.script));
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, cpus().length) }, worker));
}, 240_000);

afterAll(() => {
  process.stderr.write(
    `boot-script harness: ${totals.scripts} boot scripts and ${totals.containers} containers checked across ${stacks.length} stacks; ${RUN_STATS.runs} sandbox runs, ${(RUN_STATS.ms / 1000).toFixed(1)} s of run time\n`,
  );
});

describe.each(stacks.map((s) => [s.label, s] as const))('%s', (_label, s) => {
  test('has boot scripts to check', () => {
    expect(s.scripts.length).toBeGreaterThan(0);
  });
  test('runs every app each component needs, and the RDB loader reads the queue the transformer writes', () => {
    const mine = s.scripts.map((script) => results.get(`${s.label} ${script.address}`)!);
    const running = new Set(mine.flatMap((r) => r.apps));
    const pins = s.spec.components as Record<string, { version: string } | undefined>;
    const missing = Object.entries(pins).flatMap(([component, pin]) => (pin ? expectedApps(component, pin.version) : [])).filter((app) => !running.has(app));
    expect(missing).toEqual([]);
    const notes = mine.flatMap((r) => r.notes);
    const written = notes.filter(([k]) => k === 'rdb queue written').map(([, v]) => v);
    const read = notes.filter(([k]) => k === 'rdb queue read').map(([, v]) => v);
    expect(read.filter((q) => !written.includes(q))).toEqual([]);
  });
  test.each(s.scripts.map((script) => [script.address.split('.')[1], script] as const))('%s boots its apps as their contracts say', (_name, script) => {
    const r = results.get(`${s.label} ${script.address}`)!;
    totals.scripts++;
    totals.containers += r.containers;
    expect(r.problems).toEqual([]);
  });
});
