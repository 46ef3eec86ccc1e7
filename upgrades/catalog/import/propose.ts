/**
 * Turns upstream releases and advisories into a proposed catalog change: new releases in
 * catalog form, advisories that existing releases fix, and everything a person must look at
 * (date conflicts, entries no rule could classify). Facts already in the catalog are never
 * changed: an existing release only ever gains an advisory it did not list.
 */
import { CHANGE_KINDS, type ChangeKind, type ConditionalRequirement, type Severity } from '../schema';
import type { ComponentId } from '../../../customers/schema';
import { conditionalRequirementsOf } from '../seed/curated';
import { compareVersions, versionParts } from '../version';
import { classifyEntry, isDependencyBump } from './classify';
import { type Advisory } from './osv';
import { ownFixes, type Unmatched } from './own-fixes';
import { outranks, releaseSeverity, type Fixed } from './release-severity';
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
  readonly requiresWhen?: readonly ConditionalRequirement[];
}

export interface AdvisoryAddition {
  readonly version: string;
  readonly advisory: string;
  readonly inferred: boolean;
  /** The advisory's rating. It raises a derived release severity (see severityChanges), never one a person set. */
  readonly severity?: Severity;
  /** How the advisory's rating was found, e.g. "CVSS 3 base score 10.0". */
  readonly severitySource?: string;
}

export interface SeverityChange {
  readonly version: string;
  readonly from: Severity;
  readonly to: Severity;
  /** The advisory whose rating raised it, and how that rating was found. */
  readonly advisory: string;
  readonly rating: string;
  /** The new severityBasis. */
  readonly basis: string;
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
  /** Derived severities of existing releases that a newly listed advisory outranks. */
  readonly severityChanges: readonly SeverityChange[];
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
  readonly component: ComponentId;
  readonly existing: readonly CatalogReleaseJson[];
  readonly upstream: readonly UpstreamRelease[];
  readonly advisories: readonly Advisory[];
  /** OSV package names that are this component itself: their fixed versions carry the advisory. */
  readonly ownPackages: readonly string[];
  /** First release day to import (YYYY-MM-DD). */
  readonly since: string;
}

/** Cuts at a word boundary: a first entry longer than the limit still says what changed. */
function shorten(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function summaryOf(texts: readonly string[]): string {
  let out = '';
  for (const [i, t] of texts.entries()) {
    const next = out === '' ? t : `${out}; ${t}`;
    if (next.length > SUMMARY_LIMIT) {
      const rest = texts.length - i;
      if (out !== '') return `${out}; and ${rest} more`;
      const more = rest > 1 ? `; and ${rest - 1} more` : '';
      return `${shorten(t, SUMMARY_LIMIT - more.length)}${more}`;
    }
    out = next;
  }
  return out;
}

function catalogRelease(component: ComponentId, u: UpstreamRelease, own: readonly Advisory[], advisories: readonly Advisory[], unclassified: Finding[]): CatalogReleaseJson {
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
  // versionParts, not semver: an own-package fix can bring a 3.6.0.x backport through here.
  const [major, minor, patch, maintenance] = versionParts(u.version);
  if (major > 0 && minor === 0 && patch === 0 && maintenance === 0) kinds.add('breaking');
  const ids = [...fixes.keys()].sort();
  const derived = releaseSeverity(ids.map((id) => ({ id, advisory: fixes.get(id)!.advisory })));
  const security = kinds.has('security');
  const conditional: ConditionalRequirement[] = conditionalRequirementsOf(component, u.version);
  return {
    version: u.version,
    date: u.date,
    kinds: CHANGE_KINDS.filter((k) => kinds.has(k)),
    summary: summaryOf(texts),
    ...(security
      ? {
          severity: derived.severity,
          severityDerived: true,
          severityBasis: derived.basis,
        }
      : {}),
    advisories: ids.map((id) => ({ id, inferred: fixes.get(id)!.inferred })),
    source: `import: ${u.source}`,
    ...(conditional.length > 0 ? { requiresWhen: conditional } : {}),
  };
}

/** A newly listed advisory rated above a release's severity changes it (when derived) or is a conflict (when a person set it). */
function severityChange(known: CatalogReleaseJson, gained: readonly Fixed[]): SeverityChange | undefined {
  const top = known.severity === undefined ? undefined : outranks(known.severity, gained);
  if (top === undefined) return undefined;
  return { version: known.version, from: known.severity!, to: top.severity, advisory: top.advisory!, rating: top.rating!, basis: top.basis };
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
  const severityChanges: SeverityChange[] = [];
  const credited = new Set<string>();
  const beforeSince = new Map<string, string[]>();
  for (const u of upstream.sort((a, b) => compareVersions(a.version, b.version))) {
    const known = existing.get(u.version);
    const ownHere = own.byVersion.get(u.version) ?? [];
    if (known === undefined) {
      if (u.date < input.since) {
        tooOld.push(u.version);
        for (const a of catalogRelease(input.component, u, ownHere, input.advisories, []).advisories) beforeSince.set(a.id, [...(beforeSince.get(a.id) ?? []), u.version]);
      } else {
        const release = catalogRelease(input.component, u, ownHere, input.advisories, unclassified);
        for (const a of release.advisories) credited.add(a.id);
        added.push(release);
      }
      continue;
    }
    if (known.date !== u.date) conflicts.push({ version: u.version, where: u.source, text: `the catalog dates ${u.version} ${known.date}, upstream ${u.date}; the catalog keeps ${known.date} (check its source: ${known.source})` });
    const listed = new Set((known.advisories ?? []).map((a) => a.id));
    const fixes = catalogRelease(input.component, u, ownHere, input.advisories, []);
    const gained: Fixed[] = [];
    for (const a of fixes.advisories) {
      credited.add(a.id);
      const advisory = input.advisories.find((x) => x.id === a.id);
      // Listed under any of its ids: an OSV file that gained a CVE alias names the GHSA the catalog already has.
      if ([a.id, ...(advisory?.ids ?? [])].some((id) => listed.has(id))) continue;
      if (!known.kinds.includes('security')) {
        conflicts.push({ version: u.version, where: u.source, text: `${a.id} is fixed in ${u.version}, which the catalog does not mark as a security release; a person decides its kinds and severity` });
        continue;
      }
      advisoriesAdded.push({ version: u.version, advisory: a.id, inferred: a.inferred, severity: advisory?.severity, severitySource: advisory?.severitySource });
      gained.push({ id: a.id, advisory });
    }
    const change = severityChange(known, gained);
    if (change && known.severityDerived === true) severityChanges.push(change);
    else if (change) {
      conflicts.push({
        version: u.version,
        where: u.source,
        text: `${change.advisory} is rated ${change.to} (${change.rating}), above ${u.version}'s ${change.from}, which a person set; the catalog keeps ${change.from}: raise it by hand if the advisory applies`,
      });
    }
  }
  const ownUnmatched = new Set(own.unmatched.map((x) => x.advisory));
  const unmatched: Unmatched[] = [
    ...own.unmatched,
    ...input.advisories
      .filter((a) => !credited.has(a.id) && !ownUnmatched.has(a.id))
      .map((a) => ({ advisory: a.id, file: a.file, reason: unmatchedReason(a, input.ownPackages, input.since, beforeSince.get(a.id)) })),
  ];
  return { added, advisoriesAdded, severityChanges, conflicts, unclassified, unmatched, tooOld };
}
