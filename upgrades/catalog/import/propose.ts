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
import { isFixedIn, looseVersion, type Advisory } from './osv';
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

/** For the component's own package: the first release that fixes each affected interval. */
function ownFixes(versions: readonly string[], advisories: readonly Advisory[], own: readonly string[]): Map<string, Advisory[]> {
  const byVersion = new Map<string, Advisory[]>();
  const sorted = [...versions].sort(semver.compare);
  for (const a of advisories) {
    for (const p of a.packages.filter((x) => own.includes(x.name))) {
      const firsts = new Set(p.fixed.map((f) => sorted.find((v) => semver.major(v) === semver.major(looseVersion(f) ?? v) && isFixedIn(p, v))));
      for (const first of firsts) if (first) byVersion.set(first, [...(byVersion.get(first) ?? []), a]);
    }
  }
  return byVersion;
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

export function propose(input: ProposeInput): Proposal {
  const existing = new Map(input.existing.map((r) => [r.version, r]));
  const own = ownFixes(
    [...new Set([...existing.keys(), ...input.upstream.map((u) => u.version)])].filter((v) => semver.valid(v) !== null),
    input.advisories,
    input.ownPackages,
  );
  const added: CatalogReleaseJson[] = [];
  const advisoriesAdded: AdvisoryAddition[] = [];
  const conflicts: Finding[] = [];
  const unclassified: Finding[] = [];
  const tooOld: string[] = [];
  for (const u of [...input.upstream].sort((a, b) => compareVersions(a.version, b.version))) {
    const known = existing.get(u.version);
    if (known === undefined) {
      if (u.date < input.since) tooOld.push(u.version);
      else added.push(catalogRelease(u, own.get(u.version) ?? [], input.advisories, unclassified));
      continue;
    }
    if (known.date !== u.date) conflicts.push({ version: u.version, where: u.source, text: `the catalog dates ${u.version} ${known.date}, upstream ${u.date}; the catalog keeps ${known.date} (check its source: ${known.source})` });
    const listed = new Set((known.advisories ?? []).map((a) => a.id));
    const fixes = catalogRelease(u, own.get(u.version) ?? [], input.advisories, []);
    for (const a of fixes.advisories) {
      if (listed.has(a.id)) continue;
      if (!known.kinds.includes('security')) {
        conflicts.push({ version: u.version, where: u.source, text: `${a.id} is fixed in ${u.version}, which the catalog does not mark as a security release; a person decides its kinds and severity` });
        continue;
      }
      advisoriesAdded.push({ version: u.version, advisory: a.id, inferred: a.inferred, severity: input.advisories.find((x) => x.id === a.id)?.severity });
    }
  }
  return { added, advisoriesAdded, conflicts, unclassified, tooOld };
}
