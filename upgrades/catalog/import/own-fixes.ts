/**
 * Advisories on the component's own package (--package): each affected range ends in a fix
 * (its `fixed` version, or the first release after `last_affected`), and that fix is credited
 * to the lowest known release at or above it on the same line. Ranges are matched one by one:
 * an advisory fixed on two lines of one major is credited on both. A range no known release
 * fixes is reported, never dropped.
 */
import semver from 'semver';
import { isAffected, looseVersion, type AffectedPackage, type AffectedRange, type Advisory } from './osv';

export interface Unmatched {
  readonly advisory: string;
  readonly file: string;
  readonly reason: string;
}

export interface OwnFixes {
  readonly byVersion: Map<string, Advisory[]>;
  readonly unmatched: readonly Unmatched[];
}

/** Semver's idea of a line: 0.x minors are lines of their own, from 1.0.0 a major is. */
function lineOf(v: string): string {
  const s = semver.parse(v)!;
  return s.major > 0 ? `${s.major}` : `0.${s.minor}`;
}

function describe(r: AffectedRange): string {
  return r.fixed !== undefined ? `${r.introduced} up to ${r.fixed}` : r.lastAffected !== undefined ? `${r.introduced} through ${r.lastAffected}` : `${r.introduced} onwards`;
}

/** The lowest release that ends the range, or why there is none. */
function fixOf(sorted: readonly string[], pkg: AffectedPackage, r: AffectedRange): { version?: string; reason?: string } {
  const bound = looseVersion(r.fixed ?? r.lastAffected ?? '');
  if (bound === undefined) return { reason: `the range ${describe(r)} has no fixed or last_affected version: no release fixes it yet` };
  const line = lineOf(bound);
  const above = (v: string) => (r.fixed !== undefined ? semver.gte(v, bound) : semver.gt(v, bound));
  const version = sorted.find((v) => above(v) && lineOf(v) === line && !isAffected(pkg, v));
  if (version !== undefined) return { version };
  const end = r.fixed !== undefined ? `at or above ${r.fixed}` : `after ${r.lastAffected}`;
  return { reason: `the range ${describe(r)} is fixed by no release ${end} on the ${line}.x line in the catalog or the changelog` };
}

export function ownFixes(versions: readonly string[], advisories: readonly Advisory[], own: readonly string[]): OwnFixes {
  const byVersion = new Map<string, Advisory[]>();
  const unmatched: Unmatched[] = [];
  const sorted = versions.filter((v) => semver.valid(v) !== null).sort(semver.compare);
  for (const a of advisories) {
    for (const p of a.packages.filter((x) => own.includes(x.name))) {
      for (const r of p.ranges) {
        const fix = fixOf(sorted, p, r);
        if (fix.version === undefined) {
          unmatched.push({ advisory: a.id, file: a.file, reason: `${p.name}: ${fix.reason}` });
          continue;
        }
        const listed = byVersion.get(fix.version) ?? [];
        if (!listed.includes(a)) byVersion.set(fix.version, [...listed, a]);
      }
    }
  }
  return { byVersion, unmatched };
}
