/** The plan as plain-text tables for a terminal (and CI logs): no colours, fixed columns. */
import type { UpgradePlan } from '../planner/types';
import { headline, maxOverdue, notableStatuses, summaryLine, worstSecurity } from './summary';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function columns(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`.trimEnd());
}

export function renderTable(plan: UpgradePlan): string[] {
  const out: string[] = [`Upgrade plan for ${plan.generatedFor}`, summaryLine(plan), ''];
  if (plan.approvalsNeeded.length > 0) {
    out.push(`Approvals needed (${plan.approvalsNeeded.length}): critical/high fixes a freeze or hold makes late`);
    out.push(
      ...columns(
        [['stack', 'component', 'to', 'advisory', 'deadline', 'blocked by', 'earliest slot if approved'], ...plan.approvalsNeeded.map((a) => [a.stack, a.component, a.to, a.advisory ?? '-', a.deadline, a.blockedBy, a.earliestSlot ?? '-'])],
        '  ',
      ),
    );
    out.push('');
  }
  if (plan.unknown.length > 0) {
    out.push('Unknown environments (not planned; run "fleet validate")');
    out.push(...columns([['stack', 'why'], ...plan.unknown.map((u) => [u.stack, u.reasons.join('; ')])], '  '));
    out.push('');
  }
  const rankOf = new Map(plan.ranking.map((r) => [`${r.stack}|${r.component}`, r.rank]));
  for (const wave of plan.waves) {
    out.push(`Wave ${wave.number}  ${wave.name}  starts ${wave.start}  bake ${wave.bakeDays} day(s)${wave.fastTrack ? '  FAST TRACK' : ''}`);
    for (const env of wave.environments) {
      out.push(`  ${env.stack} (${env.environment}, ring ${env.ring})  ${env.window.local}`);
      for (const note of env.notes) out.push(`    ! ${note}`);
      out.push(
        ...columns(
          [
            ['rank', 'component', 'from', '', 'to', 'score', 'why'],
            ...env.changes.map((c) => [`#${rankOf.get(`${env.stack}|${c.component}`) ?? '-'}`, c.component, c.from, '->', c.to, String(c.score), headline(c)]),
          ],
          '    ',
        ),
      );
    }
    out.push('');
  }
  if (plan.waves.length === 0) out.push('No changes to roll out.', '');
  if (plan.deferred.length > 0) {
    out.push('Deferred (not now, and why)');
    out.push(...columns([['stack', 'component', 'from', 'to', 'reason'], ...plan.deferred.map((d) => [d.stack, d.component, d.from, d.to ?? '-', d.reason])], '  '));
    out.push('');
  }
  const notable = notableStatuses(plan);
  if (notable.length > 0) {
    out.push('Status (components behind, unsupported or changed)');
    out.push(
      ...columns(
        [
          ['stack', 'component', 'version', 'support', 'security fixes missing', 'max overdue', 'bug fixes missing', 'decision'],
          ...notable.map((s) => [
            s.stack,
            s.component,
            s.version,
            s.support,
            worstSecurity(s),
            maxOverdue(s) > 0 ? `${maxOverdue(s)}d` : '-',
            String(s.missingBugFixes.length),
            s.target ? `${s.decision} -> ${s.target}` : s.decision,
          ]),
        ],
        '  ',
      ),
    );
  }
  return out;
}
