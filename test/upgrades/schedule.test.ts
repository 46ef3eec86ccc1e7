/** Maintenance windows in customer time zones, freezes, and waves. Today is Friday 2026-11-27. */
import fc from 'fast-check';
import { dayOf, dayStart } from '../../upgrades/planner/dates';
import { calendarOf, describeSlot, firstSlot, localDay, localToInstant, offsetAt, windowStart } from '../../upgrades/planner/windows';
import type { EnvironmentInput } from '../../upgrades/planner/types';
import { catalogOf, changeOf, deferredOf, envOf, plan, policyWith, rel } from './fixtures';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('time zones', () => {
  test('local wall-clock times map to UTC with the zone offset of that day', () => {
    expect(iso(localToInstant('Europe/London', dayOf('2026-12-08'), 2 * 60))).toBe('2026-12-08T02:00:00.000Z');
    expect(iso(localToInstant('Europe/London', dayOf('2026-07-07'), 2 * 60))).toBe('2026-07-07T01:00:00.000Z');
    expect(iso(localToInstant('America/New_York', dayOf('2026-11-27'), 10 * 60))).toBe('2026-11-27T15:00:00.000Z');
    expect(iso(localToInstant('Asia/Kolkata', dayOf('2026-11-27'), 30))).toBe('2026-11-26T19:00:00.000Z');
  });

  test('a time skipped by a spring-forward change does not exist', () => {
    expect(localToInstant('Europe/Stockholm', dayOf('2026-03-29'), 2 * 60 + 30)).toBeUndefined();
    expect(iso(localToInstant('Europe/Stockholm', dayOf('2026-03-29'), 3 * 60 + 30))).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('DST', () => {
  const cal = (windows: EnvironmentInput['windows']) => calendarOf(envOf({ timezone: 'Europe/London', windows, pins: [] }));

  test('a window in a spring-forward gap opens at the first valid instant, the same day, and keeps its wall-clock end', () => {
    const c = cal([{ days: ['sun'], start: '01:30', durationHours: 2 }]);
    const day = dayOf('2027-03-28');
    expect(iso(windowStart('Europe/London', day, 90))).toBe('2027-03-28T01:00:00.000Z');
    const slot = firstSlot(c, Date.parse('2027-03-27T12:00:00Z'), day + 30)!;
    expect(slot.day).toBe(day);
    expect(iso(slot.start)).toBe('2027-03-28T01:00:00.000Z');
    expect(describeSlot(c, slot)).toBe('Sun 2027-03-28 02:00+01:00 to 03:30+01:00 Europe/London');
  });

  test('a fall-back window prints its offsets, so the repeated hour reads unambiguously', () => {
    const c = cal([{ days: ['sun'], start: '01:30', durationHours: 1 }]);
    const slot = firstSlot(c, Date.parse('2026-10-24T12:00:00Z'), dayOf('2026-11-30'))!;
    expect(describeSlot(c, slot)).toBe('Sun 2026-10-25 01:30+01:00 to 01:30+00:00 Europe/London');
    expect(slot.end - slot.start).toBe(3_600_000);
  });

  test('property: every window day gets a slot, whatever the zone does that day', () => {
    fc.assert(
      fc.property(fc.constantFrom('Europe/London', 'America/New_York', 'Australia/Sydney', 'Europe/Stockholm', 'America/Sao_Paulo'), fc.integer({ min: 0, max: 23 * 4 }), fc.integer({ min: 0, max: 730 }), (tz, quarter, offset) => {
        const day = dayOf('2026-01-01') + offset;
        const minutes = quarter * 15;
        const start = windowStart(tz, day, minutes);
        // Opens on that local day (or at the jump), never before the wall time it was set for.
        expect(localDay(tz, start)).toBe(day);
        expect(start + offsetAt(tz, start)).toBeGreaterThanOrEqual(dayStart(day) + minutes * 60_000);
      }),
      { numRuns: 300 },
    );
  });
});

const catalog = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.1.0@2026-01-05:sec-medium')] } });
const pins = [{ component: 'collector' as const, version: '3.0.0' }];
const weekdays: EnvironmentInput['windows'] = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', durationHours: 8 }];

describe('waves', () => {
  test('canary first, then non-prod, then prod by ring, with bake days between', () => {
    const p = plan(
      [
        envOf({ customer: 'ring3', environment: 'prod', ring: 3, windows: weekdays, pins }),
        envOf({ customer: 'ring2', environment: 'prod', ring: 2, windows: weekdays, pins }),
        envOf({ customer: 'stage', environment: 'staging', ring: 2, windows: weekdays, pins }),
        envOf({ customer: 'canary', environment: 'prod', ring: 0, windows: weekdays, pins }),
      ],
      catalog,
    );
    expect(p.waves.map((w) => [w.number, w.name, w.start, w.environments.map((e) => e.stack)])).toEqual([
      [1, 'canary', '2026-11-27', ['canary-prod']],
      [2, 'non-prod', '2026-12-01', ['stage-staging']],
      [3, 'prod ring 2', '2026-12-07', ['ring2-prod']],
      [4, 'prod ring 3', '2026-12-11', ['ring3-prod']],
    ]);
    for (let i = 1; i < p.waves.length; i++) {
      const prevEnd = Math.max(...p.waves[i - 1].environments.map((e) => Date.parse(e.window.end)));
      const start = Math.min(...p.waves[i].environments.map((e) => Date.parse(e.window.start)));
      expect(start - prevEnd).toBeGreaterThanOrEqual(p.waves[i - 1].bakeDays * 86_400_000);
    }
  });

  test('waves are capped; the overflow goes to a later wave of the same stage', () => {
    const policy = policyWith((x) => (x.waves.maxEnvironmentsPerWave = 2));
    const p = plan(['a', 'b', 'c'].map((c) => envOf({ customer: `${c}-co`, environment: 'dev', ring: 1, windows: weekdays, pins })), catalog, policy);
    expect(p.waves.map((w) => [w.name, w.environments.length])).toEqual([
      ['non-prod (1 of 2)', 2],
      ['non-prod (2 of 2)', 1],
    ]);
  });

  test('a wave starts on a date on which every member has a window', () => {
    const saturday: EnvironmentInput['windows'] = [{ days: ['sat'], start: '03:00', durationHours: 3 }];
    const p = plan(
      [
        envOf({ customer: 'weekday', environment: 'dev', ring: 1, windows: weekdays, pins }),
        envOf({ customer: 'weekend', environment: 'dev', ring: 1, windows: saturday, timezone: 'Europe/Stockholm', pins }),
      ],
      catalog,
    );
    expect(p.waves.map((w) => [w.start, w.environments.map((e) => e.stack)])).toEqual([
      ['2026-11-27', ['weekday-dev']],
      ['2026-12-05', ['weekend-dev']],
    ]);
    expect(p.waves[1].environments[0].window).toEqual({
      start: '2026-12-05T02:00:00.000Z',
      end: '2026-12-05T05:00:00.000Z',
      local: 'Sat 2026-12-05 03:00+01:00 to 06:00+01:00 Europe/Stockholm',
    });
  });

  test('freezes are skipped and named', () => {
    const freezes = [{ start: '2026-11-20', end: '2026-12-02', reason: 'Black Friday peak' }];
    const p = plan([envOf({ customer: 'shop', environment: 'prod', ring: 0, windows: weekdays, freezes, pins })], catalog);
    const env = p.waves[0].environments[0];
    expect(p.waves[0].start).toBe('2026-12-03');
    expect(env.notes).toEqual(['in a freeze now: freeze 2026-11-20..2026-12-02 (Black Friday peak)', 'waits for freeze 2026-11-20..2026-12-02 (Black Friday peak)']);
  });

  test('an environment with no window clear of freezes within the horizon is deferred with the reason', () => {
    const freezes = [{ start: '2026-11-01', end: '2027-06-30', reason: 'platform migration' }];
    const p = plan([envOf({ customer: 'frozen', environment: 'dev', ring: 1, windows: weekdays, freezes, pins })], catalog);
    expect(p.waves).toEqual([]);
    expect(deferredOf(p, 'frozen-dev', 'collector')[0]).toMatchObject({
      to: '3.1.0',
      reason: expect.stringMatching(/^not scheduled: no maintenance window clear of freezes between 2026-11-27 and 2027-02-25 .*freeze 2026-11-01..2027-06-30 \(platform migration\)/),
    });
  });

  test('critical security fixes take the fast track with a shorter bake', () => {
    const critical = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-26:sec-critical'), rel('3.1.0@2026-01-05')] } });
    const p = plan(
      [envOf({ customer: 'canary', environment: 'dev', ring: 0, windows: weekdays, pins }), envOf({ customer: 'prod', environment: 'prod', ring: 2, windows: weekdays, pins })],
      critical,
    );
    expect(p.waves.map((w) => [w.name, w.fastTrack, w.bakeDays, w.start])).toEqual([
      ['fast track: canary', true, 1, '2026-11-27'],
      ['fast track: prod ring 2', true, 1, '2026-11-30'],
    ]);
  });

  test('a security fix the staged order would deliver late is expedited', () => {
    // high: 14 days from 2026-11-20 -> due 2026-12-04. Three stages with 3-day bakes would reach ring 3 after it.
    const high = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-20:sec-high')] } });
    const envs = [
      envOf({ customer: 'canary', environment: 'dev', ring: 0, windows: weekdays, pins }),
      envOf({ customer: 'stage', environment: 'staging', ring: 1, windows: weekdays, pins }),
      envOf({ customer: 'ring2', environment: 'prod', ring: 2, windows: weekdays, pins }),
      envOf({ customer: 'ring3', environment: 'prod', ring: 3, windows: weekdays, pins }),
    ];
    const p = plan(envs, high);
    for (const w of p.waves) for (const e of w.environments) expect(Date.parse(e.window.start)).toBeLessThanOrEqual(Date.parse('2026-12-05T00:00:00Z'));
    const late = p.waves.flatMap((w) => w.environments).filter((e) => e.notes.some((n) => n.startsWith('expedited:')));
    expect(late.length).toBeGreaterThan(0);
    expect(changeOf(p, late[0].stack, 'collector')!.reasons).toContain('expedited: scheduled ahead of the staged order to meet the high security fix in collector 3.0.1 due 2026-12-04');
  });

  test('a deadline a freeze makes impossible is marked late with the freeze', () => {
    const high = catalogOf({ collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-20:sec-high')] } });
    const freezes = [{ start: '2026-11-25', end: '2026-12-10', reason: 'year-end close' }];
    const p = plan([envOf({ customer: 'shop', environment: 'prod', ring: 2, windows: weekdays, freezes, pins })], high);
    const env = p.waves[0].environments[0];
    expect(env.notes).toContain('late: the high security fix in collector 3.0.1 due 2026-12-04 cannot be met: freeze 2026-11-25..2026-12-10 (year-end close) covers every window before it');
  });
});
