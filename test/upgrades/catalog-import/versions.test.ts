/** Version numbers in OSV ranges: every number counts, and a bound that cannot be compared is refused. */
import { compareLoose, looseVersionOf } from '../../../upgrades/catalog/import/loose-version';
import { ownFixes } from '../../../upgrades/catalog/import/own-fixes';
import { isAffected, isFixedIn, parseOsv } from '../../../upgrades/catalog/import/osv';
import { runImport } from '../../../upgrades/catalog/import/run';
import { catalogWithout, scratch, useScratch, write } from './helpers';

useScratch();

const ENRICH = 'com.snowplowanalytics:snowplow-enrich-kinesis';

function osv(id: string, name: string, events: object[][]): string {
  return JSON.stringify({
    id, aliases: ['CVE-2026-10009'], summary: id, database_specific: { severity: 'CRITICAL' },
    affected: [{ package: { ecosystem: 'Maven', name }, ranges: events.map((e) => ({ type: 'ECOSYSTEM', events: e })) }],
  });
}

const JACKSON = osv('GHSA-jjjh-jjxp-wpff', 'com.fasterxml.jackson.core:jackson-databind', [
  [{ introduced: '2.13.0' }, { fixed: '2.13.4.1' }],
  [{ introduced: '0' }, { fixed: '2.12.7.1' }],
]);

describe('a fourth version number', () => {
  test('counts: 2.13.4 is still affected by a fix in 2.13.4.1, and 2.13.4.1 and 2.12.7.1 fix it', () => {
    const pkg = parseOsv('j.json', JACKSON).advisory!.packages[0];
    expect(isAffected(pkg, '2.13.4')).toBe(true);
    expect(isFixedIn(pkg, '2.13.4')).toBe(false);
    expect(isFixedIn(pkg, '2.13.4.1')).toBe(true);
    expect(isFixedIn(pkg, '2.13.5')).toBe(true);
    expect(isAffected(pkg, '2.12.7')).toBe(true);
    expect(isFixedIn(pkg, '2.12.7.1')).toBe(true);
  });

  test('a bump to 2.13.4 is not credited with the advisory the import is given', () => {
    const changelog = write('CHANGELOG', 'Version 6.14.0 (2026-09-01)\n---\nBump jackson-databind to 2.13.4 (#900)\n');
    const result = runImport({
      component: 'enrich', catalogDir: catalogWithout('enrich', []), source: { kind: 'changelog', file: changelog },
      osvFiles: [write('j.json', JACKSON)], ownPackages: [], since: '2022-01-01', cwd: scratch(),
    });
    expect(result.proposal!.added[0].advisories).toEqual([]);
    expect(result.proposal!.unmatched.map((u) => u.advisory)).toEqual(['CVE-2026-10009']);
  });

  test('an own-package fix in 3.6.0.3 goes to the 3.6.0.3 backport, not to the vulnerable 3.6.0', () => {
    const a = parseOsv('own.json', osv('GHSA-aaaa-bbbb-ccce', ENRICH, [[{ introduced: '3.6.0' }, { fixed: '3.6.0.3' }]])).advisory!;
    const own = ownFixes(['3.5.2', '3.6.0', '3.6.0.1', '3.6.0.2', '3.6.0.3', '3.6.1'], [a], [ENRICH]);
    expect([...own.byVersion.keys()]).toEqual(['3.6.0.3']);
    // Without 3.6.0.3 in the catalog, the next release above it on the line is.
    expect([...ownFixes(['3.6.0', '3.6.0.2', '3.6.1'], [a], [ENRICH]).byVersion.keys()]).toEqual(['3.6.1']);
  });
});

describe('a range bound that cannot be compared, or ends below its start', () => {
  test.each([
    [[{ introduced: '6.10.0' }, { fixed: '6.9.0' }], 'affected[0].ranges[0].events[1].fixed: "6.9.0" is below affected[0].ranges[0].events[0].introduced "6.10.0"'],
    [[{ introduced: '6.0.0' }, { last_affected: '5.9.0' }], 'affected[0].ranges[0].events[1].last_affected: "5.9.0" is below'],
    [[{ introduced: '6.1.0' }, { fixed: '6.1.0' }], 'affected[0].ranges[0].events[1].fixed: "6.1.0" is equal to'],
    [[{ introduced: '6.0.0' }, { fixed: '6.99999999999999999999.0' }], 'affected[0].ranges[0].events[1].fixed: "6.99999999999999999999.0" has a number of 20 digits'],
    [[{ introduced: 'six' }, { fixed: '6.1.0' }], 'affected[0].ranges[0].events[0].introduced: "six" is not a version'],
  ])('%j is refused, naming the file and the field', (events, message) => {
    const r = parseOsv('own.json', osv('GHSA-aaaa-bbbb-cccf', ENRICH, [events]));
    expect(r.advisory).toBeUndefined();
    expect(r.problems).toEqual([{ where: 'own.json', problem: expect.stringContaining(`GHSA-aaaa-bbbb-cccf ${message}`) }]);
  });

  test('a third-party bound with leading zeros is read as its numbers, not refused', () => {
    const r = parseOsv('dep.json', osv('GHSA-aaaa-bbbb-cccg', ENRICH, [[{ introduced: '2023.01.05' }, { fixed: '2023.02.01' }]]));
    expect(r.problems).toEqual([]);
    expect(compareLoose(looseVersionOf('2023.01.05'), looseVersionOf('2023.1.5'))).toBe(0);
    expect(compareLoose(looseVersionOf('2023.01.31'), looseVersionOf('2023.02.01'))).toBeLessThan(0);
  });

  test('the import stops and writes nothing', () => {
    const changelog = write('CHANGELOG', 'Version 6.14.0 (2026-09-01)\n---\nFix a crash (#1)\n');
    const result = runImport({
      component: 'enrich', catalogDir: catalogWithout('enrich', []), source: { kind: 'changelog', file: changelog },
      osvFiles: [write('bad.json', osv('GHSA-aaaa-bbbb-cccf', ENRICH, [[{ introduced: '6.10.0' }, { fixed: '6.9.0' }]]))], ownPackages: [ENRICH], since: '2022-01-01', cwd: scratch(),
    });
    expect(result.proposal).toBeUndefined();
    expect(result.problems).toEqual([expect.stringMatching(/^bad\.json: GHSA-aaaa-bbbb-cccf affected\[0\]\.ranges\[0\]\.events\[1\]\.fixed: "6\.9\.0" is below .*; correct the range or leave the file out$/)]);
  });
});
