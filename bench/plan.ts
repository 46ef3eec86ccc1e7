/**
 * Planning benchmark: a generated fleet of 10,000 customer environments, each pinning all 8
 * components, against the real release catalog and the default policy: planning time, how many
 * environments that need an upgrade get a slot within the horizon (2,000 and 10,000), and the
 * CLI end to end on 10,000 customer files. Runnable alone: `node dist/bench/plan.js`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPONENT_IDS } from '../customers/schema';
import { loadCatalog } from '../upgrades/catalog/load';
import type { Catalog } from '../upgrades/catalog/schema';
import { dayOf, isoOf } from '../upgrades/planner/dates';
import { planUpgrades } from '../upgrades/planner/plan';
import type { EnvironmentInput, UpgradePlan } from '../upgrades/planner/types';
import { benchPlanCli } from './plan-cli';
import { loadPolicy, type Policy } from '../upgrades/policy';
import { renderJson } from '../upgrades/report/json';

const ENVIRONMENTS = 10_000;
const NOW = new Date('2026-11-27T00:00:00Z');
const ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Stockholm', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];
const WINDOWS: EnvironmentInput['windows'][] = [
  [{ days: ['tue', 'wed', 'thu'], start: '02:00', durationHours: 4 }],
  [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', durationHours: 8 }],
  [{ days: ['sat', 'sun'], start: '03:00', durationHours: 3 }],
  [{ days: ['mon', 'wed', 'fri'], start: '22:00', durationHours: 4 }],
  [
    { days: ['tue'], start: '01:00', durationHours: 2 },
    { days: ['sat'], start: '06:00', durationHours: 6 },
  ],
];

/** Deterministic pseudo-random numbers (mulberry32), so every run plans the same fleet. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateFleet(catalog: Catalog, count = ENVIRONMENTS, seed = 42): EnvironmentInput[] {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const today = dayOf(isoOf(Math.floor(NOW.getTime() / 86_400_000)));
  const envs: EnvironmentInput[] = [];
  for (let i = 0; i < count; i++) {
    const customer = `customer-${String(i).padStart(5, '0')}`;
    const r = rand();
    const environment = r < 0.5 ? 'prod' : r < 0.8 ? 'staging' : 'dev';
    const ring = rand() < 0.05 ? 0 : 1 + Math.floor(rand() * 3);
    const freezes =
      rand() < 0.2
        ? [{ start: isoOf(today + Math.floor(rand() * 40) - 10), end: isoOf(today + Math.floor(rand() * 20) + 30), reason: 'seasonal peak' }]
        : [];
    const pins = COMPONENT_IDS.map((component) => {
      const releases = catalog.components[component]!.releases;
      // Fleets lean towards recent releases: the square biases picks to the end of the list.
      const index = Math.min(releases.length - 1, Math.floor((1 - rand() ** 2) * releases.length));
      return { component, version: releases[index].version };
    });
    envs.push({
      stack: `${customer}-${environment}`,
      customer,
      environment,
      ring,
      timezone: pick(ZONES),
      windows: pick(WINDOWS),
      freezes,
      holds: rand() < 0.05 ? [{ component: pick(COMPONENT_IDS), reason: 'customer change freeze', until: isoOf(today + 20) }] : [],
      approvedMajors: rand() < 0.1 ? [{ component: pick(COMPONENT_IDS), major: 1 + Math.floor(rand() * 6), approvedBy: 'cto@example.com', ticket: 'SUP-1' }] : [],
      pins,
    });
  }
  return envs;
}

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** What a plan did with the environments that need an upgrade: how many got a slot, and why the rest did not. */
export function schedulingFigures(plan: UpgradePlan): { needing: number; scheduled: number; lastDay: string; unscheduled: Map<string, number> } {
  const scheduled = new Set(plan.waves.flatMap((w) => w.environments.map((e) => e.stack)));
  const unscheduled = new Map<string, number>();
  const seen = new Set<string>();
  for (const d of plan.deferred) {
    if (!d.reason.startsWith('not scheduled: ') || seen.has(d.stack)) continue;
    seen.add(d.stack);
    // Group by the constraint named, not by the dates in it.
    const kind = d.reason.replace(/^not scheduled: /, '').replace(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?/g, 'D').replace(/\(.*$/, '').slice(0, 90);
    unscheduled.set(kind, (unscheduled.get(kind) ?? 0) + 1);
  }
  const lastDay = plan.waves.reduce((m, w) => (w.start > m ? w.start : m), '');
  return { needing: scheduled.size + seen.size, scheduled: scheduled.size, lastDay, unscheduled };
}

function planAt(size: number, catalog: Catalog, policy: Policy): string[] {
  const environments = generateFleet(catalog, size);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const plan = planUpgrades({ environments, catalog, policy, now: NOW });
  const planned = process.hrtime.bigint();
  // CPU time as well as wall time: on a busy machine the wall clock includes other processes' turns.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const json = renderJson(plan);
  const rendered = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => Number((b - a) / 1_000_000n);
  const f = schedulingFigures(plan);
  const lines = [
    `plan ${size}: ${ms(started, planned)} ms wall (${cpuMs} ms CPU); JSON ${(json.length / 1e6).toFixed(1)} MB rendered in ${ms(planned, rendered)} ms`,
    `plan ${size}: ${f.needing} environments need an upgrade; ${f.scheduled} got a slot within ${policy.waves.horizonDays} days (last wave ${f.lastDay}), ${f.needing - f.scheduled} did not; ${plan.summary.waves} waves`,
  ];
  for (const [why, n] of [...f.unscheduled].sort((a, b) => b[1] - a[1])) lines.push(`plan ${size}:   ${n} not scheduled: ${why}`);
  return lines;
}

export async function benchPlan(): Promise<string[]> {
  const root = findRoot(__dirname);
  const catalog = loadCatalog(join(root, 'upgrades', 'catalog')).catalog;
  const policy = loadPolicy(join(root, 'upgrades', 'policy.json')).policy;
  if (!catalog || !policy) throw new Error('the release catalog or the policy does not validate: run "fleet validate"');
  const releases = COMPONENT_IDS.reduce((n, c) => n + catalog.components[c]!.releases.length, 0);
  const lines = [`plan: generated fleets, each environment pinning all ${COMPONENT_IDS.length} components, catalog of ${releases} releases, the default policy (upgrades/policy.json)`];
  for (const size of [2_000, ENVIRONMENTS]) lines.push(...planAt(size, catalog, policy));
  lines.push(`plan: peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (target < 500 MB)`);
  lines.push(...benchPlanCli(root, catalog));
  return lines;
}

if (require.main === module) {
  benchPlan().then(
    (lines) => lines.forEach((l) => console.log(l)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
