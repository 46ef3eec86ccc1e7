/**
 * OSV advisories (https://ossf.github.io/osv-schema/): which package versions an advisory
 * affects and which version fixes it, and how severe it is. Severity comes from the CVSS vector
 * (base score, on CVSS's own qualitative scale) or, failing that, the database's own rating.
 */
import { fromVector } from 'ae-cvss-calculator';
import semver from 'semver';
import { z } from 'zod';
import { parseJson } from '../../../customers/json-issues';
import type { Severity } from '../schema';
import { issueText } from './json-text';
import type { SourceProblem } from './upstream';

const event = z.object({ introduced: z.string().optional(), fixed: z.string().optional(), last_affected: z.string().optional(), limit: z.string().optional() });
const osvSchema = z.object({
  id: z.string().min(1),
  aliases: z.array(z.string()).optional(),
  summary: z.string().optional(),
  withdrawn: z.string().optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  affected: z
    .array(
      z.object({
        package: z.object({ ecosystem: z.string(), name: z.string() }),
        ranges: z.array(z.object({ type: z.string(), events: z.array(event) })).optional(),
        versions: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  database_specific: z.object({ severity: z.string().optional() }).passthrough().optional(),
});

/** One affected interval: from `introduced` up to (not including) `fixed`, or through `lastAffected`. */
export interface AffectedRange {
  readonly introduced: string;
  readonly fixed?: string;
  readonly lastAffected?: string;
}

export interface AffectedPackage {
  readonly ecosystem: string;
  readonly name: string;
  /** The versions that end an affected interval. */
  readonly fixed: readonly string[];
  readonly ranges: readonly AffectedRange[];
}

export interface Advisory {
  /** CVE id when the advisory has one (the catalog prefers CVE ids), else the OSV id. */
  readonly id: string;
  readonly ids: readonly string[];
  readonly summary: string;
  readonly severity?: Severity;
  /** How the severity was found, e.g. "CVSS 3.1 base score 10.0". */
  readonly severitySource?: string;
  readonly packages: readonly AffectedPackage[];
  readonly file: string;
}

const CATALOG_ID = /^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$/;

/** CVSS v3/v4 qualitative rating scale. */
function ratingOf(score: number): Severity | undefined {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return undefined;
}

const DATABASE_RATINGS: Readonly<Record<string, Severity>> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };

function severityOf(raw: z.infer<typeof osvSchema>): { severity?: Severity; severitySource?: string } {
  for (const s of raw.severity ?? []) {
    if (!/^CVSS_V[34]$/.test(s.type)) continue;
    try {
      const base = fromVector(s.score)?.calculateScores().base;
      const severity = typeof base === 'number' ? ratingOf(base) : undefined;
      if (severity) return { severity, severitySource: `${s.type.replace('_V', ' ')} base score ${base!.toFixed(1)}` };
    } catch {
      // an unreadable vector: fall back to the database's rating below
    }
  }
  const rating = raw.database_specific?.severity?.toUpperCase();
  if (rating && DATABASE_RATINGS[rating]) return { severity: DATABASE_RATINGS[rating], severitySource: `${raw.id} database rating ${rating}` };
  return {};
}

/** OSV lists events in order: each `introduced` opens an interval that the next `fixed` or `last_affected` closes. */
function intervals(events: readonly z.infer<typeof event>[]): AffectedRange[] {
  const out: AffectedRange[] = [];
  let open: string | undefined;
  for (const e of events) {
    if (e.introduced !== undefined) {
      if (open !== undefined) out.push({ introduced: open });
      open = e.introduced;
    } else if (open !== undefined && (e.fixed !== undefined || e.last_affected !== undefined)) {
      out.push(e.fixed !== undefined ? { introduced: open, fixed: e.fixed } : { introduced: open, lastAffected: e.last_affected });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ introduced: open });
  return out;
}

// Maven and npm spellings of a prerelease (2.15.0-rc1, 2.0-beta9, 1.0.0-M1): below the release.
// Other suffixes (4.1.100.Final, 31.1-jre) name a release build and are ignored.
const PRERELEASE = /^(?:alpha|beta|rc|cr|m|milestone|snapshot|pre|preview|ea|dev)(?:[.-]?\d+)*$/i;

/** Maven versions such as 4.1.100.Final or 2.0-beta9 compared as far as semver can ("0" is the start of time). */
export function looseVersion(v: string): string | undefined {
  const full = semver.coerce(v, { includePrerelease: true });
  if (full === null) return undefined;
  return PRERELEASE.test(full.prerelease.join('.')) ? full.version : semver.coerce(v)!.version;
}

/** Whether a version of the package lies inside one of the advisory's affected intervals. */
export function isAffected(pkg: AffectedPackage, version: string): boolean {
  const v = looseVersion(version);
  if (v === undefined) return true;
  return pkg.ranges.some((r) => {
    const from = looseVersion(r.introduced) ?? '0.0.0';
    if (semver.lt(v, from)) return false;
    if (r.fixed !== undefined) return semver.lt(v, looseVersion(r.fixed) ?? v);
    if (r.lastAffected !== undefined) return semver.lte(v, looseVersion(r.lastAffected) ?? v);
    return true;
  });
}

/** A version fixes the advisory for the package when it is past an interval's end (`fixed`, or above `last_affected`) and no interval still contains it. */
export function isFixedIn(pkg: AffectedPackage, version: string): boolean {
  const v = looseVersion(version);
  if (v === undefined || isAffected(pkg, version)) return false;
  return pkg.ranges.some((r) => {
    const end = looseVersion(r.fixed ?? r.lastAffected ?? '');
    if (end === undefined) return false;
    return r.fixed !== undefined ? semver.gte(v, end) : semver.gt(v, end);
  });
}

export function parseOsv(file: string, text: string): { advisory?: Advisory; problems: SourceProblem[] } {
  const parsed = parseJson(file, text);
  if (parsed.raw === undefined) return { problems: parsed.issues.map((i) => ({ where: file, problem: issueText(i) })) };
  const r = osvSchema.safeParse(parsed.raw);
  if (!r.success) return { problems: [{ where: file, problem: `not an OSV advisory: ${r.error.issues.map((x) => `${x.path.join('.') || '(root)'} ${x.message}`).join('; ')}` }] };
  const raw = r.data;
  if (raw.withdrawn !== undefined) return { problems: [{ where: file, problem: `${raw.id} was withdrawn on ${raw.withdrawn}; leave it out` }] };
  const ids = [raw.id, ...(raw.aliases ?? [])];
  const id = ids.find((x) => x.startsWith('CVE-') && CATALOG_ID.test(x)) ?? ids.find((x) => CATALOG_ID.test(x));
  if (id === undefined) return { problems: [{ where: file, problem: `${raw.id} has no CVE or GHSA id (aliases: ${(raw.aliases ?? []).join(', ') || 'none'}); the catalog records only those` }] };
  const packages = (raw.affected ?? []).map((a) => {
    const ranges = (a.ranges ?? []).filter((r) => r.type !== 'GIT').flatMap((r) => intervals(r.events));
    return { ecosystem: a.package.ecosystem, name: a.package.name, fixed: ranges.flatMap((r) => (r.fixed ? [r.fixed] : [])), ranges };
  });
  return { advisory: { id, ids, summary: raw.summary ?? raw.id, ...severityOf(raw), packages, file }, problems: [] };
}
