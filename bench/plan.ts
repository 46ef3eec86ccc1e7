/**
 * Planning benchmark: a generated fleet of 10,000 customer environments, each pinning all 8
 * components, against the real release catalog and policy. Prints wall time and peak RSS.
 * Targets: under 2 s and under 500 MB. Runnable alone: `node dist/bench/plan.js`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPONENT_IDS } from '../customers/schema';
import { loadCatalog } from '../upgrades/catalog/load';
import type { Catalog } from '../upgrades/catalog/schema';
import { dayOf, isoOf } from '../upgrades/planner/dates';
import { planUpgrades } from '../upgrades/planner/plan';
import type { EnvironmentInput } from '../upgrades/planner/types';
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

export async function benchPlan(): Promise<string[]> {
  const root = findRoot(__dirname);
  const catalog = loadCatalog(join(root, 'upgrades', 'catalog')).catalog;
  const basePolicy = loadPolicy(join(root, 'upgrades', 'policy.json')).policy;
  if (!catalog || !basePolicy) throw new Error('the release catalog or the policy does not validate: run "fleet validate"');
  // A fleet this size rolls out in larger waves than the example policy's 25.
  const policy: Policy = { ...basePolicy, waves: { ...basePolicy.waves, maxEnvironmentsPerWave: 1000 } };
  const environments = generateFleet(catalog);
  const releases = COMPONENT_IDS.reduce((n, c) => n + catalog.components[c]!.releases.length, 0);

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
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const planMs = ms(started, planned);
  return [
    `plan: ${environments.length} environments x ${COMPONENT_IDS.length} components (${environments.length * COMPONENT_IDS.length} pins), catalog of ${releases} releases`,
    `plan: ${planMs} ms wall (${cpuMs} ms CPU), peak RSS ${peakMb} MB (targets: < 2000 ms, < 500 MB: ${planMs < 2000 && peakMb < 500 ? 'met' : 'MISSED'})`,
    `plan: ${plan.summary.waves} waves, ${plan.summary.changes} changes in ${plan.summary.environmentsWithChanges} environments, ${plan.summary.deferred} deferred`,
    `plan: JSON ${(json.length / 1e6).toFixed(1)} MB rendered in ${ms(planned, rendered)} ms`,
  ];
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
