import { readFileSync } from 'node:fs';
import { isFixedIn, looseVersion, parseOsv } from '../../../upgrades/catalog/import/osv';
import { ownFixes } from '../../../upgrades/catalog/import/own-fixes';
import { runImport } from '../../../upgrades/catalog/import/run';
import { catalogWithout, fleet, osvFixture, scratch, useScratch, write } from './helpers';

useScratch();

const advisory = (name: string) => parseOsv(name, readFileSync(osvFixture(name), 'utf8')).advisory!;

describe('advisories on the component itself (--package)', () => {
  const IGLU = 'com.snowplowanalytics:iglu-server';

  test('every range is credited on its own line, two 0.x lines of one major included', () => {
    const own = ownFixes(['0.13.0', '0.13.1', '0.13.2', '0.14.0', '0.14.1', '0.15.0'], [advisory('own-two-lines.json')], [IGLU]);
    expect([...own.byVersion.keys()].sort()).toEqual(['0.13.1', '0.14.1']);
    // The third range is still open: said, not dropped.
    expect(own.unmatched).toEqual([{ advisory: 'CVE-2026-11111', file: 'own-two-lines.json', reason: expect.stringContaining('0.15.0 onwards has no fixed or last_affected version') }]);
  });

  test('a fixed version missing from the catalog is credited to the next release on that line, not to another line', () => {
    const own = ownFixes(['0.13.0', '0.13.3', '0.14.0', '0.14.2'], [advisory('own-two-lines.json')], [IGLU]);
    expect([...own.byVersion.keys()].sort()).toEqual(['0.13.3', '0.14.2']);
    const none = ownFixes(['0.13.0', '0.14.0'], [advisory('own-two-lines.json')], [IGLU]);
    expect(none.byVersion.size).toBe(0);
    expect(none.unmatched.map((u) => u.reason)).toEqual([
      expect.stringContaining('fixed by no release at or above 0.13.1 on the 0.13.x line'),
      expect.stringContaining('fixed by no release after 0.14.0 on the 0.14.x line'),
      expect.stringContaining('no fixed or last_affected version'),
    ]);
  });

  test('the import credits a catalog release and a new one, both on major 0', async () => {
    const catalogDir = catalogWithout('iglu-server', ['0.14.1', '0.14.2']);
    const changelog = write('CHANGELOG', '0.14.1 (2025-04-22)\n---\nFix authentication bypass (#300)\n\n0.13.1 (2024-09-11)\n---\nFix authentication bypass (#299)\n');
    const r = await fleet(['catalog', 'import', '--component', 'iglu-server', '--catalog', catalogDir, '--changelog', changelog, '--osv', osvFixture('own-two-lines.json'), '--package', IGLU, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.added).toEqual([expect.objectContaining({ version: '0.14.1', severity: 'critical', advisories: [{ id: 'CVE-2026-11111', inferred: false }] })]);
    expect(report.advisoriesAdded).toEqual([expect.objectContaining({ version: '0.13.1', advisory: 'CVE-2026-11111' })]);
  });

  test('a catalog release the source does not list still gets its own-package fix', () => {
    const changelog = write('CHANGELOG', '0.14.2 (2026-07-30)\n---\nFix a crash\n');
    const result = runImport({
      component: 'iglu-server', catalogDir: catalogWithout('iglu-server', []), source: { kind: 'changelog', file: changelog },
      osvFiles: [osvFixture('own-two-lines.json')], ownPackages: [IGLU], since: '2022-01-01', cwd: scratch(),
    });
    expect(result.problems).toEqual([]);
    expect(result.proposal!.advisoriesAdded.map((a) => a.version)).toEqual(['0.13.1']);
    // 0.14.1 is not a security release in the catalog: a person decides, and is told.
    expect(result.proposal!.conflicts.map((c) => c.text)).toEqual([expect.stringMatching(/^CVE-2026-11111 is fixed in 0.14.1, which the catalog does not mark as a security release/)]);
  });
});

describe('advisories that match nothing are listed, with why', () => {
  test('no affected package, an unknown library, a missing --package, and a fix only before --since', async () => {
    const catalogDir = catalogWithout('enrich', ['3.3.1']);
    const changelog = write('CHANGELOG', 'Version 6.14.0 (2026-09-01)\n---\nFix a crash (#1)\n\nVersion 3.3.1 (2022-09-06)\n---\nBump snake-yaml to 1.31 (#688)\n');
    const args = ['catalog', 'import', '--component', 'enrich', '--catalog', catalogDir, '--changelog', changelog, '--since', '2026-01-01'];
    const osv = ['no-affected.json', 'other-package.json', 'rated-by-database.json', 'GHSA-3mc7-4q67-w48m.json'].flatMap((f) => ['--osv', osvFixture(f)]);
    const json = JSON.parse((await fleet([...args, ...osv, '--json'])).out);
    expect(json.unmatched).toEqual([
      { advisory: 'CVE-2026-40003', file: expect.stringContaining('no-affected.json'), reason: 'the OSV file lists no affected package, so nothing can fix it' },
      { advisory: 'CVE-2026-40002', file: expect.stringContaining('other-package.json'), reason: expect.stringContaining('no changelog entry names it or bumps com.example:unrelated to a fixed version; if this is the component itself, give it with --package') },
      { advisory: 'GHSA-2p2x-vm5w-3qxv', file: expect.stringContaining('rated-by-database.json'), reason: expect.stringContaining('bumps com.snowplowanalytics:snowplow-s3-loader') },
      { advisory: 'CVE-2022-25857', file: expect.stringContaining('GHSA-3mc7-4q67-w48m.json'), reason: 'fixed only in 3.3.1, before --since 2026-01-01' },
    ]);
    const text = (await fleet([...args, ...osv])).out;
    expect(text).toMatch(/4 unmatched advisor\(ies\)/);
    expect(text).toContain('? CVE-2026-40003 (');
  });

  test('a range that ends in last_affected is fixed by any version above it', () => {
    const pkg = advisory('last-affected.json').packages[0];
    expect(isFixedIn(pkg, '1.33')).toBe(false);
    expect(isFixedIn(pkg, '2.0')).toBe(true);
  });

  test('a bump past last_affected is credited with the advisory', () => {
    const changelog = write('CHANGELOG', 'Version 6.14.0 (2026-09-01)\n---\nBump snakeyaml to 2.0 (#3)\n');
    const result = runImport({
      component: 'enrich', catalogDir: catalogWithout('enrich', []), source: { kind: 'changelog', file: changelog },
      osvFiles: [osvFixture('last-affected.json')], ownPackages: [], since: '2022-01-01', cwd: scratch(),
    });
    expect(result.proposal!.added[0]).toMatchObject({ version: '6.14.0', severity: 'high', advisories: [{ id: 'CVE-2026-40004', inferred: true }] });
    expect(result.proposal!.unmatched).toEqual([]);
  });
});

describe('prereleases of a fixed version', () => {
  test('are below it', () => {
    expect(looseVersion('2.15.0-rc1')).toBe('2.15.0-rc1');
    expect(looseVersion('2.0-beta9')).toBe('2.0.0-beta9');
    expect(looseVersion('4.1.118.Final')).toBe('4.1.118');
    expect(looseVersion('31.1-jre')).toBe('31.1.0');
    const log4j = advisory('GHSA-jfh8-c2jp-5v3q.json').packages[0];
    expect(isFixedIn(log4j, '2.15.0-rc1')).toBe(false);
    expect(isFixedIn(log4j, '2.15.0')).toBe(true);
  });
});

describe('an advisory added to an existing security release', () => {
  const log4j = () => osvFixture('GHSA-jfh8-c2jp-5v3q.json');

  test('re-derives a derived severity it outranks, in the text, the JSON and the diff', async () => {
    const changelog = write('CHANGELOG', 'Version 6.9.0 (2026-03-02)\n---\nBump log4j-core to 2.17.1 (#300)\n');
    const args = ['catalog', 'import', '--component', 'enrich', '--catalog', catalogWithout('enrich', []), '--changelog', changelog, '--osv', log4j(), '--since', '2026-01-01'];
    const text = await fleet(args);
    expect(text.out).toContain('+ 6.9.0 fixes CVE-2021-44228 (rated critical: CVSS 3 base score 10.0)');
    expect(text.out).toContain('~ 6.9.0 severity medium -> critical (derived: CVSS 3 base score 10.0 of CVE-2021-44228: critical)');
    expect(text.out).toContain('-      "severity": "medium",\n+      "severity": "critical",');
    expect(text.out).toContain('+      "severityBasis": "CVSS 3 base score 10.0 of CVE-2021-44228: critical",');
    const json = JSON.parse((await fleet([...args, '--json'])).out);
    expect(json.severityChanges).toEqual([{ version: '6.9.0', from: 'medium', to: 'critical', advisory: 'CVE-2021-44228', rating: 'CVSS 3 base score 10.0', basis: 'CVSS 3 base score 10.0 of CVE-2021-44228: critical' }]);
  });

  test('never changes a severity a person set; a higher rating is a conflict', () => {
    const changelog = write('CHANGELOG', '3.3.1 (2022-09-06)\n---\nBump log4j-core to 2.17.1 (#300)\n');
    const result = runImport({
      component: 'enrich', catalogDir: catalogWithout('enrich', []), source: { kind: 'changelog', file: changelog },
      osvFiles: [log4j()], ownPackages: [], since: '2022-01-01', cwd: scratch(),
    });
    const p = result.proposal!;
    expect(p.advisoriesAdded.map((a) => [a.version, a.advisory, a.severity])).toEqual([['3.3.1', 'CVE-2021-44228', 'critical']]);
    expect(p.severityChanges).toEqual([]);
    expect(p.conflicts.map((c) => c.text)).toEqual([expect.stringMatching(/^CVE-2021-44228 is rated critical \(CVSS 3 base score 10\.0\), above 3\.3\.1's high, which a person set; the catalog keeps high/)]);
    expect(result.diff).not.toMatch(/^[-+]\s+"severity/m);
  });

  test('the worst new rating wins; a rating at or below the derived one changes nothing', async () => {
    const catalogDir = catalogWithout('enrich', []);
    const both = write('CHANGELOG', 'Version 6.9.0 (2026-03-02)\n---\nBump snakeyaml to 2.0 (#3)\nBump log4j-core to 2.17.1 (#300)\n');
    const args = (changelog: string, osv: string) => ['catalog', 'import', '--component', 'enrich', '--catalog', catalogDir, '--changelog', changelog, '--osv', osv, '--since', '2026-01-01'];
    const first = await fleet([...args(both, log4j()), '--osv', osvFixture('last-affected.json'), '--json', '--write']);
    expect(JSON.parse(first.out).severityChanges.map((c: { to: string; advisory: string }) => [c.to, c.advisory])).toEqual([['critical', 'CVE-2021-44228']]);
    const yaml = write('CHANGELOG-2', 'Version 6.9.0 (2026-03-02)\n---\nBump snakeyaml to 2.0 (#3)\n');
    const second = JSON.parse((await fleet([...args(yaml, osvFixture('last-affected.json')), '--json'])).out);
    expect(second.advisoriesAdded).toEqual([]);
    expect(second.severityChanges).toEqual([]);
  });
});

describe('an advisory no OSV file rates', () => {
  const lowRated = () => osvFixture('jackson-core-no-cve.json');

  test('counts as the default medium next to a low-rated one: a rated file never lowers a release', () => {
    const changelog = write('CHANGELOG', 'Version 6.14.0 (2026-09-01)\n---\nFix CVE-2026-33333: remote code execution (#930)\nBump jackson-core to 2.18.6 (#931)\n');
    const run = (osvFiles: string[]) => runImport({
      component: 'enrich', catalogDir: catalogWithout('enrich', []), source: { kind: 'changelog', file: changelog },
      osvFiles, ownPackages: [], since: '2022-01-01', cwd: scratch(),
    }).proposal!.added[0];
    expect(run([]).severity).toBe('medium');
    expect(run([lowRated()])).toMatchObject({
      severity: 'medium',
      severityBasis: 'default medium for CVE-2026-33333, which no OSV file rates; that is above CVSS 3 base score 3.7 of GHSA-h46c-h94j-95f3: low',
    });
  });

  test('newly listed on a release derived from a low rating, raises it to the default', async () => {
    const catalogDir = catalogWithout('enrich', []);
    const args = (changelog: string) => ['catalog', 'import', '--component', 'enrich', '--catalog', catalogDir, '--changelog', changelog, '--osv', lowRated(), '--json'];
    await fleet([...args(write('CL-1', 'Version 6.14.0 (2026-09-01)\n---\nBump jackson-core to 2.18.6 (#931)\n')), '--write']);
    const second = JSON.parse((await fleet(args(write('CL-2', 'Version 6.14.0 (2026-09-01)\n---\nBump jackson-core to 2.18.6 (#931)\nFix CVE-2026-33333 (#930)\n')))).out);
    expect(second.severityChanges).toEqual([expect.objectContaining({ version: '6.14.0', from: 'low', to: 'medium', advisory: 'CVE-2026-33333', basis: 'default medium for CVE-2026-33333, which no OSV file rates' })]);
  });
});

describe('an advisory the catalog already lists', () => {
  test('is not added again once its OSV file gains a CVE alias', async () => {
    const catalogDir = catalogWithout('enrich', []);
    const changelog = write('CHANGELOG', 'Version 6.13.2 (2026-08-20)\n---\nBump jackson-core to 2.18.6 (#920)\n');
    const args = (osv: string) => ['catalog', 'import', '--component', 'enrich', '--catalog', catalogDir, '--changelog', changelog, '--osv', osvFixture(osv), '--json'];
    const first = JSON.parse((await fleet([...args('jackson-core-no-cve.json'), '--write'])).out);
    expect(first.added.map((r: { advisories: unknown }) => r.advisories)).toEqual([[{ id: 'GHSA-h46c-h94j-95f3', inferred: true }]]);
    const again = JSON.parse((await fleet(args('jackson-core-cve-alias.json'))).out);
    expect(again.advisoriesAdded).toEqual([]);
    expect(again.diff).toBe('');
    expect(again.unmatched).toEqual([]);
  });
});
