/**
 * The catalog is releases.tsv: every row from 2022 on (and older rows on lines still released
 * since) is a release with the row's facts unchanged; derived severities are marked as such.
 * The TSV is parsed here on its own, not with the seed script, so a bug there cannot hide.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENT_IDS } from '../../customers/schema';
import { loadCatalog } from '../../upgrades/catalog/load';
import type { Release } from '../../upgrades/catalog/schema';
import { catalogFiles, parseReleasesTsv } from '../../upgrades/catalog/seed/from-tsv';
import { ROOT } from './fixtures';

const TSV = join(ROOT, '..', 'shared', 'reference', 'releases.tsv');
const DIR = join(ROOT, 'upgrades', 'catalog');
const text = readFileSync(TSV, 'utf8');
const rows = text
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [component, version, date, kinds, hint, advisories, summary, source] = l.split('\t');
    return { component, version, date, kinds: kinds ? kinds.split(',') : [], hint, advisories: advisories ? advisories.split(',') : [], summary, source };
  });
const catalog = loadCatalog(DIR).catalog!;
const lineOf = (v: string) => (v.startsWith('0.') ? v.split('.').slice(0, 2).join('.') : v.split('.')[0]);

describe('the catalog against releases.tsv', () => {
  test('the catalog loads', () => {
    expect(loadCatalog(DIR).issues).toEqual([]);
  });

  test('every release from 2022 on is in the catalog, older ones only on lines released since', () => {
    const live = new Set(rows.filter((r) => r.date >= '2022-01-01').map((r) => `${r.component}|${lineOf(r.version)}`));
    const expected = rows.filter((r) => r.date >= '2022-01-01' || live.has(`${r.component}|${lineOf(r.version)}`)).map((r) => `${r.component} ${r.version}`);
    const inTsv = new Set(rows.map((r) => `${r.component} ${r.version}`));
    const actual = COMPONENT_IDS.flatMap((c) => catalog.components[c]!.releases.map((r) => `${c} ${r.version}`));
    // Releases imported later (fleet catalog import) are not in the TSV; those that are must be the selected ones.
    expect(actual.filter((k) => inTsv.has(k)).sort()).toEqual([...expected].sort());
    expect(rows.filter((r) => r.date >= '2022-01-01')).toHaveLength(253);
    // The customers' old pins are covered: elasticsearch-loader 2.0.1 dates from 2021.
    expect(actual).toContain('elasticsearch-loader 2.0.1');
  });

  test('each release carries its row\'s facts unchanged', () => {
    const byKey = new Map<string, Release>();
    for (const c of COMPONENT_IDS) for (const r of catalog.components[c]!.releases) byKey.set(`${c} ${r.version}`, r);
    for (const row of rows) {
      const r = byKey.get(`${row.component} ${row.version}`);
      if (!r) continue;
      const key = `${row.component} ${row.version}`;
      expect({ key, date: r.date, kinds: r.kinds, summary: r.summary, source: r.source }).toEqual({ key, date: row.date, kinds: row.kinds, summary: row.summary, source: row.source });
      expect({ key, advisories: r.advisories.map((a) => `${a.id}${a.inferred ? '?' : ''}`) }).toEqual({ key, advisories: row.advisories });
      if (!row.kinds.includes('security')) {
        expect({ key, severity: r.severity }).toEqual({ key, severity: undefined });
      } else if (row.hint !== 'unknown') {
        expect({ key, severity: r.severity, derived: r.severityDerived }).toEqual({ key, severity: row.hint, derived: false });
      } else {
        expect({ key, derived: r.severityDerived, basis: typeof r.severityBasis }).toEqual({ key, derived: true, basis: 'string' });
      }
    }
  });

  test('derived severities come from a named advisory\'s rating, or the stated default', () => {
    const all = COMPONENT_IDS.flatMap((c) => catalog.components[c]!.releases.map((r) => ({ c, r })));
    const collector243 = all.find((x) => x.c === 'collector' && x.r.version === '2.4.3')!.r;
    expect(collector243).toMatchObject({ severity: 'critical', severityDerived: false });
    // enrich 3.3.1: CVE-2022-25857 named by the project, rated high in the notes.
    expect(all.find((x) => x.c === 'enrich' && x.r.version === '3.3.1')!.r).toMatchObject({ severity: 'high' });
    const derivedCritical = all.filter((x) => x.r.severityDerived && x.r.severity === 'critical');
    expect(derivedCritical.length).toBeGreaterThan(0);
    for (const x of derivedCritical) expect(x.r.severityBasis).toMatch(/^rating of CVE-\d{4}-\d+/);
    const defaults = all.filter((x) => x.r.severityDerived && x.r.severityBasis!.startsWith('default'));
    for (const x of defaults) expect(x.r.severity).toBe('medium');
    expect(all.filter((x) => x.r.kinds.includes('security'))).toHaveLength(rows.filter((r) => r.kinds.includes('security') && all.some((x) => x.c === r.component && x.r.version === r.version)).length);
  });

  test('every release from the TSV is exactly what the seed script makes of it (imports may add others)', () => {
    for (const f of catalogFiles(parseReleasesTsv(text))) {
      const seeded = JSON.parse(f.json);
      const committed = JSON.parse(readFileSync(join(DIR, `${f.component}.json`), 'utf8'));
      const byVersion = new Map(committed.releases.map((r: { version: string }) => [r.version, r]));
      expect({ file: f.component, mustStepThroughMajors: committed.mustStepThroughMajors }).toEqual({ file: f.component, mustStepThroughMajors: seeded.mustStepThroughMajors });
      for (const r of seeded.releases) expect(byVersion.get(r.version)).toEqual(r);
    }
  });

  test('licence gates and majors carry migration notes', () => {
    for (const [c, v] of [['collector', '3.0.0'], ['enrich', '4.0.0'], ['iglu-server', '0.12.0'], ['rdb-loader', '6.0.0'], ['bigquery-loader', '2.0.0'], ['s3-loader', '2.3.0'], ['elasticsearch-loader', '3.0.0'], ['snowflake-streaming-loader', '0.3.0']] as const) {
      expect(catalog.components[c]!.releases.find((r) => r.version === v)!.migration.join(' ')).toContain('License');
    }
  });
});
