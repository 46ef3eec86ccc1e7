/** Release versions a changelog or GitHub export spells wrong are refused, not skipped or crashed on; yanked releases are skipped. */
import { parseChangelog } from '../../../upgrades/catalog/import/changelog';
import { parseGithubReleases } from '../../../upgrades/catalog/import/github-releases';
import { catalogWithout, fleet, useScratch, write } from './helpers';

useScratch();

const github = (tag: string) => JSON.stringify([{ tag_name: tag, published_at: '2026-09-01T00:00:00Z', body: '- Add x' }]);

describe('a version number of more than nine digits', () => {
  test('is a problem naming the changelog line or the tag', () => {
    expect(parseChangelog('C', 'Version 6.1234567890.0 (2026-09-01)\n---\nAdd a thing\n').problems).toEqual([
      { where: 'C line 1', problem: 'version 6.1234567890.0 has a number of 10 digits; catalog versions allow at most 9 digits a number' },
    ]);
    expect(parseGithubReleases('r.json', github('v6.1234567890.0')).problems).toEqual([
      { where: 'r.json [0]', problem: 'tag v6.1234567890.0: version 6.1234567890.0 has a number of 10 digits; catalog versions allow at most 9 digits a number' },
    ]);
  });

  test('stops the import with exit 1 and a message, not an unexpected error', async () => {
    const r = await fleet(['catalog', 'import', '--component', 'enrich', '--catalog', catalogWithout('enrich', []), '--changelog', write('CL', 'Version 6.1234567890.0 (2026-09-01)\n---\nAdd a thing\n')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^CL line 1: version 6\.1234567890\.0 has a number of 10 digits.*\n1 problem\(s\); nothing was changed\.$/);
  });
});

describe('a version with a leading zero', () => {
  test('is a problem saying so, not a prerelease', () => {
    const changelog = parseChangelog('C', 'Version 06.14.0 (2026-09-01)\n---\nFix a crash\n');
    expect(changelog.problems).toEqual([{ where: 'C line 1', problem: 'version 06.14.0 has a leading zero (06); write it as 6.14.0' }]);
    expect(changelog.skipped).toEqual([]);
    const releases = parseGithubReleases('r.json', github('v06.14.0'));
    expect(releases.problems).toEqual([{ where: 'r.json [0]', problem: 'tag v06.14.0: version 06.14.0 has a leading zero (06); write it as 6.14.0' }]);
    expect(releases.skipped).toEqual([]);
  });
});

describe('Keep a Changelog headings', () => {
  test('a [YANKED] release is skipped, listed with why, and its entries go nowhere', () => {
    const text = '# Changelog\n\n## [3.9.0] - 2026-02-01\n\n### Fixed\n- x crash\n\n## [3.8.0] - 2026-01-15 [YANKED]\n\n### Added\n- y\n';
    const { releases, skipped, problems } = parseChangelog('C', text);
    expect(problems).toEqual([]);
    expect(releases.map((r) => [r.version, r.entries.map((e) => e.text)])).toEqual([['3.9.0', ['x crash']]]);
    expect(skipped).toEqual([{ where: 'C line 8', problem: '3.8.0 is marked [YANKED]: withdrawn upstream, not a release to import' }]);
  });
});

describe('an entry that begins with "Version"', () => {
  test('without an X.Y.Z is an entry, not a heading', () => {
    const { releases, problems } = parseChangelog('C', 'Version 6.14.0 (2026-09-01)\n---\nVersion 2 of the event specification is now validated (#930)\n');
    expect(problems).toEqual([]);
    expect(releases[0].entries.map((e) => e.text)).toEqual(['Version 2 of the event specification is now validated (#930)']);
  });

  test('with an X.Y.Z, or a number and a date, is still refused as a heading gone wrong', () => {
    expect(parseChangelog('C', 'Version 6.14.0 (2026-09-01)\n---\nFix it\n\nVersion 6.13.0 2026-08-01\n').problems.map((p) => p.where)).toEqual(['C line 5']);
    expect(parseChangelog('C', 'Version 6.14.0 (2026-09-01)\n---\nFix it\n\nVersion 6.13 (2026-08-01)\n').problems.map((p) => p.where)).toEqual(['C line 5']);
  });
});
