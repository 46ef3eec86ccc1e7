/** Requirements conditional on a customer feature (compression) apply only when it is enabled, consumers first. */
import { catalogOf, changesOf, envOf, plan, rel } from './fixtures';

const compression = (requires: Record<string, string>) => [{ feature: 'compression' as const, requires, source: 'test' }];

const catalog = catalogOf({
  collector: {
    releases: [rel('3.5.0@2025-01-01'), rel('3.6.0@2025-06-01:sec-high', { requiresWhen: compression({ enrich: '>=6.1.0' }) })],
  },
  enrich: {
    releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2025-02-01'), rel('6.11.0@2025-06-01:sec-high', { requiresWhen: compression({ 's3-loader': '>=3.2.0' }) })],
  },
  's3-loader': { releases: [rel('3.0.0@2025-01-01'), rel('3.2.0@2025-03-01')] },
});

const pins = [
  { component: 'collector' as const, version: '3.5.0' },
  { component: 'enrich' as const, version: '6.0.0' },
  { component: 's3-loader' as const, version: '3.0.0' },
];

describe('conditional requirements', () => {
  test('without the feature, the fixes move alone: no prerequisite rides along', () => {
    const p = plan([envOf({ customer: 'plain-co', pins })], catalog);
    const changes = changesOf(p, 'plain-co-prod');
    expect(changes.map((c) => [c.component, c.to])).toEqual([
      ['collector', '3.6.0'],
      ['enrich', '6.11.0'],
    ]);
    expect(changes.flatMap((c) => c.reasons).filter((r) => r.startsWith('prerequisite'))).toEqual([]);
  });

  test('with compression enabled, consumers go first and the reason says why', () => {
    const p = plan([envOf({ customer: 'zip-co', pins, features: ['compression'] })], catalog);
    const changes = changesOf(p, 'zip-co-prod');
    expect(changes.map((c) => [c.component, c.to])).toEqual([
      ['s3-loader', '3.2.0'],
      ['enrich', '6.11.0'],
      ['collector', '3.6.0'],
    ]);
    expect(changes[0].reasons).toContain('prerequisite: enrich 6.11.0 needs s3-loader >=3.2.0 with compression enabled; applied before it');
    expect(changes[1].reasons).toContain('prerequisite: collector 3.6.0 needs enrich >=6.1.0 with compression enabled; applied before it');
  });

  test('a held consumer blocks the producer only when the feature is on', () => {
    const holds = [{ component: 's3-loader' as const, reason: 'bucket migration' }];
    const off = plan([envOf({ customer: 'held-co', pins, holds })], catalog);
    expect(changesOf(off, 'held-co-prod').map((c) => c.component)).toContain('enrich');
    const on = plan([envOf({ customer: 'held-co', pins, holds, features: ['compression'] })], catalog);
    expect(changesOf(on, 'held-co-prod').find((c) => c.component === 'enrich')?.to).not.toBe('6.11.0');
    expect(on.deferred.find((d) => d.component === 'enrich')!.reason).toMatch(/^blocked: needs s3-loader >=3.2.0 with compression enabled first \(s3-loader is held: bucket migration\)/);
  });
});

describe('unknown pins', () => {
  test('an unknown or prerelease pin leaves that environment out with the reason; the rest is planned', () => {
    const p = plan(
      [
        envOf({ customer: 'good-co', pins }),
        envOf({ customer: 'odd-co', pins: [{ component: 'collector', version: '3.5.1' }, pins[1]] }),
        envOf({ customer: 'rc-co', pins: [{ component: 'collector', version: '3.6.0-rc1' }] }),
      ],
      catalog,
    );
    expect(p.unknown).toEqual([
      { stack: 'odd-co-prod', customer: 'odd-co', environment: 'prod', reasons: ['collector 3.5.1 is not in the release catalog'] },
      { stack: 'rc-co-prod', customer: 'rc-co', environment: 'prod', reasons: ['collector 3.6.0-rc1 is a prerelease; prereleases never enter the fleet'] },
    ]);
    expect(changesOf(p, 'good-co-prod').length).toBeGreaterThan(0);
    expect(changesOf(p, 'odd-co-prod')).toEqual([]);
    expect(p.deferred.find((d) => d.stack === 'odd-co-prod' && d.component === 'enrich')!.reason).toMatch(/^not planned: the environment is unknown/);
    expect(p.statuses.find((s) => s.stack === 'odd-co-prod' && s.component === 'collector')).toMatchObject({ support: 'unknown', decision: 'deferred' });
    expect(p.summary.unknownEnvironments).toBe(2);
  });
});
