/**
 * An OSV advisory's severity: the worst CVSS base score among its `severity[]` vectors, on
 * CVSS's own qualitative scale, or failing that the database's own rating. The worst, not the
 * first: a database may list a CVSS 4 vector rated lower than its CVSS 3 one, and a safety
 * rating must not depend on the order of a list.
 */
import { fromVector } from 'ae-cvss-calculator';
import type { Severity } from '../schema';

export interface RawSeverity {
  readonly id: string;
  readonly severity?: readonly { readonly type: string; readonly score: string }[];
  readonly database_specific?: { readonly severity?: string };
}

/** CVSS v3/v4 qualitative rating scale. */
function ratingOf(score: number): Severity | undefined {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return undefined;
}

const DATABASE_RATINGS: Readonly<Record<string, Severity>> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };

/**
 * The base score proper. For CVSS 4 the calculator's `base` already folds in threat metrics
 * (E:U lowers 8.7 to 6.6, the CVSS-BT score); `baseMetricsOnly` is the CVSS-B score. For CVSS 3
 * `base` leaves temporal metrics out.
 */
function baseScore(vector: string): number | undefined {
  try {
    const scores = fromVector(vector)?.calculateScores() as { base?: unknown; baseMetricsOnly?: unknown } | undefined;
    const score = typeof scores?.baseMetricsOnly === 'number' ? scores.baseMetricsOnly : scores?.base;
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
  } catch {
    // an unreadable vector: the caller falls back to the database's rating
    return undefined;
  }
}

export function severityOf(raw: RawSeverity): { severity?: Severity; severitySource?: string } {
  const scored = (raw.severity ?? [])
    .filter((s) => /^CVSS_V[34]$/.test(s.type))
    .flatMap((s) => {
      const score = baseScore(s.score);
      return score !== undefined && ratingOf(score) !== undefined ? [{ label: `${s.type.replace('_V', ' ')} base score ${score.toFixed(1)}`, score, severity: ratingOf(score)! }] : [];
    });
  if (scored.length > 0) {
    const top = scored.reduce((a, b) => (b.score > a.score ? b : a));
    const others = scored.filter((s) => s !== top).map((s) => s.label);
    const also = others.length > 0 ? ` (the worst of its ${scored.length} CVSS vectors; also ${others.join(', ')})` : '';
    return { severity: top.severity, severitySource: `${top.label}${also}` };
  }
  const rating = raw.database_specific?.severity?.toUpperCase();
  if (rating && DATABASE_RATINGS[rating]) return { severity: DATABASE_RATINGS[rating], severitySource: `${raw.id} database rating ${rating}` };
  return {};
}
