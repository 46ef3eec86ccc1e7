/**
 * What the importer reads from upstream, whatever the source format: releases with the lines a
 * changelog or release body lists under them, and problems found while reading, each naming
 * where in the source they are so a reviewer can look.
 */
import { isoDate } from '../../../customers/schema';

export interface UpstreamEntry {
  readonly text: string;
  /** A section heading the entry stood under (GitHub release bodies: "Security", "Bug fixes"). */
  readonly section?: string;
}

export interface UpstreamRelease {
  readonly version: string;
  /** Release day, UTC, YYYY-MM-DD. */
  readonly date: string;
  readonly entries: readonly UpstreamEntry[];
  /** Where the release was read, e.g. "CHANGELOG line 12". */
  readonly source: string;
}

export interface SourceProblem {
  /** File and line or item, e.g. "CHANGELOG line 40". */
  readonly where: string;
  readonly problem: string;
}

export interface UpstreamReleases {
  readonly releases: readonly UpstreamRelease[];
  /** Prereleases, drafts and headings that are not releases, with the reason they were left out. */
  readonly skipped: readonly SourceProblem[];
  /** Input that looks like a release but cannot be read as one: the import refuses it. */
  readonly problems: readonly SourceProblem[];
}

const EXACT = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function isExactVersion(v: string): boolean {
  return EXACT.test(v);
}

/**
 * Whether a version read from a heading or tag is a release, a prerelease to skip, or a mistake
 * to refuse. A leading zero (06.14.0) or a number past nine digits is no prerelease: skipping it
 * would hide a release, and a 10-digit number is past what catalog versions hold (version.ts).
 */
export function releaseVersion(v: string): { release: boolean; skip?: string; problem?: string } {
  const numbers = /^(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1) ?? [];
  const zero = numbers.find((n) => n.length > 1 && n.startsWith('0'));
  if (zero !== undefined) return { release: false, problem: `version ${v} has a leading zero (${zero}); write it as ${numbers.map(Number).join('.')}${v.slice(numbers.join('.').length)}` };
  const long = numbers.find((n) => n.length > 9);
  if (long !== undefined) return { release: false, problem: `version ${v} has a number of ${long.length} digits; catalog versions allow at most 9 digits a number` };
  if (!isExactVersion(v)) return { release: false, skip: `${v} is a prerelease or build tag, not a release` };
  return { release: true };
}

/** True for a real calendar day written YYYY-MM-DD (2026-02-31 is not one). */
export function isRealDate(day: string): boolean {
  return isoDate.safeParse(day).success;
}
