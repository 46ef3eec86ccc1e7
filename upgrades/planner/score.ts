/**
 * The score that ranks every proposed change across the fleet. It is a plain sum so a reviewer
 * can redo it by hand from the breakdown printed with each change:
 *
 *   score = security + overdue + support + bugfixes - risk
 *   security = sum of severity weights of the security fixes the change brings
 *   overdue  = days the most overdue of those fixes is past its deadline, capped
 *   support  = weight when the pinned version is unsupported (or withdrawn)
 *   bugfixes = weight per bug fix brought, capped
 *   risk     = (semver distance weight + breaking changes x weight + migration notes x weight)
 *              x prodFactor for production environments
 */
import type { Policy } from '../policy';
import type { BugFix, SecurityFix } from './status';
import type { SupportInfo } from './support';
import type { EnvironmentClass, ScoreBreakdown } from './types';
import type { ComponentIndex, IndexedRelease } from './versions';

export interface ScoredChange {
  readonly score: number;
  readonly breakdown: ScoreBreakdown;
  readonly explanation: string;
}

export function scoreChange(
  ci: ComponentIndex,
  from: IndexedRelease,
  to: IndexedRelease,
  security: readonly SecurityFix[],
  bugs: readonly BugFix[],
  support: SupportInfo,
  environment: EnvironmentClass,
  policy: Policy,
): ScoredChange {
  const w = policy.score;
  const securityPoints = security.reduce((sum, f) => sum + w.severity[f.severity], 0);
  const overdue = Math.min(w.overdueCapDays, security.reduce((max, f) => Math.max(max, f.daysOverdue), 0));
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

  const score = Math.round(securityPoints + overdue + supportPoints + bugfixes - risk);
  const riskParts = [`${distance} ${w.risk[distance]}`];
  if (breaking > 0) riskParts.push(`${breaking} breaking x ${w.risk.breaking}`);
  if (migrations > 0) riskParts.push(`${migrations} migration x ${w.risk.migration}`);
  const riskText = `${riskParts.join(' + ')}${prod ? ` x ${w.risk.prodFactor} prod` : ''}`;
  return {
    score,
    breakdown: { security: securityPoints, overdue, support: supportPoints, bugfixes, risk },
    explanation: `score ${score} = security ${securityPoints} + overdue ${overdue} + support ${supportPoints} + bug fixes ${bugfixes} - risk ${risk} (${riskText})`,
  };
}
