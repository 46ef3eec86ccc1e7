/**
 * Applies a proposal to a catalog file's text with minimal edits (jsonc-parser), so the pull
 * request shows the new releases and nothing else, and renders the change as a unified diff.
 */
import { createTwoFilesPatch } from 'diff';
import { applyEdits, modify, parse, type FormattingOptions } from 'jsonc-parser';
import { compareVersions } from '../version';
import type { CatalogReleaseJson, Proposal, SeverityChange } from './propose';

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

function versionsOf(text: string): string[] {
  const raw = parse(text) as { releases?: { version?: unknown }[] };
  return (raw.releases ?? []).map((r) => String(r.version));
}

function insertRelease(text: string, release: CatalogReleaseJson): string {
  const versions = versionsOf(text);
  let index = versions.findIndex((v) => compareVersions(release.version, v) < 0);
  if (index < 0) index = versions.length;
  return applyEdits(text, modify(text, ['releases', index], release, { isArrayInsertion: true, formattingOptions: FORMAT }));
}

function addAdvisory(text: string, version: string, id: string, inferred: boolean): string {
  const index = versionsOf(text).indexOf(version);
  const raw = parse(text) as { releases: { advisories?: unknown[] }[] };
  const count = raw.releases[index].advisories?.length ?? 0;
  const path = count === 0 ? ['releases', index, 'advisories'] : ['releases', index, 'advisories', count];
  const value = count === 0 ? [{ id, inferred }] : { id, inferred };
  return applyEdits(text, modify(text, path, value, { isArrayInsertion: count > 0, formattingOptions: FORMAT }));
}

function setSeverity(text: string, change: SeverityChange): string {
  const index = versionsOf(text).indexOf(change.version);
  let out = text;
  for (const [field, value] of [['severity', change.to], ['severityBasis', change.basis]] as const) {
    out = applyEdits(out, modify(out, ['releases', index, field], value, { formattingOptions: FORMAT }));
  }
  return out;
}

export function applyProposal(text: string, proposal: Proposal): string {
  let out = text;
  for (const r of proposal.added) out = insertRelease(out, r);
  for (const a of proposal.advisoriesAdded) out = addAdvisory(out, a.version, a.advisory, a.inferred);
  for (const c of proposal.severityChanges) out = setSeverity(out, c);
  return out;
}

export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 });
}
