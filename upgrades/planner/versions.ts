/**
 * The catalog as the planner reads it: releases parsed once, in version order, with the
 * release line each belongs to. Parsing semver for every lookup would dominate a large fleet.
 */
import semver, { SemVer, type Range } from 'semver';
import { COMPONENT_IDS, type ComponentId } from '../../customers/schema';
import type { Catalog, Feature, Release } from '../catalog/schema';
import { compareVersions, patchLineOf, semverOf } from '../catalog/version';
import { dayOf } from './dates';

export interface IndexedRelease {
  readonly release: Release;
  readonly version: string;
  readonly sv: SemVer;
  /** Position in the component's ascending list. */
  readonly index: number;
  readonly day: number;
  /** "3.6" (or "3.6.0" for a 3.6.0.x backport): within it a higher version has every lower one's fixes. */
  readonly fixLine: string;
  readonly major: number;
  /** Major line: "3" for 3.x, "0.14" for 0.14.x (below 1.0 every minor may break). */
  readonly majorLine: string;
  /** Minor line: "3.4". */
  readonly minorLine: string;
  readonly requires: readonly Requirement[];
  /** Requirements that apply only while the environment enables a feature. */
  readonly conditional: readonly Requirement[];
}

export interface Requirement {
  readonly component: ComponentId;
  readonly range: string;
  readonly parsed: Range;
  /** Set on a conditional requirement: the feature that makes it apply. */
  readonly feature?: Feature;
}

/** The requirements that hold for an environment with these features enabled. */
export function requirementsOf(rel: IndexedRelease, features: readonly Feature[]): readonly Requirement[] {
  if (rel.conditional.length === 0 || features.length === 0) return rel.requires;
  return [...rel.requires, ...rel.conditional.filter((r) => features.includes(r.feature!))];
}

export interface ComponentIndex {
  readonly component: ComponentId;
  readonly releases: readonly IndexedRelease[];
  readonly byVersion: ReadonlyMap<string, IndexedRelease>;
  readonly mustStepThroughMajors: ReadonlySet<number>;
}

export type CatalogIndex = ReadonlyMap<ComponentId, ComponentIndex>;

export function majorLineOf(sv: SemVer): string {
  return sv.major === 0 ? `0.${sv.minor}` : String(sv.major);
}

export function lineOf(r: IndexedRelease, granularity: 'major' | 'minor'): string {
  return granularity === 'major' ? r.majorLine : r.minorLine;
}

/** Orders line names numerically ("0.9" < "0.14", "2" < "10"). */
export function compareLines(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export function indexCatalog(catalog: Catalog): CatalogIndex {
  const index = new Map<ComponentId, ComponentIndex>();
  for (const component of COMPONENT_IDS) {
    const cat = catalog.components[component];
    if (!cat) continue;
    const sorted = [...cat.releases].sort((a, b) => compareVersions(a.version, b.version));
    const releases = sorted.map((release, i): IndexedRelease => {
      const sv = semverOf(release.version);
      return {
        release,
        version: release.version,
        sv,
        index: i,
        day: dayOf(release.date),
        fixLine: patchLineOf(release.version),
        major: sv.major,
        majorLine: majorLineOf(sv),
        minorLine: `${sv.major}.${sv.minor}`,
        requires: Object.keys(release.requires)
          .sort()
          .map((other) => ({ component: other as ComponentId, range: release.requires[other], parsed: new semver.Range(release.requires[other]) })),
        conditional: release.requiresWhen.flatMap((w) =>
          Object.keys(w.requires)
            .sort()
            .map((other) => ({ component: other as ComponentId, range: w.requires[other], parsed: new semver.Range(w.requires[other]), feature: w.feature })),
        ),
      };
    });
    index.set(component, {
      component,
      releases,
      byVersion: new Map(releases.map((r) => [r.version, r])),
      mustStepThroughMajors: new Set(cat.mustStepThroughMajors),
    });
  }
  return index;
}

/** Whether moving between two releases crosses a major line (0.x minors count). */
export function isMajorStep(from: IndexedRelease, to: IndexedRelease): boolean {
  return from.majorLine !== to.majorLine;
}

export function lineLabel(line: string): string {
  return `${line}.x`;
}

/**
 * Whether `target` carries the fixes released in `fix`: a higher version of the same line does;
 * a higher version of another line only if released on or after the fix (a backport released
 * after the next line's release is not in that release).
 */
export function contains(target: IndexedRelease, fix: IndexedRelease): boolean {
  if (target.index < fix.index) return false;
  return target.fixLine === fix.fixLine || target.day >= fix.day;
}
