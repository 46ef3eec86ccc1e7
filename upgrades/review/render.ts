/** `fleet review` output: a table per stack for the terminal, and Markdown for a pull-request comment. */
import { basename } from 'node:path';
import { COUNTED, failed, type Finding, type PlanAction, type ReviewedResource, type StackReview } from './review';

/** Destructive first: that is what a reviewer must see before anything else. */
const ACTION_ORDER: readonly PlanAction[] = ['replace', 'delete', 'update', 'create', 'forget', 'read', 'no-op'];

function ordered(resources: readonly ReviewedResource[]): ReviewedResource[] {
  return [...resources].sort((a, b) => ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function list(items: readonly string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

function details(r: ReviewedResource): string {
  const parts: string[] = [];
  if (r.actionReason) parts.push(r.actionReason);
  if (r.action === 'replace' && r.replacePaths.length > 0) parts.push(`forced by ${list(r.replacePaths)}`);
  if (r.actions.length > 1) parts.push(r.actions[0] === 'create' ? 'create before destroy' : 'destroy before create');
  if (r.action === 'update') {
    const known = r.paths.filter((p) => !r.knownAfterApply.includes(p));
    if (known.length > 0) parts.push(list(known));
    if (r.knownAfterApply.length > 0) parts.push(`known after apply: ${list(r.knownAfterApply)}`);
  }
  if (r.previousAddress) parts.push(`moved from ${r.previousAddress}`);
  return parts.join('; ');
}

function countsLine(review: StackReview): string {
  return COUNTED.filter((a) => a !== 'forget' || review.counts.forget > 0)
    .map((a) => `${a} ${review.counts[a]}`)
    .join(' | ');
}

function source(review: StackReview): string {
  const bits = [basename(review.file), `stack id from ${review.stackSource}`];
  if (review.terraformVersion) bits.push(`terraform ${review.terraformVersion}`);
  bits.push(`format ${review.formatVersion}`);
  if (review.comparedWith) bits.push(`compared with ${review.comparedWith}`);
  return bits.join('; ');
}

const FINDING_LABEL: Readonly<Record<Finding['kind'], string>> = {
  incomplete: 'INCOMPLETE',
  protected: 'PROTECTED',
  destructive: 'DESTRUCTIVE',
  unexpected: 'UNEXPECTED',
  drift: 'DRIFT',
  note: 'note',
};

/** `unreadable`: how many inputs were not plan JSON (their errors went to stderr). */
export function renderText(reviews: readonly StackReview[], unreadable = 0): string[] {
  const lines: string[] = [];
  for (const review of reviews) {
    lines.push(`${review.stack}  (${source(review)})`);
    lines.push(`  ${countsLine(review)}`);
    const rows = ordered(review.resources).map((r) => [r.action, r.address, details(r)]);
    if (rows.length > 0) {
      const header = ['ACTION', 'RESOURCE', 'DETAILS'];
      const widths = [0, 1].map((i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
      for (const row of [header, ...rows]) lines.push(`  ${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd());
    } else {
      lines.push('  no changes');
    }
    for (const f of review.findings) lines.push(`  ${FINDING_LABEL[f.kind]}: ${f.address}: ${f.message}`);
    for (const r of review.risks.filter((risk) => risk.level === 'warning')) lines.push(`  warning: ${r.address}: ${r.reason}`);
    lines.push('');
  }
  const failing = reviews.filter(failed);
  lines.push(
    reviews.length === 0
      ? 'no plan was reviewed'
      : failing.length === 0
      ? `${reviews.length} plan(s) reviewed: no protected resource replaced or deleted${reviews.some((r) => r.comparedWith) ? ', nothing the stage did not predict' : ''}`
      : `${reviews.length} plan(s) reviewed: ${failing.length} need attention (${failing.map((r) => r.stack).join(', ')})`,
  );
  if (unreadable > 0) lines.push(`${unreadable} file(s) could not be reviewed (errors on stderr): the review is incomplete`);
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const FINDING_MARK: Readonly<Record<Finding['kind'], string>> = {
  incomplete: '⛔ **incomplete**',
  protected: '⛔ **protected**',
  destructive: '⛔ **destructive**',
  unexpected: '❗ **unexpected**',
  drift: '↯ **drift**',
  note: 'ℹ️',
};

/** `unreadable`: input files that are not plan JSON, listed first so a PR comment does not look clean without them. */
export function renderMarkdown(reviews: readonly StackReview[], unreadable: readonly { file: string; problem: string }[] = []): string {
  const failing = reviews.filter(failed);
  const out: string[] = ['## Terraform plan review', ''];
  if (unreadable.length > 0) {
    out.push(`❌ **${unreadable.length} file(s) could not be reviewed:**`, '', ...unreadable.map((u) => `- \`${basename(u.file)}\`: ${u.problem}`), '');
  }
  out.push(
    failing.length === 0
      ? `✅ ${reviews.length} plan(s) reviewed: no protected resource is replaced or deleted${reviews.some((r) => r.comparedWith) ? ', and every change was predicted' : ''}.`
      : `⛔ **${failing.length} of ${reviews.length} plan(s) need attention:** ${failing.map((r) => `\`${r.stack}\``).join(', ')}.`,
    '',
  );
  for (const review of reviews) {
    out.push(`### \`${review.stack}\` ${failed(review) ? '⛔' : '✅'}`, '', cell(source(review)), '');
    const counted = COUNTED.filter((a) => a !== 'forget' || review.counts.forget > 0);
    out.push(`| ${counted.join(' | ')} |`, `|${counted.map(() => '---:').join('|')}|`, `| ${counted.map((a) => review.counts[a]).join(' | ')} |`, '');
    const notes = [
      ...review.findings.map((f) => `- ${FINDING_MARK[f.kind]} \`${f.address}\`: ${f.message}`),
      ...review.risks.filter((r) => r.level === 'warning').map((r) => `- ⚠️ \`${r.address}\`: ${r.reason}`),
    ];
    if (notes.length > 0) out.push(...notes, '');
    const rows = ordered(review.resources);
    if (rows.length > 0) {
      out.push(`<details><summary>${rows.length} resource(s) in the plan</summary>`, '', '| Action | Resource | Details |', '|---|---|---|');
      for (const r of rows) {
        const d = cell(details(r));
        out.push(`| ${r.action} | \`${cell(r.address)}\` |${d ? ` ${d} ` : ' '}|`);
      }
      out.push('', '</details>', '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
