import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../../upgrades/catalog/load';
import { runImport } from '../../../upgrades/catalog/import/run';
import { catalogWithout, FIXTURES, fleet, scratch, useScratch, write } from './helpers';

useScratch();

describe('fleet catalog import', () => {
  const enrichArgs = (catalogDir: string) => [
    'catalog', 'import', '--component', 'enrich', '--catalog', catalogDir,
    '--changelog', join(FIXTURES, 'enrich-CHANGELOG'),
    '--osv', join(FIXTURES, 'osv', 'GHSA-3mc7-4q67-w48m.json'), '--osv', join(FIXTURES, 'osv', 'GHSA-jfh8-c2jp-5v3q.json'),
  ];

  test('finds the missing real releases again, with the advisory a dependency bump fixed', () => {
    const catalogDir = catalogWithout('enrich', ['3.3.1', '3.3.2', '3.4.0']);
    const result = runImport({
      component: 'enrich',
      catalogDir,
      source: { kind: 'changelog', file: join(FIXTURES, 'enrich-CHANGELOG') },
      osvFiles: [join(FIXTURES, 'osv', 'GHSA-3mc7-4q67-w48m.json')],
      ownPackages: [],
      since: '2022-01-01',
      cwd: scratch(),
    });
    expect(result.problems).toEqual([]);
    const p = result.proposal!;
    expect(p.added.map((r) => [r.version, r.date])).toEqual([['3.3.1', '2022-09-06'], ['3.3.2', '2022-09-15'], ['3.4.0', '2022-09-27']]);
    expect(p.added[0]).toMatchObject({
      kinds: ['security'],
      severity: 'high',
      severityDerived: true,
      severityBasis: 'CVSS 3 base score 7.5 of CVE-2022-25857: high',
      advisories: [{ id: 'CVE-2022-25857', inferred: true }],
    });
    expect(p.added[1].kinds).toEqual(['bug']);
    expect(p.added[2].kinds).toEqual(['feature']);
    // Left for a person, not guessed: no rule's words match these.
    expect(p.unclassified.map((u) => u.text)).toEqual([
      'enrich-kinesis: never send batch of records > 5 MB with putRecords (#685)',
      'common: show the name of the misconfigured enrichment (#683)',
    ]);
    // 3.3.0 is in the catalog with another date: reported, never changed.
    expect(p.conflicts.map((c) => c.text)).toEqual([expect.stringContaining('the catalog dates 3.3.0 2022-08-30, upstream 2022-08-31; the catalog keeps 2022-08-30')]);
    const removed = result.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    expect(removed).toEqual([]);
    expect(result.after).toContain('"version": "3.3.0",\n      "date": "2022-08-30"');
  });

  test('--write applies the proposal; the catalog validates and a second import proposes nothing', async () => {
    const catalogDir = catalogWithout('enrich', ['3.3.1', '3.3.2', '3.4.0']);
    const first = await fleet([...enrichArgs(catalogDir), '--write']);
    expect(first.err).toMatch(/wrote 3 new release\(s\)/);
    expect(first.code).toBe(0);
    expect(loadCatalog(catalogDir).issues).toEqual([]);
    const written = readFileSync(join(catalogDir, 'enrich.json'), 'utf8');
    const again = await fleet([...enrichArgs(catalogDir), '--write']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^enrich: 0 new release\(s\), 0 advisory addition\(s\)/);
    expect(readFileSync(join(catalogDir, 'enrich.json'), 'utf8')).toBe(written);
  });

  test('a GitHub releases export with an advisory on the component itself', async () => {
    const catalogDir = catalogWithout('s3-loader', ['3.2.0']);
    const r = await fleet([
      'catalog', 'import', '--component', 's3-loader', '--catalog', catalogDir, '--json',
      '--github-releases', join(FIXTURES, 's3-loader-releases.json'),
      '--osv', join(FIXTURES, 'osv', 'rated-by-database.json'), '--package', 'com.snowplowanalytics:snowplow-s3-loader',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.added).toEqual([
      expect.objectContaining({
        version: '3.2.0',
        date: '2026-05-08',
        kinds: ['security', 'bug', 'feature'],
        severity: 'medium',
        advisories: [{ id: 'GHSA-2p2x-vm5w-3qxv', inferred: false }],
      }),
    ]);
    expect(report.skipped.map((s: { problem: string }) => s.problem)).toEqual(['3.2.0-rc2 is a prerelease', '3.3.0 is a draft']);
  });

  test('bad input is refused with the file named, and nothing is written', async () => {
    const catalogDir = catalogWithout('enrich', ['3.4.0']);
    const before = readFileSync(join(catalogDir, 'enrich.json'), 'utf8');
    const bad = await fleet([...enrichArgs(catalogDir), '--osv', join(FIXTURES, 'osv', 'no-known-id.json'), '--write']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no-known-id\.json: PYSEC-2021-1 has no CVE or GHSA id/);
    expect(bad.err).toMatch(/nothing was changed/);
    expect(readFileSync(join(catalogDir, 'enrich.json'), 'utf8')).toBe(before);
    expect((await fleet(['catalog', 'import', '--component', 'enrichh', '--changelog', 'x'])).code).toBe(1);
    expect((await fleet(['catalog', 'import', '--component', 'enrich', '--changelog', 'missing-file', '--catalog', catalogDir])).err).toMatch(
      /^missing-file: cannot be read: there is no such file \(expected a CHANGELOG file\); check the path/,
    );
    expect((await fleet(['catalog', 'import', '--component', 'enrich', '--changelog', FIXTURES, '--catalog', catalogDir])).err).toMatch(
      /: cannot be read: it is a folder \(expected a CHANGELOG file, a file\); give the path of the file itself/,
    );
    const badSince = await fleet([...enrichArgs(catalogDir), '--since', '2022-02-30']);
    expect(badSince).toMatchObject({ code: 1, err: expect.stringContaining('--since expects a real date as YYYY-MM-DD, got "2022-02-30" (that month has 28 days)') });
  });

  test('an import that would break the catalog is refused', async () => {
    const catalogDir = catalogWithout('enrich', ['3.3.2']);
    const changelog = join(scratch(), 'CHANGELOG');
    // 3.3.2 dated before 3.3.1 on the same line: the catalog's own checks refuse it.
    writeFileSync(changelog, '3.3.2 (2022-09-01)\n------------------\ncommon-fs2: retry EOF errors in blaze http client (#692)\n');
    const r = await fleet(['catalog', 'import', '--component', 'enrich', '--catalog', catalogDir, '--changelog', changelog, '--write']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/would not validate: .*enrich\.json: releases\.\d+\.date/);
  });

  test('the text output lists the skipped prereleases and drafts', async () => {
    const r = await fleet(enrichArgs(catalogWithout('enrich', [])));
    expect(r.out).toMatch(/, 1 skipped heading\(s\),/);
    expect(r.out).toMatch(/^ {2}- skipped \S*enrich-CHANGELOG line 15: 3\.3\.1-rc1 is a prerelease or build tag, not a release$/m);
  });

  test('--out never replaces an input file, also through a link', async () => {
    const catalogDir = catalogWithout('enrich', ['3.4.0']);
    const changelog = write('CHANGELOG', readFileSync(join(FIXTURES, 'enrich-CHANGELOG'), 'utf8'));
    symlinkSync(changelog, join(scratch(), 'link'));
    const osv = write('osv.json', readFileSync(join(FIXTURES, 'osv', 'GHSA-jfh8-c2jp-5v3q.json'), 'utf8'));
    const before = [readFileSync(changelog, 'utf8'), readFileSync(osv, 'utf8')];
    const args = ['catalog', 'import', '--component', 'enrich', '--catalog', catalogDir, '--osv', osv];
    const sameFile = await fleet([...args, '--changelog', changelog, '--out', 'CHANGELOG']);
    expect(sameFile).toMatchObject({ code: 1, err: expect.stringContaining('--out CHANGELOG is the --changelog input CHANGELOG; write the report to another file') });
    expect((await fleet([...args, '--changelog', 'link', '--out', 'CHANGELOG'])).err).toContain('is the --changelog input link');
    expect((await fleet([...args, '--changelog', changelog, '--out', 'osv.json'])).err).toContain('is the --osv input osv.json');
    expect([readFileSync(changelog, 'utf8'), readFileSync(osv, 'utf8')]).toEqual(before);
    expect((await fleet([...args, '--changelog', changelog, '--out', 'report.txt'])).code).toBe(0);
  });
});
