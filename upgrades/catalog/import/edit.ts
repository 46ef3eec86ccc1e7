/**
 * Applies a proposal to a catalog file's text with minimal edits (jsonc-parser), so the pull
 * request shows the new releases and nothing else, and renders the change as a unified diff.
 */
import { createTwoFilesPatch } from 'diff';
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parse, parseTree, type FormattingOptions } from 'jsonc-parser';
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

/**
 * All new releases in one pass over the text: one `modify` per release re-reads the whole file
 * each time, which is quadratic (3000 new releases took minutes). Each release is written the way
 * `modify` would write it (JSON.stringify with two spaces, at the array items' indentation).
 */
function insertReleases(text: string, releases: readonly CatalogReleaseJson[]): string {
  const array = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, ['releases']);
  const items = array?.type === 'array' ? (array.children ?? []) : [];
  if (items.length === 0) return releases.reduce(insertRelease, text);
  const lineStart = text.lastIndexOf('\n', items[0].offset) + 1;
  const indent = text.slice(lineStart, items[0].offset);
  if (!/^[ \t]*$/.test(indent)) return releases.reduce(insertRelease, text);
  const versions = items.map((n) => String(getNodeValue(findNodeAtLocation(n, ['version'])!)));
  const gaps = new Map<number, string[]>();
  for (const r of releases) {
    let index = versions.findIndex((v) => compareVersions(r.version, v) < 0);
    if (index < 0) index = versions.length;
    gaps.set(index, [...(gaps.get(index) ?? []), JSON.stringify(r, null, FORMAT.tabSize).replace(/\n/g, `\n${indent}`)]);
  }
  const between = `,\n${indent}`;
  let out = '';
  let at = 0;
  for (const index of [...gaps.keys()].sort((a, b) => a - b)) {
    const block = gaps.get(index)!.join(between);
    const last = index === items.length;
    const offset = last ? items[index - 1].offset + items[index - 1].length : items[index].offset;
    out += text.slice(at, offset) + (last ? `${between}${block}` : `${block}${between}`);
    at = offset;
  }
  return out + text.slice(at);
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
  let out = insertReleases(text, proposal.added);
  for (const a of proposal.advisoriesAdded) out = addAdvisory(out, a.version, a.advisory, a.inferred);
  for (const c of proposal.severityChanges) out = setSeverity(out, c);
  return out;
}

export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 });
}
