/**
 * The plan as Markdown for a pull request: a Mermaid timeline of the waves (GitHub renders it),
 * one table per wave with every reason, then what is deferred and the status of the fleet.
 */
import type { UpgradePlan } from '../planner/types';
import { maxOverdue, notableStatuses, summaryLine, worstSecurity } from './summary';

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function gantt(plan: UpgradePlan): string[] {
  const lines = ['```mermaid', 'gantt', '  title Rollout waves', '  dateFormat YYYY-MM-DD'];
  for (const w of plan.waves) {
    lines.push(`  section Wave ${w.number}`);
    const label = `${w.name.replace(/[:#;]/g, ' ')} (${w.environments.length} env)`;
    lines.push(`  ${label} :${w.fastTrack ? 'crit, ' : ''}w${w.number}, ${w.start}, 1d`);
    if (w.bakeDays > 0) lines.push(`  bake :after w${w.number}, ${w.bakeDays}d`);
  }
  lines.push('```');
  return lines;
}

export function renderMarkdown(plan: UpgradePlan): string {
  const out: string[] = [`# Upgrade plan for ${plan.generatedFor}`, '', summaryLine(plan), ''];
  if (plan.approvalsNeeded.length > 0) {
    out.push(
      `## Approvals needed (${plan.approvalsNeeded.length})`,
      '',
      'Critical or high fixes that miss their deadline unless someone approves work in a freeze or lifts a hold.',
      '',
      ...table(
        ['Stack', 'Component', 'To', 'Advisory', 'Severity', 'Deadline', 'Blocked by', 'Earliest slot if approved', 'Why'],
        plan.approvalsNeeded.map((a) => [a.stack, a.component, a.to, a.advisory ?? '-', a.severity, a.deadline, a.blockedBy, a.earliestSlot ?? '-', a.reason]),
      ),
      '',
    );
  }
  if (plan.unknown.length > 0) {
    out.push(`## Unknown environments (${plan.unknown.length}): not planned`, '', ...table(['Stack', 'Why'], plan.unknown.map((u) => [u.stack, u.reasons.join('; ')])), '');
  }
  if (plan.waves.length > 0) out.push(...gantt(plan), '');
  for (const w of plan.waves) {
    out.push(`## Wave ${w.number}: ${w.name}`, '', `Starts ${w.start}; bake ${w.bakeDays} day(s) before the next wave${w.fastTrack ? '; **fast track**' : ''}.`, '');
    out.push(
      ...table(
        ['Environment', 'Window', 'Component', 'From', 'To', 'Score', 'Reasons'],
        w.environments.flatMap((e) =>
          e.changes.map((c, i) => [
            i === 0 ? `${e.stack} (${e.environment}, ring ${e.ring})${e.notes.length > 0 ? `<br>${e.notes.map((n) => `⚠ ${n}`).join('<br>')}` : ''}` : '',
            i === 0 ? e.window.local : '',
            c.component,
            c.from,
            c.to,
            String(c.score),
            c.reasons.join('<br>'),
          ]),
        ),
      ),
      '',
    );
  }
  out.push('## Deferred', '');
  if (plan.deferred.length === 0) out.push('Nothing deferred.', '');
  else out.push(...table(['Stack', 'Component', 'From', 'Wanted', 'Reason'], plan.deferred.map((d) => [d.stack, d.component, d.from, d.to ?? '-', d.reason])), '');
  out.push('## Status', '');
  const notable = notableStatuses(plan);
  if (notable.length === 0) out.push('Every component is supported and has every known fix.', '');
  else {
    out.push(
      ...table(
        ['Stack', 'Component', 'Version', 'Support', 'Security fixes missing', 'Max overdue (days)', 'Bug fixes missing', 'Decision'],
        notable.map((s) => [
          s.stack,
          s.component,
          s.version,
          `${s.support}: ${s.supportReason.replace(/^[a-z]+: /, '')}`,
          worstSecurity(s),
          String(maxOverdue(s)),
          String(s.missingBugFixes.length),
          s.target ? `${s.decision} → ${s.target}` : s.decision,
        ]),
      ),
      '',
    );
  }
  out.push('Score = security + overdue + support + bug fixes − risk; each change lists its own breakdown.', '');
  return out.join('\n');
}
