/**
 * Snowplow's CHANGELOG format: a heading per release, `Version X.Y.Z (YYYY-MM-DD)` (newer files
 * drop the word "Version"), underlined with dashes, then one entry per line.
 */
import { isExactVersion, isRealDate, type SourceProblem, type UpstreamEntry, type UpstreamRelease, type UpstreamReleases } from './upstream';

const HEADING = /^\s*(?:Version\s+)?v?(\d+\.\d+\.\d+\S*)\s+\(([^)]*)\)\s*$/i;
const UNDERLINE = /^\s*[-=]{3,}\s*$/;
const BULLET = /^\s*[-*]\s+/;

export function parseChangelog(file: string, text: string): UpstreamReleases {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const releases: UpstreamRelease[] = [];
  const skipped: SourceProblem[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  let current: { version: string; date: string; line: number; entries: UpstreamEntry[] } | undefined;
  let keep = false;

  const close = () => {
    if (current && keep) releases.push({ version: current.version, date: current.date, entries: current.entries, source: `${file} line ${current.line}` });
  };
  lines.forEach((line, i) => {
    const where = `${file} line ${i + 1}`;
    const heading = HEADING.exec(line);
    if (heading) {
      close();
      const [, version, date] = heading;
      current = { version, date, line: i + 1, entries: [] };
      keep = false;
      if (!isExactVersion(version)) {
        skipped.push({ where, problem: `${version} is a prerelease or build tag, not a release` });
      } else if (!isRealDate(date)) {
        problems.push({ where, problem: `release ${version} is dated ${JSON.stringify(date)}, not a real YYYY-MM-DD day` });
      } else if (seen.has(version)) {
        problems.push({ where, problem: `release ${version} is listed twice (first at line ${seen.get(version)})` });
      } else {
        seen.set(version, i + 1);
        keep = true;
      }
      return;
    }
    if (!current || UNDERLINE.test(line) || line.trim() === '') return;
    current.entries.push({ text: line.replace(BULLET, '').trim() });
  });
  close();
  if (releases.length === 0 && problems.length === 0) {
    problems.push({ where: file, problem: 'no release heading such as "Version 3.4.0 (2024-05-02)" or "3.4.0 (2024-05-02)" was found' });
  }
  return { releases, skipped, problems };
}
