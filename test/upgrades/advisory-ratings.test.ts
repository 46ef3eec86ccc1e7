/** The published ratings the seed derives severities from agree with their own CVSS vectors, and reach the catalog. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromVector } from 'ae-cvss-calculator';
import { COMPONENT_IDS } from '../../customers/schema';
import { loadCatalog } from '../../upgrades/catalog/load';
import { ADVISORY_RATINGS } from '../../upgrades/catalog/seed/curated';
import { parseReleasesTsv } from '../../upgrades/catalog/seed/from-tsv';
import { PUBLISHED_RATINGS } from '../../upgrades/catalog/seed/published-ratings';
import { ROOT } from './fixtures';

/** CVSS's qualitative scale (the same for v3.x and v4.0). */
const scale = (score: number) => (score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score > 0 ? 'low' : 'none');

describe('published advisory ratings', () => {
  test.each(PUBLISHED_RATINGS.map((r) => [r.id, r] as const))('%s: the vector gives the stated score and severity', (_id, r) => {
    const base = fromVector(r.vector)!.calculateScores().base as number;
    if (r.score !== null) expect(base).toBeCloseTo(r.score, 1);
    expect(scale(base)).toBe(r.severity);
    expect(r.id).toMatch(/^CVE-\d{4}-\d{4,}$/);
  });

  test('every rated id is named by some security row of releases.tsv, once', () => {
    const rows = parseReleasesTsv(readFileSync(join(ROOT, '..', 'shared', 'reference', 'releases.tsv'), 'utf8'));
    const named = new Set(rows.filter((r) => r.kinds.includes('security')).flatMap((r) => r.advisories.map((a) => a.replace(/\?$/, ''))));
    expect(PUBLISHED_RATINGS.map((r) => r.id).filter((id) => !named.has(id))).toEqual([]);
    expect(new Set(PUBLISHED_RATINGS.map((r) => r.id)).size).toBe(PUBLISHED_RATINGS.length);
  });

  test('a derived severity is the worst rating the release\'s advisories have; the default only where none is rated', () => {
    const catalog = loadCatalog(join(ROOT, 'upgrades', 'catalog')).catalog!;
    const order = ['critical', 'high', 'medium', 'low'];
    for (const c of COMPONENT_IDS) {
      for (const r of catalog.components[c]!.releases.filter((x) => x.severityDerived)) {
        const rated = r.advisories.map((a) => ADVISORY_RATINGS.get(a.id)?.severity).filter((s) => s !== undefined);
        const worst = rated.sort((a, b) => order.indexOf(a!) - order.indexOf(b!))[0];
        expect({ release: `${c} ${r.version}`, severity: r.severity }).toEqual({ release: `${c} ${r.version}`, severity: worst ?? 'medium' });
        expect(r.severityBasis!.startsWith(worst ? 'rating of ' : 'default ')).toBe(true);
      }
    }
    // e.g. pgjdbc's CVE-2022-21724 (NVD 9.8) makes enrich 2.0.6 a critical fix.
    expect(catalog.components.enrich!.releases.find((x) => x.version === '2.0.6')).toMatchObject({ severity: 'critical', severityBasis: expect.stringContaining('CVE-2022-21724') });
  });
});
