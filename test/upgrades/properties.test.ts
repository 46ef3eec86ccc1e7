/**
 * Invariants of the planner on random fleets and catalogs (fast-check). Each property gets a
 * modest number of runs so the whole suite stays quick on a 2-core machine.
 */
import fc from 'fast-check';
import semver from 'semver';
import type { ComponentId } from '../../customers/schema';
import type { Catalog } from '../../upgrades/catalog/schema';
import { dayOf, isoOf } from '../../upgrades/planner/dates';
import { supportedLines, supportOf } from '../../upgrades/planner/support';
import type { DayName, EnvironmentInput, UpgradePlan } from '../../upgrades/planner/types';
import { indexCatalog } from '../../upgrades/planner/versions';
import type { Policy } from '../../upgrades/policy';
import { renderMarkdown } from '../../upgrades/report/markdown';
import { catalogOf, plan, realPolicy, type ReleaseInput } from './fixtures';

const RUNS = 60;
const BASE_DAY = dayOf('2023-01-01');
const COMPONENTS: ComponentId[] = ['collector', 'enrich', 's3-loader'];
/** Requirements only point downstream, as in the real pipeline, so they cannot form a cycle. */
const DOWNSTREAM: Partial<Record<ComponentId, ComponentId>> = { collector: 'enrich', enrich: 's3-loader' };
const DAYS: DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Europe/Stockholm'];
const KINDS = ['sec-critical', 'sec-high', 'sec-medium', 'sec-low', 'bug', 'feat', 'break'] as const;

const stepArb = fc.record({
  bump: fc.constantFrom('patch', 'minor', 'major'),
  gap: fc.integer({ min: 1, max: 200 }),
  kinds: fc.uniqueArray(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 2 }),
  withdrawn: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
  eosAfter: fc.option(fc.integer({ min: 0, max: 700 }), { freq: 6 }),
  requires: fc.option(fc.nat(), { freq: 2 }),
});
interface ComponentParts {
  readonly zeroMajor: boolean;
  readonly start: number;
  readonly steps: { bump: string; gap: number; kinds: (typeof KINDS)[number][]; withdrawn: boolean; eosAfter: number | null; requires: number | null }[];
  readonly mustStep: number[];
}
const componentArb: fc.Arbitrary<ComponentParts> = fc.record({
  zeroMajor: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
  start: fc.integer({ min: 0, max: 300 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 7 }),
  mustStep: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
});

function buildCatalog(parts: Record<ComponentId, ComponentParts>): Catalog {
  const built: Partial<Record<ComponentId, { releases: ReleaseInput[]; mustStepThroughMajors: number[] }>> = {};
  for (const component of [...COMPONENTS].reverse()) {
    const p = parts[component];
    let v = p.zeroMajor ? '0.1.0' : '1.0.0';
    let day = BASE_DAY + p.start;
    const releases: ReleaseInput[] = [{ version: v, date: isoOf(day), changes: [{ kind: 'feature' }] }];
    for (const step of p.steps) {
      v = semver.inc(v, step.bump as semver.ReleaseType)!;
      day += step.gap;
      const dep = DOWNSTREAM[component];
      const depReleases = dep ? built[dep]!.releases : [];
      releases.push({
        version: v,
        date: isoOf(day),
        changes: step.kinds.map((k) => (k.startsWith('sec-') ? { kind: 'security', severity: k.slice(4) as 'high' } : { kind: k === 'bug' ? 'bugfix' : k === 'break' ? 'breaking' : 'feature' })),
        withdrawn: step.withdrawn,
        ...(step.eosAfter !== null ? { endOfSupport: isoOf(day + step.eosAfter) } : {}),
        ...(dep && step.requires !== null ? { requires: { [dep]: `>=${depReleases[step.requires % depReleases.length].version}` } } : {}),
      });
    }
    const majors = new Set(releases.map((r) => semver.major(r.version)));
    built[component] = { releases, mustStepThroughMajors: [...new Set(p.mustStep)].filter((m) => majors.has(m)).sort() };
  }
  return catalogOf(built);
}

const envArb = fc.record({
  environment: fc.constantFrom('prod', 'staging', 'dev') as fc.Arbitrary<'prod' | 'staging' | 'dev'>,
  ring: fc.integer({ min: 0, max: 3 }),
  timezone: fc.constantFrom(...ZONES),
  windows: fc.array(
    fc.record({
      days: fc.subarray(DAYS, { minLength: 1 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.constantFrom(0, 30),
      durationHours: fc.integer({ min: 1, max: 8 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  freezes: fc.array(fc.record({ offset: fc.integer({ min: -20, max: 60 }), length: fc.integer({ min: 0, max: 25 }) }), { maxLength: 2 }),
  hold: fc.option(fc.record({ component: fc.constantFrom(...COMPONENTS), until: fc.option(fc.integer({ min: -5, max: 30 })) }), { freq: 3 }),
  approvals: fc.array(fc.record({ component: fc.constantFrom(...COMPONENTS), major: fc.integer({ min: 1, max: 5 }) }), { maxLength: 2 }),
  picks: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
  runsS3: fc.integer({ min: 0, max: 4 }).map((x) => x > 0),
});

const policyArb = fc.record({
  granularity: fc.constantFrom('major', 'minor') as fc.Arbitrary<'major' | 'minor'>,
  lines: fc.integer({ min: 1, max: 3 }),
  minAge: fc.integer({ min: 0, max: 14 }),
  maxPerWave: fc.integer({ min: 1, max: 4 }),
  bake: fc.integer({ min: 0, max: 4 }),
  fastBake: fc.integer({ min: 0, max: 4 }),
  approvals: fc.boolean(),
});

interface Scenario {
  readonly environments: EnvironmentInput[];
  readonly catalog: Catalog;
  readonly policy: Policy;
  readonly now: Date;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    parts: fc.record({ collector: componentArb, enrich: componentArb, 's3-loader': componentArb }),
    envs: fc.array(envArb, { minLength: 1, maxLength: 6 }),
    policy: policyArb,
    nowOffset: fc.integer({ min: 200, max: 1500 }),
  })
  .map(({ parts, envs, policy: p, nowOffset }) => {
    const catalog = buildCatalog(parts as Record<ComponentId, ComponentParts>);
    const nowDay = BASE_DAY + nowOffset;
    const policy = realPolicy();
    policy.supportWindow = { granularity: p.granularity, lines: p.lines };
    policy.minimumReleaseAge.days = p.minAge;
    policy.waves.maxEnvironmentsPerWave = p.maxPerWave;
    policy.waves.bakeDays = Math.max(p.bake, p.fastBake);
    policy.waves.fastTrack.bakeDays = Math.min(p.bake, p.fastBake);
    policy.majorsNeedApproval = p.approvals;
    const environments = envs.map((e, i): EnvironmentInput => {
      const components = e.runsS3 ? COMPONENTS : COMPONENTS.slice(0, 2);
      return {
        stack: `c${i}-${e.environment}`,
        customer: `c${i}`,
        environment: e.environment,
        ring: e.ring,
        timezone: e.timezone,
        windows: e.windows.map((w) => ({ days: w.days, start: `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`, durationHours: w.durationHours })),
        freezes: e.freezes.map((f, k) => ({ start: isoOf(nowDay + f.offset), end: isoOf(nowDay + f.offset + f.length), reason: `freeze ${k}` })),
        holds: e.hold && components.includes(e.hold.component) ? [{ component: e.hold.component, reason: 'held for test', ...(e.hold.until !== null ? { until: isoOf(nowDay + e.hold.until) } : {}) }] : [],
        approvedMajors: e.approvals.map((a) => ({ ...a, approvedBy: 'a@b.co', ticket: 'SUP-1' })),
        pins: components.map((component, k) => {
          const releases = catalog.components[component]!.releases;
          return { component, version: releases[e.picks[k] % releases.length].version };
        }),
      };
    });
    return { environments, catalog, policy, now: new Date(`${isoOf(nowDay)}T${String(nowOffset % 24).padStart(2, '0')}:00:00Z`) };
  });

const planOf = (s: Scenario): UpgradePlan => plan(s.environments, s.catalog, s.policy, s.now);
const scheduled = (p: UpgradePlan) => p.waves.flatMap((w) => w.environments.map((e) => ({ w, e })));

/** Local date, weekday and time of an instant, computed here independently of the planner. */
function local(tz: string, iso: string): { date: string; day: DayName; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, day: parts.weekday.toLowerCase().slice(0, 3) as DayName, time: `${parts.hour}:${parts.minute}` };
}

describe('planner properties', () => {
  test('no target is withdrawn, unsupported only as a stepping stone, and backwards only as a rollback', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = planOf(s);
        const index = indexCatalog(s.catalog);
        const today = dayOf(p.generatedFor);
        for (const { e } of scheduled(p)) {
          for (const c of e.changes) {
            const ci = index.get(c.component)!;
            const target = ci.byVersion.get(c.to)!;
            expect(target.release.withdrawn).toBe(false);
            // Out of support only as a stepping stone (a major that must be landed on).
            if (supportOf(target, supportedLines(ci, s.policy, today), s.policy, today).state !== 'supported') {
              expect(ci.mustStepThroughMajors.has(target.major)).toBe(true);
            }
            // Backwards only as the rollback of a withdrawn pin.
            if (!semver.gt(c.to, c.from)) {
              expect(ci.byVersion.get(c.from)!.release.withdrawn).toBe(true);
              expect(c.reasons.some((r) => r.startsWith('rollback:'))).toBe(true);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('every requirement holds after each step', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = planOf(s);
        const index = indexCatalog(s.catalog);
        for (const { e } of scheduled(p)) {
          const env = s.environments.find((x) => x.stack === e.stack)!;
          const state = new Map(env.pins.map((pin) => [pin.component, pin.version]));
          const holds = () =>
            [...state].flatMap(([component, version]) =>
              index
                .get(component)!
                .byVersion.get(version)!
                .requires.filter((r) => state.has(r.component))
                .map((r) => ({ component, dep: r.component, ok: r.parsed.test(state.get(r.component)!) })),
            );
          const before = holds();
          for (const c of e.changes) {
            state.set(c.component, c.to);
            const after = holds();
            // The changed component's own requirements hold, and nothing that held before breaks.
            for (const h of after) {
              const was = before.find((b) => b.component === h.component && b.dep === h.dep);
              if (h.component === c.component || was?.ok) expect(h).toMatchObject({ ok: true });
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('no environment is scheduled outside its window or inside a freeze', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = planOf(s);
        for (const { w, e } of scheduled(p)) {
          const env = s.environments.find((x) => x.stack === e.stack)!;
          const start = local(env.timezone, e.window.start);
          expect(start.date).toBe(w.start);
          const hours = (Date.parse(e.window.end) - Date.parse(e.window.start)) / 3_600_000;
          expect(env.windows.some((win) => win.days.includes(start.day) && win.start === start.time && win.durationHours === hours)).toBe(true);
          expect(Date.parse(e.window.start)).toBeGreaterThanOrEqual(s.now.getTime());
          const lastDate = local(env.timezone, new Date(Date.parse(e.window.end) - 1).toISOString()).date;
          for (const f of env.freezes) expect(lastDate < f.start || start.date > f.end).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('security fixes never wait past their deadline without a reason', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = planOf(s);
        for (const status of p.statuses) {
          for (const fix of status.missingSecurityFixes.filter((f) => f.daysOverdue === 0)) {
            const placed = scheduled(p).find(({ e }) => e.stack === status.stack);
            const change = placed?.e.changes.find((c) => c.component === status.component && semver.gte(c.to, fix.version));
            const deadlineEnd = Date.parse(`${fix.deadline}T23:59:59.999Z`);
            if (change && placed && Date.parse(placed.e.window.start) <= deadlineEnd) continue;
            if (change && placed) {
              expect(placed.e.notes.some((n) => n.startsWith('late:'))).toBe(true);
              continue;
            }
            const deferred = p.deferred.filter((d) => d.stack === status.stack && d.component === status.component);
            expect(deferred.length).toBeGreaterThan(0);
            for (const d of deferred) expect(d.reason.length).toBeGreaterThan(10);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('identical inputs give a byte-identical plan, whatever the order of the environments', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (s, seed) => {
        const first = planOf(s);
        const copy: Scenario = JSON.parse(JSON.stringify({ ...s, now: undefined }));
        const shuffled = [...copy.environments].sort((a, b) => ((a.stack.charCodeAt(1) * 31 + seed) % 7) - ((b.stack.charCodeAt(1) * 31 + seed) % 7));
        const second = plan(shuffled, copy.catalog, copy.policy, new Date(s.now.getTime()));
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
        expect(renderMarkdown(second)).toBe(renderMarkdown(first));
      }),
      { numRuns: 40 },
    );
  });

  test('ranking is stable: by score, then stack, numbered from 1, and waves run in order', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = planOf(s);
        p.ranking.forEach((r, i) => {
          expect(r.rank).toBe(i + 1);
          if (i > 0) {
            const prev = p.ranking[i - 1];
            expect(prev.score > r.score || (prev.score === r.score && prev.stack <= r.stack)).toBe(true);
          }
        });
        p.waves.forEach((w, i) => {
          expect(w.number).toBe(i + 1);
          if (i > 0) expect(p.waves[i - 1].start <= w.start).toBe(true);
        });
      }),
      { numRuns: RUNS },
    );
  });

  test('a customer\'s prod never starts before a non-prod that tests its change has run and baked, whatever their stages; without a slot for that non-prod, prod waits', () => {
    fc.assert(
      fc.property(scenarioArb, (s0) => {
        // Two customers share the environments, so prod and non-prod of one customer meet in any rings.
        const s = { ...s0, environments: s0.environments.map((e, i) => ({ ...e, customer: `c${i % 2}` })) };
        const p = planOf(s);
        const slots = scheduled(p);
        // A non-prod tests prod's change when it runs a changed component at another version.
        const tests = (stack: string, e: (typeof slots)[number]['e']) =>
          e.changes.some((c) => s.environments.find((x) => x.stack === stack)!.pins.some((pin) => pin.component === c.component && pin.version !== c.to));
        for (const { e } of slots.filter((x) => x.e.environment === 'prod')) {
          for (const { w, e: other } of slots.filter((x) => x.e.customer === e.customer && x.e.environment !== 'prod' && tests(x.e.stack, e))) {
            expect(Date.parse(e.window.start)).toBeGreaterThanOrEqual(Date.parse(other.window.end) + w.bakeDays * 86_400_000);
          }
          const unscheduledTester = p.deferred.some(
            (d) => d.reason.startsWith('not scheduled:') && s.environments.some((x) => x.stack === d.stack && x.customer === e.customer && x.environment !== 'prod') && tests(d.stack, e),
          );
          expect(unscheduledTester).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
