/** Fast track is minimal; prod never goes before its customer's non-prod, nor before a version baked earlier. Today is 2026-11-27 (a Friday). */
import type { EnvironmentInput } from '../../upgrades/planner/types';
import { catalogOf, changesOf, deferredOf, envOf, plan, rel } from './fixtures';

const catalog = catalogOf({
  collector: {
    releases: [
      rel('3.0.0@2025-01-01'),
      rel('3.0.1@2026-11-25:sec-critical', { requires: { enrich: '>=6.1.0' }, advisories: [{ id: 'CVE-2026-9999', inferred: false }] }),
      rel('3.1.0@2026-11-26:sec-medium'),
      rel('4.0.0@2026-11-26:break'),
    ],
  },
  enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2025-06-01'), rel('7.0.0@2026-10-01:break,bug')] },
});
const pins = [
  { component: 'collector' as const, version: '3.0.0' },
  { component: 'enrich' as const, version: '6.0.0' },
];
const approvals: EnvironmentInput['approvedMajors'] = [
  { component: 'collector', major: 4, approvedBy: 'cto@example.com', ticket: 'SUP-1' },
  { component: 'enrich', major: 7, approvedBy: 'cto@example.com', ticket: 'SUP-1' },
];

const slotOf = (p: ReturnType<typeof plan>, stack: string) => {
  const w = p.waves.find((x) => x.environments.some((e) => e.stack === stack))!;
  return { wave: w, env: w.environments.find((e) => e.stack === stack)! };
};

describe('fast track', () => {
  test('carries the lowest release with the critical fix and its hard prerequisite, nothing else', () => {
    const p = plan([envOf({ pins, approvedMajors: approvals })], catalog);
    const { wave, env } = slotOf(p, 'test-co-prod');
    expect(wave.fastTrack).toBe(true);
    expect(env.changes.map((c) => [c.component, c.to])).toEqual([
      ['enrich', '6.1.0'],
      ['collector', '3.0.1'],
    ]);
    expect(env.changes[1].reasons[0]).toMatch(/^security fix critical 3\.0\.1 CVE-2026-9999/);
    expect(env.changes[1].reasons).toContain('fast track: lowest release with the critical fix (CVE-2026-9999); nothing else rides along');
    expect(deferredOf(p, 'test-co-prod', 'enrich').map((d) => d.reason)).toEqual([expect.stringMatching(/^after the fast track: .*enrich 7\.0\.0/)]);
    expect(deferredOf(p, 'test-co-prod', 'enrich')[0]).toMatchObject({ from: '6.1.0', to: '7.0.0' });
  });

  test('prod never starts before the same customer\'s non-prod has run and baked, even to meet a deadline', () => {
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, windows: [{ days: ['wed'], start: '02:00', durationHours: 4 }], pins });
    const prod = envOf({ customer: 'acme', environment: 'prod', ring: 1, pins });
    const p = plan([staging, prod], catalog);
    const s = slotOf(p, 'acme-staging');
    const q = slotOf(p, 'acme-prod');
    const bakedAt = Date.parse(s.env.window.end) + s.wave.bakeDays * 86_400_000;
    expect(Date.parse(q.env.window.start)).toBeGreaterThanOrEqual(bakedAt);
    expect(q.env.notes).toContain('waits for acme-staging (same customer, non-prod) to run and bake');
    // The deadline (2026-12-02) falls before that: said, not hidden.
    expect(q.env.notes.some((n) => n.startsWith('late: the critical security fix in collector 3.0.1 due 2026-12-02 cannot be met: waits for acme-staging'))).toBe(true);
  });

  test('a version reaches a later stage only after it baked in an earlier one; a first-of-its-kind is named', () => {
    // The canary's only window is on the deadline day, so expediting would put prod beside it.
    const canaryEnv = envOf({ customer: 'early', environment: 'dev', ring: 0, windows: [{ days: ['wed'], start: '02:00', durationHours: 4 }], pins });
    const prodEnv = envOf({ customer: 'late', environment: 'prod', ring: 1, pins });
    const p = plan([canaryEnv, prodEnv], catalog);
    const c = slotOf(p, 'early-dev');
    const q = slotOf(p, 'late-prod');
    expect(Date.parse(q.env.window.start)).toBeGreaterThanOrEqual(Date.parse(c.env.window.end) + c.wave.bakeDays * 86_400_000);
    expect(q.env.notes).toContain('waits for enrich 6.1.0 to bake in early-dev (canary) and collector 3.0.1 to bake in early-dev (canary)');
    const alone = plan([prodEnv], catalog);
    expect(slotOf(alone, 'late-prod').env.notes).toContain('canary: no earlier stage runs or gets collector 3.0.1; late-prod is its first stage');
    expect(changesOf(alone, 'late-prod').length).toBe(2);
  });
  test('a held component let in by a slot after its hold still waits for its version to bake in an earlier stage', () => {
    const heldCatalog = catalogOf({
      collector: { releases: [rel('3.5.0@2025-01-01'), rel('3.5.1@2026-11-20:sec-high')] },
      enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-10-01:sec-high')] },
    });
    // The canary gets enrich 6.1.0 on Monday 2026-11-30 and bakes it for 3 days.
    const canaryEnv = envOf({ customer: 'early', environment: 'dev', ring: 0, windows: [{ days: ['mon'], start: '02:00', durationHours: 4 }], pins: [{ component: 'enrich', version: '6.0.0' }] });
    // The collector fix is due 2026-12-04, so prod is expedited to its Tuesday window, 2026-12-01:
    // after its enrich hold, so enrich comes along, but before the canary has baked enrich 6.1.0.
    const prodEnv = envOf({
      customer: 'late',
      environment: 'prod',
      ring: 1,
      windows: [{ days: ['tue'], start: '02:00', durationHours: 4 }],
      holds: [{ component: 'enrich', reason: 'cluster resize', until: '2026-11-28' }],
      pins: [
        { component: 'collector', version: '3.5.0' },
        { component: 'enrich', version: '6.0.0' },
      ],
    });
    const p = plan([canaryEnv, prodEnv], heldCatalog);
    const c = slotOf(p, 'early-dev');
    const q = slotOf(p, 'late-prod');
    expect(q.env.changes.map((x) => `${x.component} ${x.to}`)).toEqual(expect.arrayContaining(['collector 3.5.1', 'enrich 6.1.0']));
    expect(Date.parse(q.env.window.start)).toBeGreaterThanOrEqual(Date.parse(c.env.window.end) + c.wave.bakeDays * 86_400_000);
    expect(q.env.notes).toContain('waits for enrich 6.1.0 to bake in early-dev (canary)');
    expect(q.env.notes).toContain('hold on enrich ends 2026-11-28, before this window: enrich is included');
  });
  test('a hold that ends before a fast-track slot lets nothing else ride along', () => {
    // The critical collector fix goes on the fast track; enrich's hold ends today, before that slot.
    const env = envOf({ holds: [{ component: 'enrich', reason: 'cluster resize', until: '2026-11-27' }], approvedMajors: approvals, pins });
    const p = plan([env], catalog);
    expect(changesOf(p, 'test-co-prod').map((c) => `${c.component} ${c.to}`)).toEqual(['enrich 6.1.0', 'collector 3.0.1']);
    expect(deferredOf(p, 'test-co-prod', 'enrich').map((d) => d.reason)).toEqual([expect.stringMatching(/^after the fast track: .*enrich 7\.0\.0/)]);
  });
});
