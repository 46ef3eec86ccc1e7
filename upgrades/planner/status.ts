/**
 * What an environment is missing: every security and bug fix released above its pinned version.
 * A fix released in R is taken to be in every later version of R's line, and in a later version
 * of another line only if that version was released on or after R (see `contains`): a
 * maintenance backport such as collector 2.1.3 is not in 2.2.1, released four days before it.
 */
import type { Release, Severity } from '../catalog/schema';
import type { Policy } from '../policy';
import { isoOf } from './dates';
import type { MissingSecurityFix } from './types';
import type { ComponentIndex, IndexedRelease } from './versions';

/** One release's security content: the catalog rates a release, not its individual changes. */
export interface SecurityFix {
  readonly rel: IndexedRelease;
  readonly change: Release;
  readonly severity: Severity;
  readonly deadlineDay: number;
  readonly daysOverdue: number;
}

export interface BugFix {
  readonly rel: IndexedRelease;
  readonly change: Release;
}

export interface MissingFixes {
  readonly security: readonly SecurityFix[];
  readonly bugs: readonly BugFix[];
  /** Releases carrying any of the fixes, ascending. */
  readonly fixReleases: readonly IndexedRelease[];
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export function missingFixes(ci: ComponentIndex, current: IndexedRelease, policy: Policy, today: number): MissingFixes {
  const security: SecurityFix[] = [];
  const bugs: BugFix[] = [];
  const fixReleases: IndexedRelease[] = [];
  for (let i = current.index + 1; i < ci.releases.length; i++) {
    const rel = ci.releases[i];
    if (rel.day > today) continue;
    const change = rel.release;
    let hasFix = false;
    if (change.severity !== undefined) {
      const deadlineDay = rel.day + policy.securityDeadlineDays[change.severity];
      security.push({ rel, change, severity: change.severity, deadlineDay, daysOverdue: Math.max(0, today - deadlineDay) });
      hasFix = true;
    }
    if (change.kinds.includes('bug')) {
      bugs.push({ rel, change });
      hasFix = true;
    }
    if (hasFix) fixReleases.push(rel);
  }
  return { security, bugs, fixReleases };
}

export function highestSeverity(fixes: readonly SecurityFix[]): Severity | null {
  let best: Severity | null = null;
  for (const f of fixes) if (best === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best]) best = f.severity;
  return best;
}

export function toMissingSecurityFix(f: SecurityFix): MissingSecurityFix {
  return {
    version: f.rel.version,
    released: f.rel.release.date,
    severity: f.severity,
    advisories: f.change.advisories.map((a) => a.id),
    summary: f.change.summary,
    deadline: isoOf(f.deadlineDay),
    daysOverdue: f.daysOverdue,
  };
}

/** "high 6.4.0 (346 days overdue)" */
export function describeSecurityFix(f: SecurityFix): string {
  const advisories = f.change.advisories.length > 0 ? ` ${f.change.advisories.map((a) => `${a.id}${a.inferred ? '?' : ''}`).join(', ')}` : ' (no advisory named)';
  const derived = f.change.severityDerived ? ' (severity derived)' : '';
  const due = f.daysOverdue > 0 ? `${f.daysOverdue} days overdue` : `due ${isoOf(f.deadlineDay)}`;
  return `${f.severity}${derived} ${f.rel.version}${advisories} (${due})`;
}

/** A short account of fixes a version leaves out, for deferral reasons. */
export function describeFixes(security: readonly SecurityFix[], bugs: readonly BugFix[]): string {
  const parts: string[] = [];
  if (security.length > 0) {
    const shown = [...security].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.rel.index - b.rel.index).slice(0, 3);
    const more = security.length > shown.length ? `, +${security.length - shown.length} more` : '';
    parts.push(`${security.length} security fix${security.length === 1 ? '' : 'es'}: ${shown.map(describeSecurityFix).join('; ')}${more}`);
  }
  if (bugs.length > 0) parts.push(`${bugs.length} bug fix${bugs.length === 1 ? '' : 'es'}`);
  return parts.join('; ');
}
