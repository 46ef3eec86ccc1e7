import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENT_IDS } from '../../customers/schema';
import { loadCustomers } from '../../customers/load';
import { catalogVersionCheck, loadCatalog, validateCatalogTexts } from '../../upgrades/catalog/load';
import { NOW, ROOT } from './fixtures';

const DIR = join(ROOT, 'upgrades', 'catalog');

function realTexts(): { file: string; text: string }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: join(DIR, f), text: readFileSync(join(DIR, f), 'utf8') }));
}

/** The real catalog with one file edited. */
function withEdit(component: string, edit: (raw: any) => void) {
  return validateCatalogTexts(
    realTexts().map((t) => {
      if (!t.file.endsWith(`/${component}.json`)) return t;
      const raw = JSON.parse(t.text);
      edit(raw);
      return { file: t.file, text: JSON.stringify(raw) };
    }),
    DIR,
  );
}

describe('release catalog', () => {
  test('the real catalog is valid and has every component', () => {
    const { catalog, issues } = loadCatalog(DIR);
    expect(issues).toEqual([]);
    expect(Object.keys(catalog!.components).sort()).toEqual([...COMPONENT_IDS].sort());
  });

  test('every example pin exists, plus the GCP pins to come', () => {
    const { catalog } = loadCatalog(DIR);
    const check = catalogVersionCheck(catalog!);
    const { issues } = loadCustomers(join(ROOT, 'customers'), { now: NOW, checkVersion: check });
    expect(issues).toEqual([]);
    expect(check('bigquery-loader', '1.7.2')).toBeUndefined();
    expect(check('bigquery-loader', '2.0.0')).toBeUndefined();
  });

  test('encodes the real cross-component constraints, conditional on compression', () => {
    const { catalog } = loadCatalog(DIR);
    const collector = catalog!.components.collector!.releases.find((r) => r.version === '3.6.0')!;
    expect(collector.requires).toEqual({});
    expect(collector.requiresWhen).toEqual([expect.objectContaining({ feature: 'compression', requires: { enrich: '>=6.1.0' } })]);
    const enrich = catalog!.components.enrich!.releases.find((r) => r.version === '6.11.0')!;
    expect(enrich.requires).toEqual({});
    expect(enrich.requiresWhen[0].requires).toEqual({
      'bigquery-loader': '>=2.2.0',
      'elasticsearch-loader': '>=3.0.0',
      's3-loader': '>=3.2.0',
      'snowflake-streaming-loader': '>=0.6.0',
    });
    // Before 6.11.0 enrich had no enriched-stream compression, so nothing is conditional there.
    expect(catalog!.components.enrich!.releases.find((r) => r.version === '6.10.0')!.requiresWhen).toEqual([]);
    expect(catalog!.components.enrich!.mustStepThroughMajors).toEqual([3, 4, 6]);
  });

  test('an unknown pinned version gets a hint with the nearest known versions; a prerelease is named as one', () => {
    const { catalog } = loadCatalog(DIR);
    const check = catalogVersionCheck(catalog!);
    const hint = check('collector', '3.4.1');
    expect(hint).toContain('nearest known: 3.3.0, 3.4.0, 3.5.0, 3.6.0');
    expect(hint).toContain('latest 3.7.0');
    expect(check('enrich', '6.11.0-rc1')).toContain('prerelease');
    expect(check('enrich', '5.4.0')).toBeUndefined();
  });

  const at = (raw: any, version: string) => raw.releases.find((r: any) => r.version === version);
  const indexOf = (component: string, version: string) =>
    JSON.parse(readFileSync(join(DIR, `${component}.json`), 'utf8')).releases.findIndex((r: any) => r.version === version);

  test('unknown component in a requirement', () => {
    const { issues } = withEdit('collector', (raw) => (at(raw, '3.6.0').requires = { enrichment: '>=6.1.0' }));
    expect(issues).toEqual([
      expect.objectContaining({ path: `releases.${indexOf('collector', '3.6.0')}.requires.enrichment`, got: '"enrichment"', hint: expect.stringContaining('unknown component') }),
    ]);
  });

  test('bad semver range, including Terraform syntax, also in a conditional requirement', () => {
    const i = indexOf('collector', '3.6.0');
    const bad = withEdit('collector', (raw) => (at(raw, '3.6.0').requires = { enrich: '~> 6.1' })).issues;
    expect(bad[0]).toMatchObject({ path: `releases.${i}.requires.enrich`, got: '"~> 6.1"' });
    expect(bad[0].hint).toContain('Terraform');
    const nonsense = withEdit('collector', (raw) => (at(raw, '3.6.0').requiresWhen[0].requires = { enrich: 'six' })).issues;
    expect(nonsense[0]).toMatchObject({ path: `releases.${i}.requiresWhen.0.requires.enrich`, expected: 'an npm semver range' });
  });

  test('a requirement no release satisfies', () => {
    const { issues } = withEdit('collector', (raw) => (at(raw, '3.6.0').requires = { enrich: '>=9.0.0' }));
    expect(issues[0].hint).toContain('no enrich release matches');
  });

  test('bad version string', () => {
    const { issues } = withEdit('iglu-server', (raw) => (raw.releases[0].version = 'v0.12.0'));
    expect(issues[0]).toMatchObject({ path: 'releases.0.version', got: 'a 7-character string that does not match (not shown)', expected: expect.stringContaining('exact release version') });
  });

  test('dates out of order within a line; backports across lines are fine', () => {
    const { issues } = withEdit('enrich', (raw) => (at(raw, '6.2.1').date = '2025-01-01'));
    expect(issues).toEqual([expect.objectContaining({ path: `releases.${indexOf('enrich', '6.2.1')}.date`, hint: expect.stringContaining('dates out of order') })]);
    // collector 2.1.3 (a backport, 2021-03-30) is dated after 2.2.1 (2021-03-26): valid as it is.
    expect(loadCatalog(DIR).issues).toEqual([]);
  });

  test('duplicate and unsorted versions', () => {
    const dup = withEdit('s3-loader', (raw) => raw.releases.push({ ...raw.releases[2] })).issues;
    expect(dup[0]).toMatchObject({ path: `releases.${JSON.parse(readFileSync(join(DIR, 's3-loader.json'), 'utf8')).releases.length}.version`, expected: 'each version listed once' });
    const unsorted = withEdit('s3-loader', (raw) => raw.releases.reverse()).issues;
    expect(unsorted.some((i) => i.expected.startsWith('releases in ascending version order'))).toBe(true);
  });

  test('security release without severity, derived without basis, withdrawn without reason, file name mismatch, missing file', () => {
    const sec = JSON.parse(readFileSync(join(DIR, 'iglu-server.json'), 'utf8')).releases.findIndex((r: any) => r.kinds.includes('security'));
    const sev = withEdit('iglu-server', (raw) => delete raw.releases[sec].severity).issues;
    expect(sev[0]).toMatchObject({ path: `releases.${sec}.severity`, expected: expect.stringContaining('severity') });
    const basis = withEdit('iglu-server', (raw) => {
      raw.releases[sec].severityDerived = true;
      delete raw.releases[sec].severityBasis;
    }).issues;
    expect(basis[0]).toMatchObject({ path: `releases.${sec}.severityBasis` });
    const wd = withEdit('iglu-server', (raw) => (raw.releases[1].withdrawn = true)).issues;
    expect(wd[0]).toMatchObject({ path: 'releases.1.withdrawnReason' });
    const withdrawn = withEdit('iglu-server', (raw) => Object.assign(raw.releases[1], { withdrawn: true, withdrawnReason: 'pulled upstream' }));
    expect(withdrawn.issues).toEqual([]);
    const renamed = validateCatalogTexts(realTexts().map((t) => (t.file.endsWith('/iglu-server.json') ? { ...t, file: join(DIR, 'iglu.json') } : t)), DIR);
    expect(renamed.issues[0]).toMatchObject({ file: join(DIR, 'iglu.json'), path: 'component' });
    const missing = validateCatalogTexts(realTexts().filter((t) => !t.file.endsWith('/rdb-loader.json')), DIR);
    expect(missing.issues).toEqual([expect.objectContaining({ file: join(DIR, 'rdb-loader.json'), got: 'no such file' })]);
  });

  test('syntax errors carry line and column', () => {
    const { issues } = validateCatalogTexts([...realTexts().slice(1), { file: realTexts()[0].file, text: '{ "component": }' }], DIR);
    expect(issues[0]).toMatchObject({ expected: 'valid JSON', got: expect.stringMatching(/line 1, column \d+/) });
  });
});
