import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChangelog } from '../../../upgrades/catalog/import/changelog';
import { classifyEntry } from '../../../upgrades/catalog/import/classify';
import { parseGithubReleases } from '../../../upgrades/catalog/import/github-releases';
import { parseOsv, type Advisory } from '../../../upgrades/catalog/import/osv';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'upstream');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const osv = (name: string) => parseOsv(name, fixture(join('osv', name)));

describe('CHANGELOG reader', () => {
  test('reads both heading styles, skips prereleases, keeps entries in order', () => {
    const { releases, skipped, problems } = parseChangelog('CHANGELOG', fixture('enrich-CHANGELOG'));
    expect(problems).toEqual([]);
    expect(releases.map((r) => [r.version, r.date])).toEqual([
      ['3.4.0', '2022-09-27'],
      ['3.3.2', '2022-09-15'],
      ['3.3.1', '2022-09-06'],
      ['3.3.0', '2022-08-31'],
    ]);
    expect(releases[2].entries.map((e) => e.text)).toEqual(['Bump snake-yaml to 1.31 (#688)', 'enrich-kinesis: never send batch of records > 5 MB with putRecords (#685)']);
    expect(releases[2].source).toBe('CHANGELOG line 10');
    expect(skipped).toEqual([{ where: 'CHANGELOG line 15', problem: '3.3.1-rc1 is a prerelease or build tag, not a release' }]);
  });

  test('an impossible date or a release listed twice is a problem naming the line', () => {
    const text = 'Version 1.2.0 (2022-02-31)\n---\nFix it\n\n1.1.0 (2022-01-03)\n---\nA\n\n1.1.0 (2022-01-04)\n---\nB\n';
    expect(parseChangelog('C', text).problems).toEqual([
      { where: 'C line 1', problem: 'release 1.2.0 is dated "2022-02-31", not a real YYYY-MM-DD day' },
      { where: 'C line 9', problem: 'release 1.1.0 is listed twice (first at line 5); remove one heading' },
    ]);
  });

  test('a file with no release heading is refused, not read as empty', () => {
    expect(parseChangelog('README.md', '# Enrich\n\nSome text\n').problems).toEqual([
      { where: 'README.md', problem: 'no release heading such as "Version 3.4.0 (2024-05-02)", "3.4.0 (2024-05-02)" or "## [3.4.0] - 2024-05-02" was found' },
    ]);
  });

  test('a file of prereleases only says how many headings it skipped', () => {
    const { problems, skipped } = parseChangelog('C', 'Version 6.14.0-rc1 (2026-08-01)\n---\nFix a crash\n\nVersion 6.14.0-rc2 (2026-08-02)\n---\nFix it\n');
    expect(skipped).toHaveLength(2);
    expect(problems).toEqual([{ where: 'C', problem: expect.stringMatching(/^no release heading was found: all 2 release heading\(s\) \(line 1, 5\) are prereleases or build tags, which are skipped; the file needs at least one release heading such as /) }]);
  });

  test('a line that starts like a heading but is not one is refused with its line, not merged into the release above', () => {
    const text = 'Version 6.12.0 (2026-06-17)\n---\nAdd CloudFront adapter (#400)\n\nVersion 6.11.1 (2026-06-01) - hotfix\n---\nBump log4j-core to 2.17.1 (#399)\n\nVersion 6.11.0 2026-05-20\n---\nDrop support\n\n6.10.0 (2026-05-01) extra\n\n## [6.9.0] 2026-04-01\n';
    const { problems, releases } = parseChangelog('C', text);
    expect(problems.map((p) => p.where)).toEqual(['C line 5', 'C line 9', 'C line 13', 'C line 15']);
    expect(problems[0].problem).toBe('"Version 6.11.1 (2026-06-01) - hotfix" looks like a release heading but is not one; write it as "Version 3.4.0 (2024-05-02)", "3.4.0 (2024-05-02)" or "## [3.4.0] - 2024-05-02"');
    expect(releases[0].entries.map((e) => e.text)).toEqual(['Add CloudFront adapter (#400)']);
  });
});

describe('Keep a Changelog form', () => {
  test('## [X.Y.Z] - date headings, entries under their ### section, Unreleased and prereleases skipped, links ignored', () => {
    const { releases, skipped, problems } = parseChangelog('CHANGELOG', fixture('collector-CHANGELOG'));
    expect(problems).toEqual([]);
    expect(releases.map((r) => [r.version, r.date, r.source])).toEqual([['3.8.0', '2026-10-01', 'CHANGELOG line 12'], ['0.9.0', '2016-11-15', 'CHANGELOG line 30']]);
    expect(releases[0].entries).toEqual([
      { text: 'Add option to create second cookie to store networkUserID that is not http only [#10]', section: 'Added' },
      { text: 'Update workflows to install sbt [#434]', section: 'Changed' },
      { text: 'Remove parts of the cookies that are not valid according to RFC 6265, which some browsers send [#432]', section: 'Fixed' },
      { text: 'Bump dependencies [#9]', section: 'Security' },
    ]);
    expect(skipped.map((s) => [s.where, s.problem])).toEqual([
      ['CHANGELOG line 8', 'the Unreleased section is not a release'],
      ['CHANGELOG line 26', '3.7.1-rc1 is a prerelease or build tag, not a release'],
    ]);
    const kinds = releases[0].entries.map((e) => classifyEntry(e, [])?.kind);
    expect(kinds).toEqual(['feature', 'internal', 'bug', 'security']);
  });
});

describe('GitHub releases reader', () => {
  test('published releases only, dated in UTC, bullets under their section', () => {
    const { releases, skipped, problems } = parseGithubReleases('releases.json', fixture('s3-loader-releases.json'));
    expect(problems).toEqual([]);
    expect(releases).toEqual([
      {
        version: '3.2.0',
        date: '2026-05-08',
        source: 'releases.json 3.2.0',
        entries: [
          { text: 'Bump netty to 4.1.132.Final', section: 'Security' },
          { text: 'Retry transient S3 errors on upload', section: 'Bug fixes' },
          { text: 'Support the compressed enriched stream', section: 'Features' },
        ],
      },
    ]);
    expect(skipped.map((s) => s.problem)).toEqual(['3.2.0-rc2 is a prerelease', '3.3.0 is a draft']);
  });

  test('not an array, or items without a tag, are problems', () => {
    expect(parseGithubReleases('r.json', '{"tag_name":"1.0.0"}').problems[0].problem).toMatch(/JSON array/);
    expect(parseGithubReleases('r.json', '[{"name":"x"}]').problems[0].where).toBe('r.json [0]');
    expect(parseGithubReleases('r.json', '[').problems[0].problem).toMatch(/valid JSON/);
  });

  test('gh api --paginate pages written back to back, and --slurp pages, read as one list', () => {
    const paged = parseGithubReleases('releases.json', fixture('s3-loader-releases-paginated.json'));
    expect(paged.problems).toEqual([]);
    expect(paged.releases.map((r) => [r.version, r.date])).toEqual([['3.3.1', '2026-09-02'], ['3.3.0', '2026-09-01']]);
    const slurped = parseGithubReleases('releases.json', `[${fixture('s3-loader-releases-paginated.json').replace('][', '],[')}]`);
    expect(slurped).toEqual(paged);
    // A syntax error in the second page keeps its own line and column.
    const broken = parseGithubReleases('r.json', '[{"tag_name":"1.0.0"}]\n[{"tag_name" "1.0.1"}]');
    expect(broken.problems).toEqual([{ where: 'r.json', problem: 'is not valid JSON: a colon was expected at line 2, column 14; fix the syntax; comments and trailing commas are not allowed' }]);
  });

  test('syntax errors in plain words, not jsonc-parser codes', () => {
    expect(parseGithubReleases('r.json', '[\n  {"tag_name": "1.0.0"\n  "body": ""}\n]').problems[0].problem).toBe(
      'is not valid JSON: a comma was expected at line 3, column 3; fix the syntax; comments and trailing commas are not allowed',
    );
    expect(parseOsv('o.json', '{"id": "GHSA-x", ').problems[0].problem).toMatch(/^is not valid JSON: a quoted field name was expected at line 1, column 18/);
  });
});

describe('OSV reader', () => {
  test('severity from the CVSS vector, CVE id preferred', () => {
    const { advisory } = osv('GHSA-jfh8-c2jp-5v3q.json');
    expect(advisory).toMatchObject({ id: 'CVE-2021-44228', severity: 'critical', severitySource: 'CVSS 3 base score 10.0' });
    expect(advisory!.packages[0]).toMatchObject({ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', fixed: ['2.15.0', '2.3.1'] });
    expect(osv('GHSA-3mc7-4q67-w48m.json').advisory).toMatchObject({ id: 'CVE-2022-25857', severity: 'high' });
  });

  test('the database rating when there is no vector', () => {
    expect(osv('rated-by-database.json').advisory).toMatchObject({ id: 'GHSA-2p2x-vm5w-3qxv', severity: 'medium', severitySource: 'GHSA-2p2x-vm5w-3qxv database rating MODERATE' });
  });

  const rated = (severity: object[]) => parseOsv('s.json', JSON.stringify({ id: 'GHSA-prj3-ccx8-p6x5', severity })).advisory!;
  const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N';

  test('a CVSS 4 vector with threat metrics is rated by its base score (CVSS-B), not by the threat-adjusted one', () => {
    expect(rated([{ type: 'CVSS_V4', score: `${V4}/E:U` }])).toMatchObject({ severity: 'high', severitySource: 'CVSS 4 base score 8.7' });
  });

  test('of several vectors the worst counts, whatever the order, and the source says which', () => {
    const v3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };
    const v4 = { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N' };
    for (const order of [[v4, v3], [v3, v4]]) {
      expect(rated(order)).toMatchObject({ severity: 'critical', severitySource: 'CVSS 3 base score 9.8 (the worst of its 2 CVSS vectors; also CVSS 4 base score 6.9)' });
    }
  });

  test('an advisory without a CVE or GHSA id, or a withdrawn one, is refused', () => {
    expect(osv('no-known-id.json').problems[0].problem).toMatch(/no CVE or GHSA id/);
    expect(parseOsv('w.json', '{"id":"GHSA-2p2x-vm5w-3qxv","withdrawn":"2024-01-01T00:00:00Z"}').problems[0].problem).toMatch(/withdrawn/);
  });
});

describe('classification', () => {
  const advisories: Advisory[] = ['GHSA-3mc7-4q67-w48m.json', 'GHSA-jfh8-c2jp-5v3q.json'].map((f) => osv(f).advisory!);
  const kind = (text: string, section?: string) => classifyEntry(section ? { text, section } : { text }, advisories);

  test('a dependency bump that reaches an advisory fix is a security fix with that advisory', () => {
    const c = kind('Bump snake-yaml to 1.31 (#688)')!;
    expect(c.kind).toBe('security');
    expect(c.advisories.map((a) => a.id)).toEqual(['CVE-2022-25857']);
    expect(kind('Bump log4j-core to 2.16.0 (#524)')!.advisories.map((a) => a.id)).toEqual(['CVE-2021-44228']);
  });

  test('a bump below the fix, or of another major line, fixes nothing', () => {
    expect(kind('Bump snakeyaml to 1.30')).toBeUndefined();
    expect(kind('Bump log4j-core to 2.14.1')).toBeUndefined();
  });

  test('named advisories, sections and words', () => {
    expect(kind('Fix CVE-2024-57699 in json-smart')).toMatchObject({ kind: 'security', namedIds: ['CVE-2024-57699'] });
    expect(kind('Bump netty to 4.1.132.Final', 'Security')).toMatchObject({ kind: 'security', rule: 'listed under "Security"' });
    expect(kind('Deprecate Stream Enrich (#788)')!.kind).toBe('deprecation');
    expect(kind('Add mandatory SLULA license acceptance flag (#848)')!.kind).toBe('license');
    expect(kind('Github Actions: split testing and releasing (#806)')!.kind).toBe('internal');
    expect(kind('enrich-kinesis: Recover from losing lease to a new worker (#649)')!.kind).toBe('bug');
    expect(kind('Add RabbitMQ asset (#679)')!.kind).toBe('feature');
    expect(kind('Upgrade to Cats Effect 3 ecosystem')).toBeUndefined();
  });

  test('"spec" is a test word only as a test spec', () => {
    expect(kind('Event spec enrichment (#151)')?.kind).not.toBe('internal');
    expect(kind('[DPS-1839] Add three-tier data model with versioned event spec validation (#205)')?.kind).not.toBe('internal');
    expect(kind('common: bump specs2 to 4.17.0 (#707)')!.kind).toBe('internal');
    expect(kind('Stream FS2: remove race condition from flaky EnrichSpec (#422)')!.kind).toBe('internal');
    expect(kind('Beam: migrate adapters specs from Spark Enrich')!.kind).toBe('internal');
    expect(kind('Common: make test specifications formatting consistent')!.kind).toBe('internal');
  });
});
