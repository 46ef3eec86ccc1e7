/** One rule at a time, on fleets small enough to check by hand. Today is 2026-11-27. */
import fc from 'fast-check';
import { dayOf, isoOf } from '../../upgrades/planner/dates';
import { catalogOf, changeOf, changesOf, deferredOf, envOf, plan, policyWith, rel, statusOf } from './fixtures';

const collectorLines = catalogOf({
  collector: {
    mustStepThroughMajors: [3],
    releases: [
      rel('1.0.0@2022-01-01'),
      rel('2.0.0@2023-01-01'),
      rel('2.1.0@2023-06-01:sec-high'),
      rel('3.0.0@2024-01-01:break', { migration: ['accept the license'] }),
      rel('3.1.0@2025-01-01:bug'),
      rel('3.2.0@2026-09-01:sec-medium'),
      rel('3.3.0@2026-10-01'),
    ],
  },
});

describe('status', () => {
  test('latest and preceding major lines are supported; older ones are not', () => {
    const p = plan(
      [envOf({ customer: 'a-co', pins: [{ component: 'collector', version: '3.3.0' }] }), envOf({ customer: 'b-co', pins: [{ component: 'collector', version: '1.0.0' }] })],
      collectorLines,
    );
    expect(statusOf(p, 'a-co-prod', 'collector')).toMatchObject({ support: 'supported', supportReason: 'supported: 3.x is the latest line' });
    expect(statusOf(p, 'b-co-prod', 'collector')).toMatchObject({ support: 'unsupported', supportReason: 'unsupported: 1.x is outside the support window (3.x and 2.x)' });
  });

  test('minor granularity makes 3.2.x unsupported once 3.3 and 3.4 exist', () => {
    const catalog = catalogOf({ collector: { releases: [rel('3.2.0@2025-01-01'), rel('3.3.0@2025-02-01'), rel('3.4.0@2025-03-01')] } });
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.2.0' }] })], catalog, policyWith((x) => (x.supportWindow.granularity = 'minor')));
    expect(statusOf(p, 'test-co-prod', 'collector').supportReason).toBe('unsupported: 3.2.x is outside the support window (3.4.x and 3.3.x)');
  });

  test('end of support and withdrawn releases', () => {
    const catalog = catalogOf({
      enrich: { releases: [rel('5.0.0@2024-01-01', { endOfSupport: '2026-06-30' }), rel('6.0.0@2025-01-01'), rel('6.1.0@2025-02-01', { withdrawn: true }), rel('6.1.1@2025-03-01:bug')] },
    });
    const p = plan(
      [envOf({ customer: 'a-co', pins: [{ component: 'enrich', version: '5.0.0' }] }), envOf({ customer: 'b-co', pins: [{ component: 'enrich', version: '6.1.0' }] })],
      catalog,
    );
    expect(statusOf(p, 'a-co-prod', 'enrich')).toMatchObject({ support: 'unsupported', supportReason: 'unsupported: 5.x reached end of support on 2026-06-30' });
    expect(statusOf(p, 'b-co-prod', 'enrich')).toMatchObject({ support: 'withdrawn', supportReason: 'withdrawn: pulled for a regression' });
    expect(changeOf(p, 'b-co-prod', 'enrich')).toMatchObject({ from: '6.1.0', to: '6.1.1' });
  });

  test('missing security fixes carry severity, deadline and days overdue; missing bug fixes are listed', () => {
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.0.0' }] })], collectorLines);
    const s = statusOf(p, 'test-co-prod', 'collector');
    // 3.2.0 (medium) released 2026-09-01: deadline 30 days later, 57 days overdue on 2026-11-27.
    expect(s.missingSecurityFixes).toEqual([
      { version: '3.2.0', released: '2026-09-01', severity: 'medium', advisories: [], summary: 'security change', deadline: '2026-10-01', daysOverdue: 57 },
    ]);
    expect(s.missingBugFixes).toEqual([{ version: '3.1.0', summary: 'bugfix change' }]);
  });
});

describe('target selection', () => {
  test('the lowest version that fixes every known security issue and bug', () => {
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.0.0' }] })], collectorLines);
    expect(changeOf(p, 'test-co-prod', 'collector')).toMatchObject({ to: '3.2.0' });
    expect(changeOf(p, 'test-co-prod', 'collector')!.reasons).toContain('lowest release that fixes every known security issue and bug');
  });

  test('nothing to fix on a supported version: no change', () => {
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.2.0' }] })], collectorLines);
    expect(changesOf(p, 'test-co-prod')).toEqual([]);
    expect(statusOf(p, 'test-co-prod', 'collector').decision).toBe('none');
  });

  test('a fix only in an unapproved major: newest in the current major, remainder deferred', () => {
    const p = plan([envOf({ pins: [{ component: 'collector', version: '2.0.0' }] })], collectorLines);
    expect(changeOf(p, 'test-co-prod', 'collector')).toMatchObject({ to: '2.1.0' });
    const [d] = deferredOf(p, 'test-co-prod', 'collector');
    expect(d.to).toBe('3.2.0');
    expect(d.reason).toContain('collector 3.1.0 is a major upgrade that needs customer approval');
  });

  test('an approved major is taken', () => {
    const approvedMajors = [{ component: 'collector' as const, major: 3, approvedBy: 'cto@test.co', ticket: 'SUP-1' }];
    const p = plan([envOf({ approvedMajors, pins: [{ component: 'collector', version: '2.1.0' }] })], collectorLines);
    const c = changeOf(p, 'test-co-prod', 'collector')!;
    expect(c.to).toBe('3.2.0');
    expect(c.reasons).toContain('major 3 approved by cto@test.co (SUP-1)');
    expect(c.reasons).toContain('migration (3.0.0): accept the license');
  });

  test('an unsupported line is forced to the lowest supported line without approval, and no further', () => {
    const p = plan([envOf({ pins: [{ component: 'collector', version: '1.0.0' }] })], collectorLines);
    const c = changeOf(p, 'test-co-prod', 'collector')!;
    expect(c.to).toBe('2.1.0');
    expect(c.reasons).toContain('major 2 without approval: the pinned line is out of support');
    expect(deferredOf(p, 'test-co-prod', 'collector')[0].reason).toMatch(/collector 3\.\d\.0 is a major upgrade that needs customer approval/);
    // With 3 approved, the forced move goes on to 3.x directly (2 may be skipped).
    const approved = plan([envOf({ approvedMajors: [{ component: 'collector', major: 3, approvedBy: 'cto@example.com', ticket: 'SUP-1' }], pins: [{ component: 'collector', version: '1.0.0' }] })], collectorLines);
    expect(changeOf(approved, 'test-co-prod', 'collector')!.to).toBe('3.2.0');
  });

  test('majors that must not be skipped are stepped through, one per plan', () => {
    const catalog = catalogOf({
      enrich: {
        mustStepThroughMajors: [4, 6],
        releases: [rel('3.0.0@2022-01-01'), rel('4.0.0@2024-01-01:break'), rel('4.1.0@2024-02-01:sec-low'), rel('5.0.0@2024-06-01'), rel('6.0.0@2025-07-01:break'), rel('6.1.0@2026-01-01:sec-high')],
      },
    });
    const approvedMajors = [4, 5, 6].map((major) => ({ component: 'enrich' as const, major, approvedBy: 'a@b.co', ticket: 'SUP-2' }));
    // Three supported lines (6.x, 5.x, 4.x), so the stepping stone 4.x is itself supported.
    const policy = policyWith((x) => (x.supportWindow.lines = 3));
    const first = plan([envOf({ approvedMajors, pins: [{ component: 'enrich', version: '3.0.0' }] })], catalog, policy);
    expect(changeOf(first, 'test-co-prod', 'enrich')).toMatchObject({ to: '4.1.0' });
    expect(changeOf(first, 'test-co-prod', 'enrich')!.reasons).toContain('stops at 4.x: major 4 must not be skipped; a later plan continues from here');
    // From 4.x, 5 may be skipped but 6 may not: land on 6.x.
    expect(deferredOf(first, 'test-co-prod', 'enrich')[0].reason).toContain('enrich 6.1.0 would skip major 4, which must not be skipped');
    const second = plan([envOf({ approvedMajors, pins: [{ component: 'enrich', version: '4.1.0' }] })], catalog, policy);
    expect(changeOf(second, 'test-co-prod', 'enrich')).toMatchObject({ to: '6.1.0' });
  });

  test('withdrawn releases are never targets', () => {
    const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2025-06-01:sec-high', { withdrawn: true }), rel('3.1.1@2025-06-10')] } });
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.0.0' }] })], catalog);
    expect(changeOf(p, 'test-co-prod', 'collector')).toMatchObject({ to: '3.1.1' });
  });

  test('minimum release age holds back young releases, except critical security fixes', () => {
    const young = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-25:sec-high')] } });
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.0.0' }] })], young);
    expect(changesOf(p, 'test-co-prod')).toEqual([]);
    expect(deferredOf(p, 'test-co-prod', 'collector')[0].reason).toContain('collector 3.0.1 is too new: released 2026-11-25, minimum age 7 days (eligible from 2026-12-02)');
    const critical = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-25:sec-critical')] } });
    expect(changeOf(plan([envOf({ pins: [{ component: 'collector', version: '3.0.0' }] })], critical), 'test-co-prod', 'collector')).toMatchObject({ to: '3.0.1' });
  });
});

describe('requirements and holds', () => {
  const pipeline = catalogOf({
    collector: { releases: [rel('3.5.0@2025-08-01'), rel('3.6.0@2025-09-01:sec-medium', { requires: { enrich: '>=6.1.0' } })] },
    enrich: { mustStepThroughMajors: [6], releases: [rel('5.3.0@2025-03-01'), rel('6.0.0@2025-07-01:break'), rel('6.1.0@2025-09-01'), rel('6.11.0@2026-06-01:sec-high', { requires: { 's3-loader': '>=3.2.0', 'bigquery-loader': '>=2.2.0' } })] },
    's3-loader': { releases: [rel('3.0.0@2025-10-01'), rel('3.2.0@2026-05-01')] },
  });
  const pins = (collector: string, enrich: string, s3 = '3.0.0') => [
    { component: 'collector' as const, version: collector },
    { component: 'enrich' as const, version: enrich },
    { component: 's3-loader' as const, version: s3 },
  ];

  test('a prerequisite is upgraded first, in the same window', () => {
    const p = plan([envOf({ pins: pins('3.5.0', '6.0.0') })], pipeline);
    const changes = changesOf(p, 'test-co-prod');
    expect(changes.map((c) => `${c.component} ${c.to}`)).toEqual(['s3-loader 3.2.0', 'enrich 6.11.0', 'collector 3.6.0']);
    expect(changes[0].reasons).toContain('prerequisite: enrich 6.11.0 needs s3-loader >=3.2.0; applied before it');
  });

  test('a requirement on a component the environment does not run does not apply', () => {
    // bigquery-loader is not pinned, so enrich 6.11.0 only needs the S3 loader.
    const p = plan([envOf({ pins: pins('3.6.0', '6.1.0', '3.2.0') })], pipeline);
    expect(changeOf(p, 'test-co-prod', 'enrich')).toMatchObject({ to: '6.11.0' });
  });

  test('a held prerequisite defers the dependent with the reason', () => {
    // Ends after the horizon: held for the whole plan.
    const holds = [{ component: 'enrich' as const, reason: 'migration to new cluster', until: '2027-06-30' }];
    const p = plan([envOf({ holds, pins: pins('3.5.0', '6.0.0') })], pipeline);
    expect(changeOf(p, 'test-co-prod', 'collector')).toBeUndefined();
    expect(deferredOf(p, 'test-co-prod', 'collector')[0].reason).toMatch(/^blocked: needs enrich >=6.1.0 first \(enrich is held until 2027-06-30: migration to new cluster\)/);
    expect(deferredOf(p, 'test-co-prod', 'enrich')[0].reason).toMatch(/^held until 2027-06-30: migration to new cluster; leaves 1 security fix: high 6.11.0/);
  });

  test('a hold is judged on the slot\'s date: one ending before the window lets the component in', () => {
    const until = '2026-12-15';
    const holds = [{ component: 'enrich' as const, reason: 'cluster resize', until }];
    // Only the held component has work: the environment gets a slot after the hold ends.
    const onlyHeld = plan([envOf({ holds, pins: [{ component: 'enrich', version: '6.0.0' }] })], pipeline);
    const env = onlyHeld.waves.flatMap((w) => w.environments).find((e) => e.stack === 'test-co-prod')!;
    expect(env.window.start >= '2026-12-16').toBe(true);
    expect(env.changes.map((c) => c.component)).toEqual(['enrich']);
    expect(env.notes).toContain(`hold on enrich ends ${until}, before this window: enrich is included`);
    expect(deferredOf(onlyHeld, 'test-co-prod', 'enrich')).toEqual([]);
    // A weekly Saturday window: the first after the hold (2026-12-19) carries it; one before it does not.
    const saturday = [{ days: ['sat' as const], start: '03:00', durationHours: 3 }];
    const late = plan([envOf({ holds, windows: saturday, ring: 3, pins: [{ component: 'enrich', version: '6.0.0' }] })], pipeline);
    expect(late.waves.flatMap((w) => w.environments)[0].window.start.slice(0, 10)).toBe('2026-12-19');
    const early = plan([envOf({ holds, windows: saturday, pins: pins('3.5.0', '6.0.0').slice(0, 2) })], catalogOf({
      collector: { releases: [rel('3.5.0@2025-01-01'), rel('3.5.1@2026-10-01:sec-high')] },
      enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-10-01:sec-high')] },
    }));
    const e = early.waves.flatMap((w) => w.environments)[0];
    expect(e.window.start.slice(0, 10)).toBe('2026-11-28');
    expect(e.changes.map((c) => c.component)).toEqual(['collector']);
    expect(deferredOf(early, 'test-co-prod', 'enrich')[0].reason).toMatch(/^held until 2026-12-15/);
  });

  test('a hold that has ended no longer applies', () => {
    const holds = [{ component: 'enrich' as const, reason: 'migration to new cluster', until: '2026-11-26' }];
    expect(changeOf(plan([envOf({ holds, pins: pins('3.5.0', '6.0.0') })], pipeline), 'test-co-prod', 'enrich')).toBeDefined();
  });

  test('a prerequisite needing an unapproved major caps the dependent below the release that needs it', () => {
    const withFix = catalogOf({
      collector: { releases: [rel('3.4.0@2025-01-01'), rel('3.5.0@2025-08-01:sec-low'), rel('3.6.0@2025-09-01:sec-medium', { requires: { enrich: '>=6.1.0' } })] },
      enrich: { releases: [rel('5.3.0@2025-03-01'), rel('6.1.0@2025-09-01')] },
    });
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.4.0' }, { component: 'enrich', version: '5.3.0' }] })], withFix);
    const c = changeOf(p, 'test-co-prod', 'collector')!;
    expect(c.to).toBe('3.5.0');
    expect(c.reasons.some((r) => r.startsWith('capped below 3.6.0: blocked: needs enrich >=6.1.0 first'))).toBe(true);
    expect(deferredOf(p, 'test-co-prod', 'collector')[0]).toMatchObject({ to: '3.6.0' });
  });
});

describe('score', () => {
  test('the worst severity sets the tier; lateness, support and bug fixes add; risk subtracts and weighs more in prod', () => {
    const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-01:sec-high,bug')] } });
    const pins = [{ component: 'collector' as const, version: '3.0.0' }];
    const p = plan([envOf({ customer: 'a-co', environment: 'dev', pins }), envOf({ customer: 'a-co', environment: 'prod', pins })], catalog);
    // high tier 3000; deadline 2026-11-15, 12 days late; 1 bug fix 2; patch risk 1 (x1.5 prod = 2 after rounding).
    expect(changeOf(p, 'a-co-dev', 'collector')).toMatchObject({ score: 3013, scoreBreakdown: { security: 3000, overdue: 12, support: 0, bugfixes: 2, risk: 1 } });
    expect(changeOf(p, 'a-co-prod', 'collector')).toMatchObject({ score: 3012, scoreBreakdown: { risk: 2 } });
    expect(changeOf(p, 'a-co-dev', 'collector')!.reasons).toContain('score 3013 = security 3000 (high) + lateness 12 + support 0 + bug fixes 2 - risk 1 (patch 1)');
  });

  test('ranking orders by score, then stack, and is numbered from 1', () => {
    const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-01:sec-low'), rel('3.0.2@2026-11-10:sec-high')] } });
    const p = plan(
      [
        envOf({ customer: 'b-co', environment: 'dev', pins: [{ component: 'collector', version: '3.0.0' }] }),
        envOf({ customer: 'a-co', environment: 'dev', pins: [{ component: 'collector', version: '3.0.0' }] }),
        envOf({ customer: 'c-co', environment: 'dev', pins: [{ component: 'collector', version: '3.0.1' }] }),
      ],
      catalog,
    );
    expect(p.ranking.map((r) => [r.rank, r.stack])).toEqual([
      [1, 'a-co-dev'],
      [2, 'b-co-dev'],
      [3, 'c-co-dev'],
    ]);
  });
});

describe('security first', () => {
  test('a critical outranks any high, a high any medium, a medium any low, however late; reasons lead with the worst fix', () => {
    // A 2-day-old critical, a high due in 3 days, and a medium and a low hundreds of days overdue.
    const catalog = catalogOf({
      collector: { releases: [rel('3.0.0@2024-01-01'), rel('3.1.0@2024-02-01:sec-low')] },
      enrich: { releases: [rel('6.0.0@2024-01-01'), rel('6.1.0@2024-03-01:sec-medium')] },
      's3-loader': { releases: [rel('3.0.0@2024-01-01'), rel('3.1.0@2026-11-16:sec-high')] },
      'iglu-server': { releases: [rel('0.13.0@2024-01-01'), rel('0.13.1@2026-11-25:sec-critical')] },
    });
    const on = (customer: string, component: 'collector' | 'enrich' | 's3-loader' | 'iglu-server', version: string) =>
      envOf({ customer, environment: 'dev', pins: [{ component, version }] });
    const p = plan([on('low-co', 'collector', '3.0.0'), on('med-co', 'enrich', '6.0.0'), on('high-co', 's3-loader', '3.0.0'), on('crit-co', 'iglu-server', '0.13.0')], catalog);
    expect(p.ranking.map((r) => r.stack)).toEqual(['crit-co-dev', 'high-co-dev', 'med-co-dev', 'low-co-dev']);
    // The leader of each wave stage is the most severe, so the critical also goes first in time.
    const both = catalogOf({ collector: { releases: [rel('3.0.0@2024-01-01'), rel('3.1.0@2024-02-01:sec-medium'), rel('3.2.0@2026-11-16:sec-high')] } });
    const q = plan([envOf({ customer: 'old-co', environment: 'dev', pins: [{ component: 'collector', version: '3.0.0' }] })], both);
    const reasons = changeOf(q, 'old-co-dev', 'collector')!.reasons;
    expect(reasons[0]).toBe('security fix high 3.2.0 (no advisory named) (due 2026-11-30): security change');
    expect(reasons[1]).toMatch(/^security fix medium 3\.1\.0 \(no advisory named\) \(\d+ days overdue\)/);
  });

  test('property: the ranking never puts a lower severity above a higher one, and lateness orders within one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ severity: fc.constantFrom('low', 'medium', 'high', 'critical'), age: fc.integer({ min: 8, max: 900 }) }), { minLength: 2, maxLength: 8 }),
        (fixes) => {
          const envs = fixes.map((f, i) => {
            const day = dayOf('2026-11-27') - f.age;
            return { f, i, release: rel(`3.${i + 1}.0@${isoOf(day)}:sec-${f.severity}`) };
          });
          const environments = envs.map(({ i }) => envOf({ customer: `c${String(i).padStart(2, '0')}-co`, environment: 'dev', pins: [{ component: 'collector', version: '3.0.0' }] }));
          // One catalog per environment would need separate plans; instead each plans alone and the scores compare.
          const scores = envs.map(({ f, release }) => {
            const cat = catalogOf({ collector: { releases: [rel('3.0.0@2020-01-01'), release] } });
            const c = changeOf(plan([environments[0]], cat), environments[0].stack, 'collector')!;
            return { severity: f.severity, age: f.age, score: c.score };
          });
          const rank = { low: 1, medium: 2, high: 3, critical: 4 } as const;
          for (const a of scores) {
            for (const b of scores) {
              if (rank[a.severity] > rank[b.severity]) expect(a.score).toBeGreaterThan(b.score);
              if (a.severity === b.severity && a.age > b.age) expect(a.score).toBeGreaterThanOrEqual(b.score);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('stepping stones out of support', () => {
  test('a must-step major that is itself unsupported is landed on, with its migration notes; the next plan moves on', () => {
    const catalog = catalogOf({
      enrich: {
        mustStepThroughMajors: [4],
        releases: [rel('3.0.0@2022-01-01'), rel('4.0.0@2024-01-01:break', { migration: ['accept the license'] }), rel('4.1.0@2024-02-01:bug'), rel('5.0.0@2024-06-01'), rel('6.0.0@2025-07-01:sec-high')],
      },
    });
    const approvedMajors = [4, 5, 6].map((major) => ({ component: 'enrich' as const, major, approvedBy: 'cto@example.com', ticket: 'SUP-1' }));
    const p = plan([envOf({ approvedMajors, pins: [{ component: 'enrich', version: '3.0.0' }] })], catalog);
    const c = changeOf(p, 'test-co-prod', 'enrich')!;
    expect(c.to).toBe('4.1.0');
    expect(c.reasons).toContain('migration (4.0.0): accept the license');
    expect(c.reasons.some((r) => r.startsWith('stops at 4.x: major 4 must not be skipped'))).toBe(true);
    // From the stone, the next plan reaches the supported lines.
    const next = plan([envOf({ approvedMajors, pins: [{ component: 'enrich', version: '4.1.0' }] })], catalog);
    expect(changeOf(next, 'test-co-prod', 'enrich')!.to).toBe('6.0.0');
  });

  test('a withdrawn pin with nothing newer is rolled back to the newest good release', () => {
    const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2025-06-01:bug'), rel('3.2.0@2026-01-01', { withdrawn: true })] } });
    const p = plan([envOf({ pins: [{ component: 'collector', version: '3.2.0' }] })], catalog);
    const c = changeOf(p, 'test-co-prod', 'collector')!;
    expect(c).toMatchObject({ from: '3.2.0', to: '3.1.0' });
    expect(c.reasons).toContain('rollback: the pinned 3.2.0 is withdrawn and nothing newer is eligible; back to the newest good release 3.1.0');
  });
});
