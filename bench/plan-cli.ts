/**
 * `fleet upgrades plan` end to end through the built CLI (read, validate, plan, write) on
 * generated customer files: 2,000 and 10,000 of them, to show the time and that it grows
 * linearly. The files are copies of an example customer with the id, class, ring, window and
 * pins varied; they live in a temporary folder that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../upgrades/catalog/schema';

const SIZES = [2_000, 10_000];
const ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
const WINDOWS = [
  [{ days: ['tue', 'wed', 'thu'], start: '02:00', durationHours: 4 }],
  [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', durationHours: 8 }],
  [{ days: ['sat', 'sun'], start: '03:00', durationHours: 3 }],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a customer file as parsed JSON
function writeFleet(root: string, template: any, catalog: Catalog, size: number): string {
  const dir = join(root, `customers-${size}`);
  mkdirSync(dir);
  for (let i = 0; i < size; i++) {
    const spec = structuredClone(template);
    const environment = i % 2 === 0 ? 'prod' : i % 5 === 1 ? 'dev' : 'staging';
    spec.id = `customer-${String(i).padStart(5, '0')}`;
    spec.environment = environment;
    spec.rollout = { ring: i % 20 === 0 ? 0 : 1 + (i % 3) };
    spec.maintenance = { timezone: ZONES[i % ZONES.length], windows: WINDOWS[i % WINDOWS.length] };
    spec.freezes = i % 7 === 0 ? [{ start: '2026-12-20', end: '2027-01-04', reason: 'year-end peak' }] : [];
    for (const component of Object.keys(spec.components)) {
      const releases = catalog.components[component as keyof Catalog['components']]!.releases.filter((r) => /^\d+\.\d+\.\d+$/.test(r.version));
      spec.components[component].version = releases[releases.length - 1 - ((i * 7 + component.length) % Math.min(12, releases.length))].version;
    }
    writeFileSync(join(dir, `${spec.id}-${environment}.json`), JSON.stringify(spec));
  }
  return dir;
}

/** Runs per size: the machine's speed changes by a fifth from one run to the next, so one run says little. */
const RUNS: Readonly<Record<number, number>> = { 2_000: 3, 10_000: 5 };

/** One `fleet upgrades plan --json --out` run on `dir`: wall and CPU time, or why it failed. */
function runPlan(root: string, dir: string, out: string): { ms: number; cpuMs: number } | { error: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', join(__dirname, 'cpu-on-exit.js'), join(root, 'bin', 'fleet.js'), 'upgrades', 'plan', '--customers', dir, '--at', '2026-11-27', '--json', '--out', out], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  if (r.status !== 0) return { error: `exit ${r.status}: ${(r.stderr || r.stdout).split('\n').slice(0, 3).join(' | ')}` };
  return { ms, cpuMs: Number(/bench-cpu-ms (\d+)/.exec(r.stderr)?.[1] ?? NaN) };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

export function benchPlanCli(root: string, catalog: Catalog): string[] {
  const work = mkdtempSync(join(tmpdir(), 'bench-plan-cli-'));
  const lines: string[] = [];
  try {
    const scratch = join(work, 'fleets');
    mkdirSync(scratch);
    const template = JSON.parse(readFileSync(join(root, 'customers', 'acme-retail-prod.json'), 'utf8'));
    const perEnv: number[] = [];
    for (const size of SIZES) {
      const dir = writeFleet(scratch, template, catalog, size);
      const out = join(work, `plan-${size}.json`);
      const runs = [];
      for (let i = 0; i < RUNS[size]; i++) {
        const run = runPlan(root, dir, out);
        if ('error' in run) {
          lines.push(`plan CLI ${size}: ${run.error}`);
          break;
        }
        runs.push(run);
      }
      if (runs.length < RUNS[size]) continue;
      const wall = runs.map((r) => r.ms);
      const cpu = runs.map((r) => r.cpuMs);
      const plan = JSON.parse(readFileSync(out, 'utf8'));
      perEnv.push(median(cpu) / size);
      const target = size === 10_000 ? ` (target < 3000 ms: ${median(wall) < 3000 ? 'met' : 'MISSED'} at the median, ${Math.min(...wall) < 3000 ? 'met' : 'missed'} by the fastest run)` : '';
      lines.push(
        `plan CLI ${size}: median ${median(wall)} ms wall (${Math.min(...wall)}-${Math.max(...wall)} ms over ${runs.length} runs), ${median(cpu)} ms CPU, end to end (read, validate, plan, write ${plan.summary.environments} environments, ${(readFileSync(out).length / 1e6).toFixed(0)} MB JSON)${target}`,
      );
    }
    if (perEnv.length === 2) lines.push(`plan CLI: ${(perEnv[0] * 1000).toFixed(0)} vs ${(perEnv[1] * 1000).toFixed(0)} µs CPU per environment at ${SIZES[0]} and ${SIZES[1]} (linear when close; includes ~0.3 s start-up)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return lines;
}
