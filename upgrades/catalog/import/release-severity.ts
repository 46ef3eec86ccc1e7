/**
 * A derived release severity: the worst rating of the advisories the release fixes. An advisory
 * the release names but no OSV file rates counts as the default (medium), not as nothing: else
 * adding a low-rated OSV file would lower the release below what it gets without that file.
 */
import { SEVERITIES, type Severity } from '../schema';
import { DEFAULT_SEVERITY } from '../seed/curated';
import type { Advisory } from './osv';

/** An advisory a release fixes: its OSV advisory when one was given. */
export interface Fixed {
  readonly id: string;
  readonly advisory?: Advisory;
}

export interface Derived {
  readonly severity: Severity;
  /** What decided it: an advisory id, and how its rating was found. */
  readonly advisory?: string;
  readonly rating?: string;
  readonly basis: string;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

export const NO_RATED_ADVISORY = `default ${DEFAULT_SEVERITY}: the source states no severity and names no rated advisory`;

/** The worst of what is fixed, or undefined when nothing is (the caller then uses NO_RATED_ADVISORY or keeps what it has). */
export function worstOf(fixed: readonly Fixed[]): Derived | undefined {
  const rated = fixed.filter((f) => f.advisory?.severity !== undefined);
  const unrated = fixed.filter((f) => f.advisory?.severity === undefined).map((f) => f.id);
  // SEVERITIES runs from critical down: the first of the lowest rank is the worst.
  const top = rated.reduce<Fixed | undefined>((w, f) => (w === undefined || rank(f.advisory!.severity!) < rank(w.advisory!.severity!) ? f : w), undefined);
  if (unrated.length > 0 && (top === undefined || rank(top.advisory!.severity!) > rank(DEFAULT_SEVERITY))) {
    const which = `${unrated.join(', ')}, which no OSV file rates`;
    const above = top ? `; that is above ${top.advisory!.severitySource} of ${top.id}: ${top.advisory!.severity}` : '';
    return { severity: DEFAULT_SEVERITY, advisory: unrated[0], rating: `default ${DEFAULT_SEVERITY} for an unrated advisory`, basis: `default ${DEFAULT_SEVERITY} for ${which}${above}` };
  }
  if (top === undefined) return undefined;
  const a = top.advisory!;
  return { severity: a.severity!, advisory: top.id, rating: a.severitySource, basis: `${a.severitySource} of ${top.id}: ${a.severity}` };
}

/** A new release's derived severity. */
export function releaseSeverity(fixed: readonly Fixed[]): { severity: Severity; basis: string } {
  const worst = worstOf(fixed);
  // Named advisories none of which is rated keep the long-standing wording.
  if (worst === undefined || fixed.every((f) => f.advisory?.severity === undefined)) return { severity: DEFAULT_SEVERITY, basis: NO_RATED_ADVISORY };
  return { severity: worst.severity, basis: worst.basis };
}

/** Whether newly listed advisories outrank a release's severity: a rating at or below it changes nothing. */
export function outranks(current: Severity, gained: readonly Fixed[]): Derived | undefined {
  const worst = worstOf(gained);
  return worst !== undefined && rank(worst.severity) < rank(current) ? worst : undefined;
}
