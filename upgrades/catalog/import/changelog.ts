/**
 * CHANGELOG files in two forms. Snowplow's: a heading per release, `Version X.Y.Z (YYYY-MM-DD)`
 * (newer files drop the word "Version"), underlined with dashes, then one entry per line.
 * Keep a Changelog (the collector's): `## [X.Y.Z] - YYYY-MM-DD`, entries as bullets under
 * `### Added` / `### Fixed` / `### Security` sections, which classify like GitHub's headings.
 */
import { isRealDate, releaseVersion, type SourceProblem, type UpstreamEntry, type UpstreamRelease, type UpstreamReleases } from './upstream';

const HEADING = /^\s*(?:Version\s+)?v?(\d+\.\d+\.\d+\S*)\s+\(([^)]*)\)\s*$/i;
// The collector's older headings name the umbrella release inside the brackets: "## [0.9.0 (snowplow/snowplow: 85 Metamorphosis)] - 2016-11-15".
// Keep a Changelog marks a pulled release "## [3.8.0] - 2026-01-15 [YANKED]": a heading, skipped.
const KAC_HEADING = /^\s*##\s+\[?v?(\d+\.\d+\.\d+[^\]\s]*)(?:\s+\([^\]]*\))?\]?\s+[-–—]\s+(\S+?)(\s+\[YANKED\])?\s*$/i;
const UNRELEASED = /^\s*##\s+\[?unreleased\]?/i;
const SECTION = /^\s*#{3,6}\s+(.+?)\s*$/;
// Keep a Changelog's compare links at the end of the file: "[3.4.0]: https://...".
const LINK_DEFINITION = /^\s*\[[^\]]+\]:\s*\S+\s*$/;
/**
 * A line that starts like a release heading of either form; one that is not exactly one is refused,
 * not read as an entry. "Version" needs an X.Y.Z or a "(": "Version 2 of the spec ..." is an entry.
 */
const LOOKS_LIKE_HEADING = /^\s*(?:Version\s+v?\d+\.\d+\.\d+|Version\s+v?\d\S*\s*\(|v?\d+\.\d+\.\d+\S*\s*\(|#{1,2}\s+\[?v?\d+\.\d+)/i;
const UNDERLINE = /^\s*[-=]{3,}\s*$/;
const BULLET = /^\s*[-*+]\s+/;
const EXPECTED = '"Version 3.4.0 (2024-05-02)", "3.4.0 (2024-05-02)" or "## [3.4.0] - 2024-05-02"';

export function parseChangelog(file: string, text: string): UpstreamReleases {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const releases: UpstreamRelease[] = [];
  const skipped: SourceProblem[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  let current: { version: string; date: string; line: number; entries: UpstreamEntry[]; bullets: boolean } | undefined;
  let keep = false;
  let section: string | undefined;

  const close = () => {
    if (current && keep) releases.push({ version: current.version, date: current.date, entries: current.entries, source: `${file} line ${current.line}` });
  };
  lines.forEach((line, i) => {
    const where = `${file} line ${i + 1}`;
    const snowplow = HEADING.exec(line);
    const heading = snowplow ?? KAC_HEADING.exec(line);
    if (heading) {
      close();
      const [, version, date, yanked] = heading;
      current = { version, date, line: i + 1, entries: [], bullets: snowplow === null };
      keep = false;
      section = undefined;
      const check = releaseVersion(version);
      if (check.problem !== undefined) {
        problems.push({ where, problem: check.problem });
      } else if (check.skip !== undefined) {
        skipped.push({ where, problem: check.skip });
      } else if (yanked !== undefined) {
        skipped.push({ where, problem: `${version} is marked [YANKED]: withdrawn upstream, not a release to import` });
      } else if (!isRealDate(date)) {
        problems.push({ where, problem: `release ${version} is dated ${JSON.stringify(date)}, not a real YYYY-MM-DD day` });
      } else if (seen.has(version)) {
        problems.push({ where, problem: `release ${version} is listed twice (first at line ${seen.get(version)}); remove one heading` });
      } else {
        seen.set(version, i + 1);
        keep = true;
      }
      return;
    }
    if (UNRELEASED.test(line)) {
      close();
      // Its entries belong to no release: read on, but keep none of them.
      current = { version: 'Unreleased', date: '', line: i + 1, entries: [], bullets: true };
      keep = false;
      skipped.push({ where, problem: 'the Unreleased section is not a release' });
      return;
    }
    if (LOOKS_LIKE_HEADING.test(line)) {
      close();
      // Its entries belong to no release we can name: they must not land in the one above.
      current = { version: line.trim(), date: '', line: i + 1, entries: [], bullets: false };
      keep = false;
      problems.push({ where, problem: `${JSON.stringify(line.trim())} looks like a release heading but is not one; write it as ${EXPECTED}` });
      return;
    }
    const sectionHeading = SECTION.exec(line);
    if (sectionHeading) {
      section = sectionHeading[1].replace(/[*_`:]/g, '').trim();
      return;
    }
    if (!current || UNDERLINE.test(line) || LINK_DEFINITION.test(line) || line.trim() === '') return;
    const entry = line.replace(BULLET, '').trim();
    const last = current.entries[current.entries.length - 1];
    // Keep a Changelog entries are bullets; an indented line under one continues it.
    if (current.bullets && last && !BULLET.test(line) && /^\s/.test(line)) {
      current.entries[current.entries.length - 1] = { ...last, text: `${last.text} ${entry}` };
      return;
    }
    current.entries.push(section ? { text: entry, section } : { text: entry });
  });
  close();
  if (releases.length === 0 && problems.length === 0) {
    const prereleases = skipped.filter((s) => s.problem.includes('prerelease'));
    const lines = prereleases.map((s) => s.where.replace(`${file} line `, ''));
    const problem =
      prereleases.length > 0
        ? `no release heading was found: all ${prereleases.length} release heading(s) (line ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', ...' : ''}) are prereleases or build tags, which are skipped; the file needs at least one release heading such as ${EXPECTED}`
        : `no release heading such as ${EXPECTED} was found`;
    problems.push({ where: file, problem });
  }
  return { releases, skipped, problems };
}
