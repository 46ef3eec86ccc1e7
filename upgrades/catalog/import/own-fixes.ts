/**
 * Advisories on the component's own package (--package): each affected range ends in a fix
 * (its `fixed` version, or the first release after `last_affected`), and that fix is credited
 * to the lowest known release at or above it on the same line. Ranges are matched one by one:
 * an advisory fixed on two lines of one major is credited on both. A range no known release
 * fixes is reported, never dropped.
 */
import { CATALOG_VERSION, compareVersions } from '../version';
import { compareLoose, looseVersionOf, type LooseVersion } from './loose-version';
import { isAffected, type AffectedPackage, type AffectedRange, type Advisory } from './osv';

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
function lineOf(v: LooseVersion): string {
  const [major = 0, minor = 0] = v.parts;
  return major > 0 ? `${major}` : `0.${minor}`;
}

function describe(r: AffectedRange): string {
  return r.fixed !== undefined ? `${r.introduced} up to ${r.fixed}` : r.lastAffected !== undefined ? `${r.introduced} through ${r.lastAffected}` : `${r.introduced} onwards`;
}

/** The lowest release that ends the range, or why there is none. */
function fixOf(sorted: readonly string[], pkg: AffectedPackage, r: AffectedRange): { version?: string; reason?: string } {
  const end = r.fixed ?? r.lastAffected;
  if (end === undefined) return { reason: `the range ${describe(r)} has no fixed or last_affected version: no release fixes it yet` };
  // parseOsv refused unreadable bounds; 4-part ones (3.6.0.3) compare on all four numbers.
  const bound = looseVersionOf(end);
  const line = lineOf(bound);
  const above = (v: LooseVersion) => (r.fixed !== undefined ? compareLoose(v, bound) >= 0 : compareLoose(v, bound) > 0);
  const version = sorted.find((v) => above(looseVersionOf(v)) && lineOf(looseVersionOf(v)) === line && !isAffected(pkg, v));
  if (version !== undefined) return { version };
  const where = r.fixed !== undefined ? `at or above ${r.fixed}` : `after ${r.lastAffected}`;
  return { reason: `the range ${describe(r)} is fixed by no release ${where} on the ${line}.x line in the catalog or the changelog` };
}

export function ownFixes(versions: readonly string[], advisories: readonly Advisory[], own: readonly string[]): OwnFixes {
  const byVersion = new Map<string, Advisory[]>();
  const unmatched: Unmatched[] = [];
  // Catalog versions include Enrich's 3.6.0.x backports, which semver cannot read.
  const sorted = versions.filter((v) => CATALOG_VERSION.test(v)).sort(compareVersions);
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
