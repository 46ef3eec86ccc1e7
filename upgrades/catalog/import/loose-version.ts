/**
 * Versions as OSV ranges and dependency bumps spell them: 2.13.4.1, 4.1.100.Final, 2.0-beta9,
 * 31.1-jre, and the catalog's own 3.6.0.2. They are compared number by number over every numeric
 * part, a missing part counting as 0, so 2.13.4 < 2.13.4.1: semver keeps three numbers and would
 * call 2.13.4 past a fix in 2.13.4.1. A version that cannot be compared exactly is refused
 * (the caller fails closed), never guessed at.
 */

export interface LooseVersion {
  readonly parts: readonly number[];
  /** Tokens of a prerelease suffix (rc1 -> ["rc", 1]); undefined for a release. */
  readonly prerelease?: readonly (string | number)[];
}

// Numbers, then an optional suffix: ".Final", "-jre", "-rc1", "beta9", "+build".
const SHAPE = /^v?(\d+(?:\.\d+)*)(?:[-+_.~]?([A-Za-z0-9][0-9A-Za-z.+_~-]*))?$/;
// Maven and npm spellings of a prerelease (2.15.0-rc1, 2.0-beta9, 1.0.0-M1): below the release.
// Other suffixes (4.1.100.Final, 31.1-jre) name a release build and are ignored.
const PRERELEASE = /^(?:alpha|beta|rc|cr|m|milestone|snapshot|pre|preview|ea|dev)(?:[.-]?\d+)*$/i;
// Past 2^53 a number is no longer exact, so two different versions could compare equal.
const MAX_DIGITS = 15;

export function parseLooseVersion(v: string): { version?: LooseVersion; problem?: string } {
  const m = SHAPE.exec(v.trim());
  if (!m) return { problem: `${JSON.stringify(v)} is not a version (expected numbers such as 2.13.4.1, optionally with a suffix such as .Final or -rc1)` };
  const numbers = m[1].split('.');
  const long = numbers.find((n) => n.length > MAX_DIGITS);
  if (long !== undefined) return { problem: `${JSON.stringify(v)} has a number of ${long.length} digits (at most ${MAX_DIGITS} can be compared exactly)` };
  // A leading zero (2023.01.05) is read as its number: third-party version schemes write them,
  // and 01 can only mean 1. Our own release versions refuse them (upstream.ts).
  const parts = numbers.map(Number);
  const suffix = m[2];
  if (suffix === undefined || !PRERELEASE.test(suffix)) return { version: { parts } };
  const prerelease = (suffix.match(/\d+|[A-Za-z]+/g) ?? []).map((t) => (/^\d/.test(t) ? Number(t) : t.toLowerCase()));
  return { version: { parts, prerelease } };
}

/** The version, or throws: for bounds parseOsv has already checked. */
export function looseVersionOf(v: string): LooseVersion {
  const r = parseLooseVersion(v);
  if (r.version === undefined) throw new Error(r.problem);
  return r.version;
}

/** Semver's rule for prerelease tokens: numbers below words, a shorter run below a longer one. */
function comparePrerelease(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function compareLoose(a: LooseVersion, b: LooseVersion): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.prerelease === undefined || b.prerelease === undefined) return (a.prerelease ? -1 : 0) - (b.prerelease ? -1 : 0);
  return comparePrerelease(a.prerelease, b.prerelease);
}

/** How the comparison sees a version, for messages and tests: at least three numbers, e.g. 2.0.0-beta9. */
export function looseVersion(v: string): string | undefined {
  const parsed = parseLooseVersion(v).version;
  if (parsed === undefined) return undefined;
  const parts = [...parsed.parts, 0, 0].slice(0, Math.max(3, parsed.parts.length));
  return `${parts.join('.')}${parsed.prerelease ? `-${parsed.prerelease.join('')}` : ''}`;
}
