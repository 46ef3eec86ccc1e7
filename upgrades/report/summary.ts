/** Wording shared by the terminal table and the Markdown report. */
import type { ComponentStatus, PlannedChange, UpgradePlan } from '../planner/types';

export function summaryLine(plan: UpgradePlan): string {
  const s = plan.summary;
  return (
    `${s.environments} environment(s): ${s.changes} change(s) in ${s.environmentsWithChanges} environment(s) across ${s.waves} wave(s), ` +
    `${s.deferred} deferred; ${s.missingSecurityFixes} missing security fix(es), ${s.overdueSecurityFixes} overdue; ${s.unsupported} unsupported pin(s)` +
    (s.approvalsNeeded > 0 ? `; ${s.approvalsNeeded} approval(s) needed` : '') +
    (s.unknownEnvironments > 0 ? `; ${s.unknownEnvironments} environment(s) unknown, not planned` : '')
  );
}

/** The most telling reason of a change: its first one (support, then the worst security fix). */
export function headline(change: PlannedChange): string {
  return change.reasons[0] ?? '';
}

export function worstSecurity(s: ComponentStatus): string {
  if (s.missingSecurityFixes.length === 0) return '-';
  const order = ['critical', 'high', 'medium', 'low'];
  const worst = [...s.missingSecurityFixes].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))[0];
  return `${s.missingSecurityFixes.length} (worst ${worst.severity})`;
}

export function maxOverdue(s: ComponentStatus): number {
  return s.missingSecurityFixes.reduce((m, f) => Math.max(m, f.daysOverdue), 0);
}

/** Statuses worth a reviewer's eye: behind on fixes, unsupported, or acted on. */
export function notableStatuses(plan: UpgradePlan): ComponentStatus[] {
  return plan.statuses.filter((s) => s.support !== 'supported' || s.missingSecurityFixes.length > 0 || s.missingBugFixes.length > 0 || s.decision !== 'none');
}
