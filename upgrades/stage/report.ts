/**
 * The staged plan as CI reads it (plan.json) and as a reviewer reads it in the pull request
 * (plan.md): blocking items first, a timeline of the waves, one table per wave with the risk of
 * each stack, and the resource-level changes of each stack folded away until opened.
 */
import { gantt, table } from '../report/markdown';
import type { StagedPlan, StagedStack } from './stage';
import type { ChangeAction, ChangeSet } from './types';

export function renderStagedJson(staged: StagedPlan): string {
  const json = {
    generatedFor: staged.generatedFor,
    summary: staged.plan.summary,
    blocking: staged.blocking,
    waves: staged.waves.map((w) => ({
      number: w.number,
      name: w.name,
      start: w.start,
      fastTrack: w.fastTrack,
      bakeDays: w.bakeDays,
      matrix: w.matrix,
      stacks: w.stacks.map((s) => ({
        stack: s.stack,
        customer: s.customer,
        environment: s.environment,
        pinChanges: s.pinChanges,
        changeSet: s.changeSet,
      })),
    })),
    deferred: staged.plan.deferred,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const ACTIONS: readonly ChangeAction[] = ['create', 'update', 'replace', 'delete'];

export function countActions(changeSet: ChangeSet): string {
  const counts = ACTIONS.map((a) => [a, changeSet.changes.filter((c) => c.action === a).length] as const).filter(([, n]) => n > 0);
  return counts.length === 0 ? 'no resource changes' : counts.map(([a, n]) => `${n} ${a}`).join(', ');
}

function riskCell(s: StagedStack): string {
  const blocking = s.changeSet.risks.filter((r) => r.level === 'blocking').length;
  const warnings = s.changeSet.risks.length - blocking;
  if (blocking > 0) return `⛔ ${blocking} blocking${warnings > 0 ? `, ${warnings} warning(s)` : ''}`;
  if (warnings > 0) return `⚠ ${warnings} warning(s)`;
  return 'low';
}

function stackDetails(s: StagedStack): string[] {
  const lines = [`<details><summary><code>${s.stack}</code>: ${countActions(s.changeSet)}</summary>`, ''];
  for (const risk of s.changeSet.risks) lines.push(`- ${risk.level === 'blocking' ? '⛔' : '⚠'} \`${risk.address}\`: ${risk.reason}`);
  if (s.changeSet.risks.length > 0) lines.push('');
  for (const c of s.changeSet.changes) {
    const paths = c.action === 'update' || c.action === 'replace' ? ` (${(c.replacePaths?.length ? c.replacePaths : c.paths).join(', ')})` : '';
    lines.push(`- ${c.action} \`${c.address}\`${paths}${c.uncertain ? ` — uncertain: ${c.uncertain}` : ''}`);
  }
  lines.push('', '</details>', '');
  return lines;
}

export function renderStagedMarkdown(staged: StagedPlan): string {
  const out: string[] = [`# Staged upgrade plan for ${staged.generatedFor}`, ''];
  if (staged.blocking.length > 0) {
    out.push('## ⛔ Blocking', '', 'These changes replace or delete resources that hold data. Resolve them before the wave runs.', '');
    for (const b of staged.blocking) out.push(`- Wave ${b.wave}, \`${b.stack}\`: \`${b.address}\`: ${b.reason}`);
    out.push('');
  } else {
    out.push('No blocking changes: nothing that holds data is replaced or deleted.', '');
  }
  const changes = staged.waves.reduce((n, w) => n + w.stacks.reduce((m, s) => m + s.pinChanges.length, 0), 0);
  out.push(`${staged.waves.length} wave(s), ${changes} pin change(s), ${staged.plan.deferred.length} deferred.`, '');
  if (staged.waves.length > 0) out.push(...gantt(staged.plan), '');
  for (const w of staged.waves) {
    out.push(`## Wave ${w.number}: ${w.name}`, '', `Starts ${w.start}; bake ${w.bakeDays} day(s)${w.fastTrack ? '; **fast track**' : ''}. CI matrix: ${w.matrix.map((s) => `\`${s}\``).join(', ')}.`, '');
    out.push(
      ...table(
        ['Customer', 'Environment', 'Component', 'From -> to', 'Why', 'Risk'],
        w.stacks.flatMap((s) =>
          s.pinChanges.map((c, i) => [i === 0 ? s.customer : '', i === 0 ? s.environment : '', c.component, `${c.from} -> ${c.to}`, c.reasons.join('<br>'), i === 0 ? riskCell(s) : '']),
        ),
      ),
      '',
    );
    for (const s of w.stacks) out.push(...stackDetails(s));
  }
  out.push('## Deferred', '');
  if (staged.plan.deferred.length === 0) out.push('Nothing deferred.', '');
  else out.push(...table(['Stack', 'Component', 'From', 'Wanted', 'Reason'], staged.plan.deferred.map((d) => [d.stack, d.component, d.from, d.to ?? '-', d.reason])), '');
  return out.join('\n');
}
