/**
 * Cases a review of the planner found wrong, one rule each: the stage order between a customer's
 * prod and non-prod whatever their stages, the fast track past a major that must not be skipped,
 * approvals for fixes behind a held prerequisite or a frozen non-prod, and the reasons given.
 * Today is 2026-11-27 (a Friday).
 */
import type { EnvironmentInput } from '../../upgrades/planner/types';
import { catalogOf, changesOf, deferredOf, envOf, plan, policyWith, rel } from './fixtures';

const cve = (id: string) => ({ advisories: [{ id, inferred: false }] });
const waveOf = (p: ReturnType<typeof plan>, stack: string) => p.waves.find((w) => w.environments.some((e) => e.stack === stack));
const envIn = (p: ReturnType<typeof plan>, stack: string) => waveOf(p, stack)!.environments.find((e) => e.stack === stack)!;
const daily: EnvironmentInput['windows'] = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '02:00', durationHours: 4 }];

describe('a customer\'s prod never goes before its non-prod', () => {
  const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-06-01:sec-medium')] } });
  const pins = [{ component: 'collector' as const, version: '3.0.0' }];

  test('a ring-0 prod in the canary stage waits for its staging in the non-prod stage after it', () => {
    const prod = envOf({ customer: 'acme', environment: 'prod', ring: 0, windows: daily, pins });
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, windows: daily, pins });
    const p = plan([prod, staging], catalog);
    const s = envIn(p, 'acme-staging');
    const q = envIn(p, 'acme-prod');
    expect(Date.parse(q.window.start)).toBeGreaterThanOrEqual(Date.parse(s.window.end) + waveOf(p, 'acme-staging')!.bakeDays * 86_400_000);
    expect(q.notes).toContain('waits for acme-staging (same customer, non-prod) to run and bake');
  });

  test('when the non-prod has no slot in the horizon, prod is not scheduled and says why', () => {
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, freezes: [{ start: '2026-11-20', end: '2027-03-31', reason: 'long freeze' }], pins });
    const prod = envOf({ customer: 'acme', environment: 'prod', ring: 1, pins });
    const p = plan([staging, prod], catalog);
    expect(waveOf(p, 'acme-prod')).toBeUndefined();
    expect(deferredOf(p, 'acme-prod', 'collector').map((d) => d.reason)).toEqual([
      expect.stringMatching(/^not scheduled: waits for acme-staging \(same customer, non-prod\), which is not scheduled: no maintenance window clear of freezes .*long freeze/),
    ]);
  });

  test('a high fix held back that way asks for an approval to let prod go first, with the slot it had', () => {
    const urgent = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-11-20:sec-high', cve('CVE-2026-3333'))] } });
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, freezes: [{ start: '2026-11-20', end: '2027-03-31', reason: 'long freeze' }], pins });
    const prod = envOf({ customer: 'acme', environment: 'prod', ring: 1, pins });
    const alone = plan([prod], urgent);
    const p = plan([staging, prod], urgent);
    const ask = p.approvalsNeeded.find((a) => a.stack === 'acme-prod');
    expect(ask).toMatchObject({ component: 'collector', to: '3.1.0', advisory: 'CVE-2026-3333', severity: 'high', blockedBy: 'freeze', earliestSlot: envIn(alone, 'acme-prod').window.start });
    expect(ask!.reason).toContain('acme-staging (same customer, non-prod) has no window clear of its freezes');
    // The staging's own frozen fix is listed too: approving either unblocks prod.
    expect(p.approvalsNeeded.map((a) => a.stack)).toEqual(['acme-prod', 'acme-staging']);
  });

  test('a frozen non-prod that already runs prod\'s target versions holds nothing back', () => {
    const urgent = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-11-20:sec-critical', cve('CVE-2026-6666'))] }, enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-06-01:sec-medium')] } });
    const staging = envOf({
      customer: 'acme',
      environment: 'staging',
      ring: 1,
      freezes: [{ start: '2026-11-20', end: '2027-03-31', reason: 'long freeze' }],
      pins: [
        { component: 'collector', version: '3.1.0' },
        { component: 'enrich', version: '6.0.0' },
      ],
    });
    const prod = envOf({ customer: 'acme', environment: 'prod', ring: 1, pins: [{ component: 'collector', version: '3.0.0' }, { component: 'enrich', version: '6.1.0' }] });
    const p = plan([staging, prod], urgent);
    expect(waveOf(p, 'acme-staging')).toBeUndefined();
    expect(changesOf(p, 'acme-prod').map((c) => `${c.component} ${c.to}`)).toEqual(['collector 3.1.0']);
    expect(p.approvalsNeeded.filter((a) => a.stack === 'acme-prod')).toEqual([]);
  });

  test('moving a prod behind its non-prod keeps to the fleet\'s daily capacity', () => {
    const one = policyWith((x) => {
      x.waves.environmentsPerDay = 1;
    });
    const prod = envOf({ customer: 'acme', environment: 'prod', ring: 0, windows: daily, pins });
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, windows: daily, pins });
    const other = envOf({ customer: 'zed', environment: 'staging', ring: 1, windows: daily, pins });
    const p = plan([prod, staging, other], catalog, one);
    const days = p.waves.flatMap((w) => w.environments.map((e) => e.window.start.slice(0, 10)));
    expect(new Set(days).size).toBe(days.length);
    expect(envIn(p, 'acme-prod').notes).toContain('waits for acme-staging (same customer, non-prod) to run and bake');
  });

  test('an unscheduled environment\'s earliest slot respects the staged order, not just the clock', () => {
    const urgent = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-11-20:sec-high', cve('CVE-2026-3333'))] } });
    const canary = envOf({ customer: 'early', environment: 'dev', ring: 0, pins });
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, freezes: [{ start: '2026-11-20', end: '2027-03-31', reason: 'long freeze' }], pins });
    const p = plan([canary, staging], urgent);
    const c = envIn(p, 'early-dev');
    const bakedAt = Date.parse(c.window.end) + waveOf(p, 'early-dev')!.bakeDays * 86_400_000;
    const ask = p.approvalsNeeded.find((a) => a.stack === 'acme-staging')!;
    expect(Date.parse(ask.earliestSlot!)).toBeGreaterThanOrEqual(bakedAt);
  });

  test('so does the earliest slot of an unscheduled environment\'s own held fix', () => {
    const urgent = catalogOf({
      collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-11-20:sec-high', cve('CVE-2026-3333'))] },
      enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-06-01:sec-medium')] },
    });
    const two = [{ component: 'collector' as const, version: '3.0.0' }, { component: 'enrich' as const, version: '6.0.0' }];
    // A 3-day horizon ends before the canary has baked: the staging has no slot in it at all.
    const short = policyWith((x) => {
      x.waves.horizonDays = 3;
    });
    const canary = envOf({ customer: 'early', environment: 'dev', ring: 0, pins: two });
    const staging = envOf({ customer: 'acme', environment: 'staging', ring: 1, holds: [{ component: 'collector', reason: 'vendor review' }], pins: two });
    const p = plan([canary, staging], urgent, short);
    expect(waveOf(p, 'acme-staging')).toBeUndefined();
    const ask = p.approvalsNeeded.find((a) => a.stack === 'acme-staging' && a.blockedBy === 'hold')!;
    expect(ask).toMatchObject({ component: 'collector', to: '3.1.0', earliestSlot: null });
  });
});

describe('the fast track past a major that must not be skipped', () => {
  const catalog = catalogOf({
    enrich: {
      mustStepThroughMajors: [3, 4],
      releases: [
        rel('2.0.0@2022-01-01'),
        rel('3.0.0@2022-06-01:break'),
        rel('3.1.0@2022-09-01:sec-critical', cve('CVE-2022-0001')),
        rel('3.2.0@2023-01-01:sec-medium'),
        rel('4.0.0@2023-06-01:break'),
        rel('4.1.0@2024-01-01:sec-critical', cve('CVE-2024-0002')),
        // 5.x and 6.x are the supported lines, so 3.x is a stepping stone out of support and 4.x is out of it too.
        rel('5.0.0@2025-01-01'),
        rel('6.0.0@2025-06-01'),
      ],
    },
    'bigquery-loader': { releases: [rel('2.0.0@2025-01-01'), rel('2.1.0@2025-06-01:sec-medium')] },
  });
  const approvedMajors = [3, 4].map((major) => ({ component: 'enrich' as const, major, approvedBy: 'cto@example.com', ticket: 'SUP-1' }));
  const env = envOf({
    environment: 'staging',
    ring: 1,
    approvedMajors,
    pins: [
      { component: 'enrich', version: '2.0.0' },
      { component: 'bigquery-loader', version: '2.0.0' },
    ],
  });

  test('takes the lowest release with the critical fix reachable now, and nothing rides along', () => {
    const p = plan([env], catalog);
    expect(waveOf(p, 'test-co-staging')!.fastTrack).toBe(true);
    expect(changesOf(p, 'test-co-staging').map((c) => `${c.component} ${c.to}`)).toEqual(['enrich 3.1.0']);
    expect(changesOf(p, 'test-co-staging')[0].reasons).toContain(
      'fast track: lowest release with the critical fix (CVE-2022-0001); nothing else rides along; 1 more critical fix release(s) cannot be reached now (see deferred)',
    );
    expect(deferredOf(p, 'test-co-staging', 'bigquery-loader').map((d) => d.reason)).toEqual([expect.stringMatching(/^after the fast track: /)]);
  });

  test('what follows on the regular track names the fix left, not the one going now', () => {
    const p = plan([env], catalog);
    const after = deferredOf(p, 'test-co-staging', 'enrich').find((d) => d.reason.startsWith('after the fast track'))!;
    expect(after).toMatchObject({ from: '3.1.0', to: '3.2.0' });
    expect(after.reason).toContain('; enrich 3.2.0 (security fix medium 3.2.0 (no advisory named)) follows on the regular track');
    expect(after.reason).not.toContain('CVE-2022-0001');
  });

  test('a release past the next stepping stone is refused as a skip, even when its line is out of support', () => {
    const p = plan([env], catalog);
    const reasons = deferredOf(p, 'test-co-staging', 'enrich').map((d) => d.reason);
    expect(reasons).toContainEqual(expect.stringContaining('not now: enrich 4.1.0 would skip major 3, which must not be skipped: land on 3.x first'));
  });

  test('a stepping-stone major that is wholly withdrawn calls for a manual migration', () => {
    const stoneless = catalogOf({
      enrich: {
        mustStepThroughMajors: [4],
        releases: [rel('3.0.0@2022-06-01'), rel('4.0.0@2023-06-01', { withdrawn: true }), rel('5.0.0@2024-01-01:sec-high', cve('CVE-2024-0003'))],
      },
    });
    const approved = [4, 5].map((major) => ({ component: 'enrich' as const, major, approvedBy: 'cto@example.com', ticket: 'SUP-1' }));
    const p = plan([envOf({ approvedMajors: approved, pins: [{ component: 'enrich', version: '3.0.0' }] })], stoneless);
    expect(deferredOf(p, 'test-co-prod', 'enrich')[0].reason).toContain('but every 4.x release is withdrawn: a manual migration is needed');
  });
});

describe('holds', () => {
  test('a critical fix held back by a hold on its prerequisite asks for an approval', () => {
    const catalog = catalogOf({
      collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-11-24:sec-critical', { ...cve('CVE-2026-4444'), requires: { enrich: '>=6.1.0' } })] },
      enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-06-01')] },
    });
    const env = envOf({
      holds: [{ component: 'enrich', reason: 'cluster resize', until: '2026-12-20' }],
      pins: [
        { component: 'collector', version: '3.0.0' },
        { component: 'enrich', version: '6.0.0' },
      ],
    });
    const p = plan([env], catalog);
    expect(p.approvalsNeeded).toEqual([
      expect.objectContaining({ stack: 'test-co-prod', component: 'collector', to: '3.1.0', advisory: 'CVE-2026-4444', severity: 'critical', deadline: '2026-12-01', blockedBy: 'hold' }),
    ]);
    expect(p.approvalsNeeded[0].reason).toContain('needs enrich moved first, which is held until 2026-12-20: cluster resize');
    expect(p.approvalsNeeded[0].earliestSlot).not.toBeNull();
  });

  test('a hold that ends before a regular wave\'s slot adds its component to the change set, and takes nothing out', () => {
    const catalog = catalogOf({
      collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-11-24:sec-critical', cve('CVE-2026-5555'))] },
      enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-06-01:sec-medium')] },
    });
    const env = envOf({
      windows: [{ days: ['tue'], start: '02:00', durationHours: 4 }],
      holds: [{ component: 'collector', reason: 'short hold', until: '2026-11-28' }],
      pins: [
        { component: 'collector', version: '3.0.0' },
        { component: 'enrich', version: '6.0.0' },
      ],
    });
    const p = plan([env], catalog);
    const wave = waveOf(p, 'test-co-prod')!;
    expect(wave.fastTrack).toBe(false);
    expect(changesOf(p, 'test-co-prod').map((c) => `${c.component} ${c.to}`)).toEqual(['collector 3.1.0', 'enrich 6.1.0']);
    expect(p.deferred.filter((d) => d.stack === 'test-co-prod')).toEqual([]);
    // The hold ended before the first window it could have used: approving it would gain nothing.
    expect(p.approvalsNeeded).toEqual([]);
  });
});
