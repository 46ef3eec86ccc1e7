/**
 * Turns upstream releases and advisories into a proposed catalog change: new releases in
 * catalog form, advisories that existing releases fix, and everything a person must look at
 * (date conflicts, entries no rule could classify). Facts already in the catalog are never
 * changed: an existing release only ever gains an advisory it did not list.
 */
import semver from 'semver';
import { CHANGE_KINDS, SEVERITIES, type ChangeKind, type Severity } from '../schema';
import { DEFAULT_SEVERITY } from '../seed/curated';
import { compareVersions } from '../version';
import { classifyEntry, isDependencyBump } from './classify';
import { type Advisory } from './osv';
import { ownFixes, type Unmatched } from './own-fixes';
import type { UpstreamRelease } from './upstream';

const SUMMARY_LIMIT = 240;

/** A release as the catalog files hold it (upgrades/catalog/schema.ts). */
export interface CatalogReleaseJson {
  readonly version: string;
  readonly date: string;
  readonly kinds: readonly ChangeKind[];
  readonly summary: string;
  readonly severity?: Severity;
  readonly severityDerived?: boolean;
  readonly severityBasis?: string;
  readonly advisories: readonly { readonly id: string; readonly inferred: boolean }[];
  readonly source: string;
}

export interface AdvisoryAddition {
  readonly version: string;
  readonly advisory: string;
  readonly inferred: boolean;
  /** Shown to the reviewer only: the release's own severity is a fact the import does not change. */
  readonly severity?: Severity;
  /** How the advisory's rating was found, e.g. "CVSS 3 base score 10.0". */
  readonly severitySource?: string;
}

export interface Finding {
  readonly version: string;
  readonly where: string;
  readonly text: string;
}

export interface Proposal {
  readonly added: readonly CatalogReleaseJson[];
  /** Advisories an existing release fixes that it does not list yet. */
  readonly advisoriesAdded: readonly AdvisoryAddition[];
  /** Upstream disagrees with the catalog; the catalog's value stays. */
  readonly conflicts: readonly Finding[];
  /** Entries no rule classified; they are not in the proposal's kinds. */
  readonly unclassified: readonly Finding[];
  /** OSV advisories (or ranges of them) no release could be credited with, and why. */
  readonly unmatched: readonly Unmatched[];
  /** Releases older than `since`, left out. */
  readonly tooOld: readonly string[];
}

export interface ProposeInput {
  readonly existing: readonly CatalogReleaseJson[];
  readonly upstream: readonly UpstreamRelease[];
  readonly advisories: readonly Advisory[];
  /** OSV package names that are this component itself: their fixed versions carry the advisory. */
  readonly ownPackages: readonly string[];
  /** First release day to import (YYYY-MM-DD). */
  readonly since: string;
}

/** SEVERITIES runs from critical down. */
function worst(severities: readonly (Severity | undefined)[]): Severity | undefined {
  let best: number = SEVERITIES.length;
  for (const s of severities) if (s !== undefined) best = Math.min(best, SEVERITIES.indexOf(s));
  return best < SEVERITIES.length ? SEVERITIES[best] : undefined;
}

function summaryOf(texts: readonly string[]): string {
  let out = '';
  for (const [i, t] of texts.entries()) {
    const next = out === '' ? t : `${out}; ${t}`;
    if (next.length > SUMMARY_LIMIT) return `${out}; and ${texts.length - i} more`;
    out = next;
  }
  return out;
}

function catalogRelease(u: UpstreamRelease, own: readonly Advisory[], advisories: readonly Advisory[], unclassified: Finding[]): CatalogReleaseJson {
  const kinds = new Set<ChangeKind>();
  const texts: string[] = [];
  const fixes = new Map<string, { advisory?: Advisory; inferred: boolean }>();
  for (const a of own) fixes.set(a.id, { advisory: a, inferred: false });
  for (const entry of u.entries) {
    const c = classifyEntry(entry, advisories);
    if (c === undefined) {
      unclassified.push({ version: u.version, where: u.source, text: isDependencyBump(entry.text) ? `${entry.text} (dependency bump; no OSV advisory given matches it)` : entry.text });
      continue;
    }
    kinds.add(c.kind);
    if (c.kind !== 'internal') texts.push(entry.text);
    for (const a of c.advisories) if (!fixes.has(a.id)) fixes.set(a.id, { advisory: a, inferred: c.rule === 'fixes an OSV advisory' && !a.ids.some((id) => entry.text.includes(id)) });
    for (const id of c.namedIds) if (!fixes.has(id)) fixes.set(id, { inferred: false });
  }
  if (fixes.size > 0) kinds.add('security');
  if (semver.minor(u.version) === 0 && semver.patch(u.version) === 0 && semver.major(u.version) > 0) kinds.add('breaking');
  const ids = [...fixes.keys()].sort();
  const rated = ids.map((id) => fixes.get(id)!.advisory).filter((a): a is Advisory => a?.severity !== undefined);
  const severity = worst(rated.map((a) => a.severity));
  const security = kinds.has('security');
  const worstAdvisory = rated.find((a) => a.severity === severity);
  return {
    version: u.version,
    date: u.date,
    kinds: CHANGE_KINDS.filter((k) => kinds.has(k)),
    summary: summaryOf(texts),
    ...(security
      ? {
          severity: severity ?? DEFAULT_SEVERITY,
          severityDerived: true,
          severityBasis: worstAdvisory
            ? `${worstAdvisory.severitySource} of ${worstAdvisory.id}: ${severity}`
            : `default ${DEFAULT_SEVERITY}: the source states no severity and names no rated advisory`,
        }
      : {}),
    advisories: ids.map((id) => ({ id, inferred: fixes.get(id)!.inferred })),
    source: `import: ${u.source}`,
  };
}

function unmatchedReason(a: Advisory, own: readonly string[], since: string, beforeSince: readonly string[] | undefined): string {
  if (beforeSince !== undefined) return `fixed only in ${beforeSince.join(', ')}, before --since ${since}`;
  if (a.packages.length === 0) return 'the OSV file lists no affected package, so nothing can fix it';
  const names = a.packages.map((p) => p.name).join(', ');
  const ownHint = a.packages.some((p) => own.includes(p.name)) ? '' : `; if ${a.packages.length > 1 ? 'one of these is' : 'this is'} the component itself, give it with --package`;
  return `no changelog entry names it or bumps ${names} to a fixed version${ownHint}`;
}

export function propose(input: ProposeInput): Proposal {
  const existing = new Map(input.existing.map((r) => [r.version, r]));
  const own = ownFixes([...new Set([...existing.keys(), ...input.upstream.map((u) => u.version)])], input.advisories, input.ownPackages);
  const upstream = [...input.upstream];
  // An own-package fix reaches a catalog release even when the source does not list it.
  const listedUpstream = new Set(upstream.map((u) => u.version));
  for (const [version, fixing] of own.byVersion) {
    const known = existing.get(version);
    if (known && !listedUpstream.has(version)) upstream.push({ version, date: known.date, entries: [], source: [...new Set(fixing.map((a) => a.file))].join(', ') });
  }
  const added: CatalogReleaseJson[] = [];
  const advisoriesAdded: AdvisoryAddition[] = [];
  const conflicts: Finding[] = [];
  const unclassified: Finding[] = [];
  const tooOld: string[] = [];
  const credited = new Set<string>();
  const beforeSince = new Map<string, string[]>();
  for (const u of upstream.sort((a, b) => compareVersions(a.version, b.version))) {
    const known = existing.get(u.version);
    const ownHere = own.byVersion.get(u.version) ?? [];
    if (known === undefined) {
      if (u.date < input.since) {
        tooOld.push(u.version);
        for (const a of catalogRelease(u, ownHere, input.advisories, []).advisories) beforeSince.set(a.id, [...(beforeSince.get(a.id) ?? []), u.version]);
      } else {
        const release = catalogRelease(u, ownHere, input.advisories, unclassified);
        for (const a of release.advisories) credited.add(a.id);
        added.push(release);
      }
      continue;
    }
    if (known.date !== u.date) conflicts.push({ version: u.version, where: u.source, text: `the catalog dates ${u.version} ${known.date}, upstream ${u.date}; the catalog keeps ${known.date} (check its source: ${known.source})` });
    const listed = new Set((known.advisories ?? []).map((a) => a.id));
    const fixes = catalogRelease(u, ownHere, input.advisories, []);
    for (const a of fixes.advisories) {
      credited.add(a.id);
      if (listed.has(a.id)) continue;
      if (!known.kinds.includes('security')) {
        conflicts.push({ version: u.version, where: u.source, text: `${a.id} is fixed in ${u.version}, which the catalog does not mark as a security release; a person decides its kinds and severity` });
        continue;
      }
      const advisory = input.advisories.find((x) => x.id === a.id);
      advisoriesAdded.push({ version: u.version, advisory: a.id, inferred: a.inferred, severity: advisory?.severity, severitySource: advisory?.severitySource });
    }
  }
  const ownUnmatched = new Set(own.unmatched.map((x) => x.advisory));
  const unmatched: Unmatched[] = [
    ...own.unmatched,
    ...input.advisories
      .filter((a) => !credited.has(a.id) && !ownUnmatched.has(a.id))
      .map((a) => ({ advisory: a.id, file: a.file, reason: unmatchedReason(a, input.ownPackages, input.since, beforeSince.get(a.id)) })),
  ];
  return { added, advisoriesAdded, conflicts, unclassified, unmatched, tooOld };
}
