/**
 * OSV advisories (https://ossf.github.io/osv-schema/): which package versions an advisory
 * affects and which version fixes it, and how severe it is. Severity comes from the CVSS vector
 * (base score, on CVSS's own qualitative scale) or, failing that, the database's own rating.
 */
import { fromVector } from 'ae-cvss-calculator';
import { z } from 'zod';
import { parseJson } from '../../../customers/json-issues';
import type { Severity } from '../schema';
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

export interface Advisory {
  /** CVE id when the advisory has one (the catalog prefers CVE ids), else the OSV id. */
  readonly id: string;
  readonly ids: readonly string[];
  readonly summary: string;
  readonly severity?: Severity;
  /** How the severity was found, e.g. "CVSS 3.1 base score 10.0". */
  readonly severitySource?: string;
  /** Affected packages: name and the first versions that fix it. */
  readonly packages: readonly { readonly ecosystem: string; readonly name: string; readonly fixed: readonly string[] }[];
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

export function parseOsv(file: string, text: string): { advisory?: Advisory; problems: SourceProblem[] } {
  const parsed = parseJson(file, text);
  if (parsed.raw === undefined) return { problems: parsed.issues.map((i) => ({ where: file, problem: `${i.expected}: ${i.got}` })) };
  const r = osvSchema.safeParse(parsed.raw);
  if (!r.success) return { problems: [{ where: file, problem: `not an OSV advisory: ${r.error.issues.map((x) => `${x.path.join('.') || '(root)'} ${x.message}`).join('; ')}` }] };
  const raw = r.data;
  if (raw.withdrawn !== undefined) return { problems: [{ where: file, problem: `${raw.id} was withdrawn on ${raw.withdrawn}; leave it out` }] };
  const ids = [raw.id, ...(raw.aliases ?? [])];
  const id = ids.find((x) => x.startsWith('CVE-') && CATALOG_ID.test(x)) ?? ids.find((x) => CATALOG_ID.test(x));
  if (id === undefined) return { problems: [{ where: file, problem: `${raw.id} has no CVE or GHSA id (aliases: ${(raw.aliases ?? []).join(', ') || 'none'}); the catalog records only those` }] };
  const packages = (raw.affected ?? []).map((a) => ({
    ecosystem: a.package.ecosystem,
    name: a.package.name,
    fixed: (a.ranges ?? []).flatMap((range) => range.events.map((e) => e.fixed).filter((f): f is string => f !== undefined)),
  }));
  return { advisory: { id, ids, summary: raw.summary ?? raw.id, ...severityOf(raw), packages, file }, problems: [] };
}
