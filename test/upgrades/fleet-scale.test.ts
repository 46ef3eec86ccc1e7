/** Fleet-scale scheduling: growing parallel waves within a daily capacity; a true reason when something runs out. */
import fc from 'fast-check';
import { generateFleet, schedulingFigures } from '../../bench/plan';
import { loadCatalog } from '../../upgrades/catalog/load';
import { catalogOf, envOf, plan, policyWith, rel, ROOT } from './fixtures';
import { join } from 'node:path';

const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-10-01:sec-medium')] } });
const daily = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, start: '02:00', durationHours: 4 }];
const fleet = (n: number, environment: 'prod' | 'staging' = 'prod') =>
  Array.from({ length: n }, (_, i) => envOf({ customer: `c${String(i).padStart(4, '0')}`, environment, ring: 1, windows: daily.map((w) => ({ ...w, days: [...w.days] })), pins: [{ component: 'collector', version: '3.0.0' }] }));

describe('fleet-scale scheduling', () => {
  test('with the default policy, every environment of a generated fleet of 1,500 that needs an upgrade gets a slot', () => {
    const real = loadCatalog(join(ROOT, 'upgrades', 'catalog')).catalog!;
    const f = schedulingFigures(plan(generateFleet(real, 1_500), real));
    expect(f.needing).toBeGreaterThan(1_400);
    expect(f.scheduled).toBe(f.needing);
  });

  test('a stage opens with a small first wave that bakes; later waves grow up to the cap and share the day\'s capacity', () => {
    const policy = policyWith((p) => {
      p.waves.firstWaveSize = 5;
      p.waves.growthFactor = 2;
      p.waves.maxEnvironmentsPerWave = 30;
      p.waves.environmentsPerDay = 50;
    });
    const p = plan(fleet(200), catalog, policy);
    const stage = p.waves.filter((w) => w.stage === 'prod ring 1');
    expect(stage[0].environments).toHaveLength(5);
    expect(stage.slice(1, 4).map((w) => w.environments.length)).toEqual([10, 20, 20]);
    expect(Math.max(...stage.map((w) => w.environments.length))).toBeLessThanOrEqual(30);
    const firstEnd = Math.max(...stage[0].environments.map((e) => Date.parse(e.window.end)));
    for (const w of stage.slice(1)) for (const e of w.environments) expect(Date.parse(e.window.start)).toBeGreaterThanOrEqual(firstEnd + 3 * 86_400_000);
    const perDay = new Map<string, number>();
    for (const w of p.waves) perDay.set(w.start, (perDay.get(w.start) ?? 0) + w.environments.length);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(50);
    expect(p.waves.flatMap((w) => w.environments)).toHaveLength(200);
  });

  test('when capacity runs out inside the horizon, the reason names it', () => {
    const policy = policyWith((p) => {
      p.waves.environmentsPerDay = 3;
      p.waves.horizonDays = 10;
    });
    const p = plan(fleet(60), catalog, policy);
    const reasons = p.deferred.filter((d) => d.reason.startsWith('not scheduled: ')).map((d) => d.reason);
    expect(reasons.length).toBe(60 - p.waves.flatMap((w) => w.environments).length);
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r).toMatch(/^not scheduled: capacity: every window it has between \d{4}-\d\d-\d\d and 2026-12-07 \(scheduling horizon\) falls on a day already at waves.environmentsPerDay \(3\)/);
  });

  test('a staged order that runs past the horizon says so, instead of naming impossible dates', () => {
    const policy = policyWith((p) => {
      p.waves.horizonDays = 7;
      p.waves.bakeDays = 10;
    });
    const staging = envOf({ customer: 'a-co', environment: 'staging', pins: [{ component: 'collector', version: '3.0.0' }] });
    const prod = envOf({ customer: 'b-co', environment: 'prod', pins: [{ component: 'collector', version: '3.0.0' }] });
    const p = plan([staging, prod], catalog, policy);
    expect(p.deferred.find((d) => d.stack === 'b-co-prod')!.reason).toMatch(/^not scheduled: the staged order \(earlier waves and their bake\) reaches 2026-12-0\d, past the scheduling horizon 2026-12-04/);
  });

  test('property: no local day starts more environments than the capacity, and nobody is both scheduled and unscheduled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), (n, perDay, first) => {
        const policy = policyWith((p) => {
          p.waves.environmentsPerDay = perDay;
          p.waves.firstWaveSize = first;
          p.waves.horizonDays = 20;
        });
        const p = plan(fleet(n, n % 2 === 0 ? 'prod' : 'staging'), catalog, policy);
        const perDate = new Map<string, number>();
        for (const w of p.waves) perDate.set(w.start, (perDate.get(w.start) ?? 0) + w.environments.length);
        for (const count of perDate.values()) expect(count).toBeLessThanOrEqual(perDay);
        const placed = new Set(p.waves.flatMap((w) => w.environments.map((e) => e.stack)));
        const left = new Set(p.deferred.filter((d) => d.reason.startsWith('not scheduled')).map((d) => d.stack));
        for (const s of left) expect(placed.has(s)).toBe(false);
        expect(placed.size + left.size).toBe(n);
      }),
      { numRuns: 30 },
    );
  });
});
