/**
 * The score that ranks every proposed change across the fleet. Security comes first: the worst
 * severity a change fixes picks its tier, and nothing inside a tier can lift a change into the
 * next one, so a critical fix outranks any high and a high any medium, however late. Within a
 * tier, lateness orders (the worst fix's days past its deadline, negative while days are left),
 * then support, bug fixes and risk. A plain sum a reviewer can redo from the breakdown:
 *
 *   score    = security + within
 *   security = policy weight of the worst severity brought (critical 4000, high 3000, medium 2000, low 1000; none 0)
 *   within   = lateness + support + bugfixes - risk, clamped to +-(half the smallest gap between tiers)
 *   lateness = days the worst-severity fix is past its deadline (negative: days left), capped at +-overdueCapDays
 *   support  = weight when the pinned version is unsupported (or withdrawn)
 *   bugfixes = weight per bug fix brought, capped
 *   risk     = (semver distance weight + breaking releases x weight + migration notes x weight)
 *              x prodFactor for production environments
 */
import type { Severity } from '../catalog/schema';
import { SEVERITIES } from '../catalog/schema';
import type { Policy } from '../policy';
import { highestSeverity, type BugFix, type SecurityFix } from './status';
import type { SupportInfo } from './support';
import type { EnvironmentClass, ScoreBreakdown } from './types';
import type { ComponentIndex, IndexedRelease } from './versions';

export interface ScoredChange {
  readonly score: number;
  readonly breakdown: ScoreBreakdown;
  readonly explanation: string;
}

/** How far the part of a score after the severity tier may move: never across a tier. */
export function withinTierBound(policy: Policy): number {
  const w = policy.score.severity;
  const tiers = [0, ...[...SEVERITIES].reverse().map((s: Severity) => w[s])];
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < tiers.length; i++) gap = Math.min(gap, tiers[i] - tiers[i - 1]);
  return Math.max(0, Math.floor((gap - 1) / 2));
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function scoreChange(
  ci: ComponentIndex,
  from: IndexedRelease,
  to: IndexedRelease,
  security: readonly SecurityFix[],
  bugs: readonly BugFix[],
  support: SupportInfo,
  environment: EnvironmentClass,
  policy: Policy,
  today: number,
): ScoredChange {
  const w = policy.score;
  const worst = highestSeverity(security);
  const securityPoints = worst ? w.severity[worst] : 0;
  const lateDays = worst ? Math.max(...security.filter((f) => f.severity === worst).map((f) => today - f.deadlineDay)) : 0;
  const lateness = clamp(lateDays, -w.overdueCapDays, w.overdueCapDays);
  const supportPoints = support.state === 'withdrawn' ? w.withdrawn : support.state === 'unsupported' ? w.unsupported : 0;
  const bugfixes = Math.min(w.bugfixCap, bugs.length * w.bugfix);

  const distance = from.majorLine !== to.majorLine ? 'major' : from.minorLine !== to.minorLine ? 'minor' : 'patch';
  let breaking = 0;
  let migrations = 0;
  for (let i = from.index + 1; i <= to.index; i++) {
    const r = ci.releases[i].release;
    if (r.kinds.includes('breaking')) breaking++;
    migrations += r.migration.length;
  }
  const prod = environment === 'prod';
  const rawRisk = w.risk[distance] + breaking * w.risk.breaking + migrations * w.risk.migration;
  const risk = Math.round(rawRisk * (prod ? w.risk.prodFactor : 1));

  const bound = withinTierBound(policy);
  const rawWithin = Math.round(lateness + supportPoints + bugfixes - risk);
  const within = clamp(rawWithin, -bound, bound);
  const score = securityPoints + within;
  const riskParts = [`${distance} ${w.risk[distance]}`];
  if (breaking > 0) riskParts.push(`${breaking} breaking x ${w.risk.breaking}`);
  if (migrations > 0) riskParts.push(`${migrations} migration x ${w.risk.migration}`);
  const riskText = `${riskParts.join(' + ')}${prod ? ` x ${w.risk.prodFactor} prod` : ''}`;
  const tierText = worst ? ` (${worst})` : '';
  const clamped = within !== rawWithin ? `; ${rawWithin} kept within the tier as ${within}` : '';
  return {
    score,
    breakdown: { security: securityPoints, overdue: lateness, support: supportPoints, bugfixes, risk },
    explanation: `score ${score} = security ${securityPoints}${tierText} + lateness ${lateness} + support ${supportPoints} + bug fixes ${bugfixes} - risk ${risk} (${riskText})${clamped}`,
  };
}
