/**
 * OSV advisories (https://ossf.github.io/osv-schema/): which package versions an advisory
 * affects and which version fixes it, and how severe it is. Severity comes from the CVSS vector
 * (osv-severity.ts). Versions compare over all their numbers (loose-version.ts).
 */
export { looseVersion } from './loose-version';
import { z } from 'zod';
import { parseJson } from '../../../customers/json-issues';
import type { Severity } from '../schema';
import { issueText } from './json-text';
import { compareLoose, looseVersionOf, parseLooseVersion, type LooseVersion } from './loose-version';
import { severityOf } from './osv-severity';
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

type RawEvent = z.infer<typeof event>;

/**
 * OSV lists events in order: each `introduced` opens an interval that the next `fixed` or
 * `last_affected` closes. A bound that cannot be compared, or an end below its start, is refused
 * with the field that holds it: read as written it would credit a fix to a release it never
 * reached (introduced 6.10.0, fixed 6.9.0 "fixes" 6.9.0).
 */
function intervals(events: readonly RawEvent[], at: string): { ranges: AffectedRange[]; problems: string[] } {
  const ranges: AffectedRange[] = [];
  const problems: string[] = [];
  let open: { version: string; field: string } | undefined;
  const readable = (v: string, field: string): boolean => {
    if (field.endsWith('.introduced') && v === '0') return true;
    const problem = parseLooseVersion(v).problem;
    if (problem !== undefined) problems.push(`${field}: ${problem}; correct the version or leave the file out`);
    return problem === undefined;
  };
  events.forEach((e, i) => {
    const field = `${at}.events[${i}]`;
    if (e.introduced !== undefined) {
      if (!readable(e.introduced, `${field}.introduced`)) return;
      if (open !== undefined) ranges.push({ introduced: open.version });
      open = { version: e.introduced, field: `${field}.introduced` };
      return;
    }
    const key = e.fixed !== undefined ? 'fixed' : e.last_affected !== undefined ? 'last_affected' : undefined;
    if (key === undefined || open === undefined) return;
    const end = (key === 'fixed' ? e.fixed : e.last_affected)!;
    if (!readable(end, `${field}.${key}`)) return;
    const start = open.version === '0' ? undefined : looseVersionOf(open.version);
    const order = start === undefined ? 1 : compareLoose(looseVersionOf(end), start);
    // A fixed version at its own start leaves nothing affected; last_affected may equal it (one version).
    if (order < 0 || (key === 'fixed' && order === 0)) {
      problems.push(`${field}.${key}: ${JSON.stringify(end)} is ${order < 0 ? 'below' : 'equal to'} ${open.field} ${JSON.stringify(open.version)}, so the range is empty; correct the range or leave the file out`);
    } else ranges.push(key === 'fixed' ? { introduced: open.version, fixed: end } : { introduced: open.version, lastAffected: end });
    open = undefined;
  });
  if (open !== undefined) ranges.push({ introduced: open.version });
  return { ranges, problems };
}

const START: LooseVersion = { parts: [0] };
const bound = (v: string): LooseVersion => (v === '0' ? START : looseVersionOf(v));

/** Whether a version of the package lies inside one of the advisory's affected intervals; an unreadable version counts as affected. */
export function isAffected(pkg: AffectedPackage, version: string): boolean {
  const v = parseLooseVersion(version).version;
  if (v === undefined) return true;
  return pkg.ranges.some((r) => {
    if (compareLoose(v, bound(r.introduced)) < 0) return false;
    if (r.fixed !== undefined) return compareLoose(v, bound(r.fixed)) < 0;
    if (r.lastAffected !== undefined) return compareLoose(v, bound(r.lastAffected)) <= 0;
    return true;
  });
}

/** A version fixes the advisory for the package when it is past an interval's end (`fixed`, or above `last_affected`) and no interval still contains it. */
export function isFixedIn(pkg: AffectedPackage, version: string): boolean {
  const v = parseLooseVersion(version).version;
  if (v === undefined || isAffected(pkg, version)) return false;
  return pkg.ranges.some((r) => {
    if (r.fixed !== undefined) return compareLoose(v, bound(r.fixed)) >= 0;
    if (r.lastAffected !== undefined) return compareLoose(v, bound(r.lastAffected)) > 0;
    return false;
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
  const problems: SourceProblem[] = [];
  const packages = (raw.affected ?? []).map((a, i) => {
    // GIT ranges hold commit hashes, which say nothing about release numbers.
    const read = (a.ranges ?? []).flatMap((r, j) => (r.type === 'GIT' ? [] : [intervals(r.events, `affected[${i}].ranges[${j}]`)]));
    problems.push(...read.flatMap((r) => r.problems.map((problem) => ({ where: file, problem: `${raw.id} ${problem}` }))));
    const ranges = read.flatMap((r) => r.ranges);
    return { ecosystem: a.package.ecosystem, name: a.package.name, fixed: ranges.flatMap((r) => (r.fixed ? [r.fixed] : [])), ranges };
  });
  if (problems.length > 0) return { problems };
  return { advisory: { id, ids, summary: raw.summary ?? raw.id, ...severityOf(raw), packages, file }, problems: [] };
}
