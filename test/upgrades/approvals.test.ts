/** Approvals instead of silence, and the minimum-age exemption reaching a fix's prerequisites. Today is 2026-11-27. */
import { renderMarkdown } from '../../upgrades/report/markdown';
import { catalogOf, changesOf, deferredOf, envOf, plan, rel } from './fixtures';

const cve = (id: string) => ({ advisories: [{ id, inferred: false }] });

describe('approvalsNeeded', () => {
  const catalog = catalogOf({
    collector: { releases: [rel('3.0.0@2025-01-01'), rel('3.0.1@2026-11-25:sec-critical', cve('CVE-2026-1111'))] },
    enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.0.1@2026-11-20:sec-high', cve('CVE-2026-2222'))] },
  });

  test('a freeze that makes a critical fix miss its deadline asks for an approval, with the slot it would get', () => {
    const env = envOf({
      customer: 'frozen-co',
      freezes: [{ start: '2026-11-20', end: '2026-12-20', reason: 'peak trading' }],
      pins: [{ component: 'collector', version: '3.0.0' }],
    });
    const p = plan([env], catalog);
    expect(p.approvalsNeeded).toEqual([
      {
        stack: 'frozen-co-prod',
        component: 'collector',
        to: '3.0.1',
        advisory: 'CVE-2026-1111',
        severity: 'critical',
        deadline: '2026-12-02',
        blockedBy: 'freeze',
        earliestSlot: '2026-11-27T02:00:00.000Z',
        reason: expect.stringContaining('freeze 2026-11-20..2026-12-20 (peak trading)'),
      },
    ]);
    expect(p.summary.approvalsNeeded).toBe(1);
    const md = renderMarkdown(p);
    const top = md.split('\n## Wave')[0];
    expect(top).toContain('## Approvals needed (1)');
    expect(top).toContain('| frozen-co-prod | collector | 3.0.1 | CVE-2026-1111 | critical | 2026-12-02 | freeze | 2026-11-27T02:00:00.000Z |');
  });

  test('a hold over a high fix\'s deadline asks for an approval; one that ends in time does not', () => {
    const held = envOf({ customer: 'held-co', holds: [{ component: 'enrich', reason: 'cluster move', until: '2027-06-30' }], pins: [{ component: 'enrich', version: '6.0.0' }] });
    const shortHold = envOf({ customer: 'short-co', holds: [{ component: 'enrich', reason: 'cluster move', until: '2026-11-28' }], pins: [{ component: 'enrich', version: '6.0.0' }] });
    const p = plan([held, shortHold], catalog);
    expect(p.approvalsNeeded).toEqual([
      expect.objectContaining({ stack: 'held-co-prod', component: 'enrich', to: '6.0.1', advisory: 'CVE-2026-2222', severity: 'high', deadline: '2026-12-04', blockedBy: 'hold', earliestSlot: '2026-11-27T02:00:00.000Z' }),
    ]);
    expect(deferredOf(p, 'held-co-prod', 'enrich')[0].reason).toMatch(/^held until 2027-06-30: cluster move/);
    // The short hold ends before the deadline: a slot after it carries the fix in time.
    expect(changesOf(p, 'short-co-prod').map((c) => c.to)).toEqual(['6.0.1']);
  });

  test('nothing is asked when a fix is on time, or late only because of the staged order', () => {
    const p = plan([envOf({ customer: 'calm-co', pins: [{ component: 'collector', version: '3.0.0' }, { component: 'enrich', version: '6.0.0' }] })], catalog);
    expect(p.approvalsNeeded).toEqual([]);
    expect(renderMarkdown(p)).not.toContain('Approvals needed');
  });
});

describe('minimum release age', () => {
  // collector 3.1.0 (2 days old) fixes a critical and needs enrich 6.1.0 (3 days old).
  const catalog = (severity: string, date = '2026-11-25') =>
    catalogOf({
      collector: { releases: [rel('3.0.0@2025-01-01'), rel(`3.1.0@${date}:sec-${severity}`, { requires: { enrich: '>=6.1.0' } })] },
      enrich: { releases: [rel('6.0.0@2025-01-01'), rel('6.1.0@2026-11-24')] },
    });
  const pins = [
    { component: 'collector' as const, version: '3.0.0' },
    { component: 'enrich' as const, version: '6.0.0' },
  ];

  test('the exemption of a critical fix covers its too-new prerequisite', () => {
    const changes = changesOf(plan([envOf({ pins })], catalog('critical')), 'test-co-prod');
    expect(changes.map((c) => [c.component, c.to])).toEqual([
      ['enrich', '6.1.0'],
      ['collector', '3.1.0'],
    ]);
    expect(changes[0].reasons).toContain(
      'prerequisite: collector 3.1.0 needs enrich >=6.1.0; applied before it (younger than the minimum release age: the exemption of the fix it enables covers it)',
    );
  });

  test('without an exempt fix, a too-new prerequisite still blocks', () => {
    // The high fix is old enough itself; its prerequisite is not.
    const p = plan([envOf({ pins })], catalog('high', '2026-11-10'));
    expect(changesOf(p, 'test-co-prod')).toEqual([]);
    expect(deferredOf(p, 'test-co-prod', 'collector')[0].reason).toMatch(/^blocked: needs enrich >=6.1.0 first \(enrich 6.1.0 is too new: released 2026-11-24/);
  });
});
