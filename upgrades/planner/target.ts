/**
 * Target selection for one component of one environment, before cross-component requirements:
 * which releases above the pin may be proposed at all (verdicts), and which of those to propose.
 */
import type { ComponentId } from '../../customers/schema';
import type { Policy } from '../policy';
import { isoOf } from './dates';
import type { MissingFixes } from './status';
import { supportOf, type SupportInfo } from './support';
import type { EnvironmentInput } from './types';
import { contains, lineLabel, type ComponentIndex, type IndexedRelease } from './versions';

/** Everything known about one pinned component before planning it. */
export interface Situation {
  readonly component: ComponentId;
  readonly ci: ComponentIndex;
  readonly current: IndexedRelease;
  readonly support: SupportInfo;
  readonly fixes: MissingFixes;
  /** Active hold, if any. */
  readonly hold?: EnvironmentInput['holds'][number];
  /** One verdict per release above the pin, ascending. */
  readonly verdicts: readonly Verdict[];
  /** For a withdrawn pin: the newest good release below it, to roll back to when nothing newer is eligible. */
  readonly rollback?: IndexedRelease;
}

export interface Verdict {
  readonly rel: IndexedRelease;
  /** Why the release cannot be proposed now; undefined when it can. */
  readonly blocked?: string;
  /** Set when the release lies beyond a major that must not be skipped: that major. */
  readonly skips?: number;
  /** True when the only objection is the minimum release age (an exempt fix may still pull it in as a prerequisite). */
  readonly tooNew?: boolean;
}

export interface TargetChoice {
  readonly target?: IndexedRelease;
  readonly why: string[];
}

function approvalHint(component: ComponentId, major: number): string {
  return `add rollout.approvedMajors {"component": "${component}", "major": ${major}, "approvedBy": ..., "ticket": ...}`;
}

/**
 * Rules, in the order they are checked: withdrawn, not yet released, beyond the first major that
 * must not be skipped, out of support, a major without approval (unless support forces it),
 * younger than the minimum release age (unless it carries an exempt security fix).
 */
export function verdicts(
  component: ComponentId,
  ci: ComponentIndex,
  current: IndexedRelease,
  currentSupport: SupportInfo,
  lines: readonly string[],
  env: EnvironmentInput,
  policy: Policy,
  today: number,
): Verdict[] {
  const stepMajors = [...ci.mustStepThroughMajors].filter((m) => m > current.major).sort((a, b) => a - b);
  const majorCap = stepMajors.length > 0 ? stepMajors[0] : Number.POSITIVE_INFINITY;
  const forced = currentSupport.state === 'unsupported';
  // A forced move needs no approval up to the lowest supported line, and no further.
  const lowest = lines[lines.length - 1];
  const lowestMajor = lowest === undefined ? Number.POSITIVE_INFINITY : Number(lowest.split('.')[0]);
  const approved = new Set(env.approvedMajors.filter((a) => a.component === component).map((a) => a.major));
  const out: Verdict[] = [];
  for (let i = current.index + 1; i < ci.releases.length; i++) {
    const rel = ci.releases[i];
    const blocked = blockedBecause(rel);
    out.push({ rel, blocked, ...(rel.major > majorCap ? { skips: majorCap } : {}), ...(blocked?.includes(' is too new: ') ? { tooNew: true } : {}) });
  }
  return out;

  function blockedBecause(rel: IndexedRelease): string | undefined {
    const name = `${component} ${rel.version}`;
    if (rel.release.withdrawn) return `${name} was withdrawn (${rel.release.withdrawnReason ?? 'no reason given'})`;
    if (rel.day > today) return `${name} is not released until ${rel.release.date}`;
    // Checked before support: "land on 3.x first" is what stops a 4.x release for a 2.x pin,
    // whether or not 4.x is still supported.
    if (rel.major > majorCap) {
      return `${name} would skip major ${majorCap}, which must not be skipped: land on ${lineLabel(String(majorCap))} first (one major step per plan)`;
    }
    const support = supportOf(rel, lines, policy, today);
    // A major that must not be skipped is a stepping stone even when out of support: landing on
    // it is the only way forward, and the next plan moves on from it.
    const stone = rel.major === majorCap && support.state === 'unsupported';
    if (support.state !== 'supported' && !stone) return `${name} is ${support.reason}`;
    if (rel.major > current.major && policy.majorsNeedApproval && !approved.has(rel.major) && !(forced && rel.major <= lowestMajor)) {
      return `${name} is a major upgrade that needs customer approval: ${approvalHint(component, rel.major)}`;
    }
    const age = today - rel.day;
    if (age < policy.minimumReleaseAge.days) {
      const severity = rel.release.severity;
      const exempt = severity !== undefined && policy.minimumReleaseAge.exemptSeverities.includes(severity);
      if (!exempt) {
        return `${name} is too new: released ${rel.release.date}, minimum age ${policy.minimumReleaseAge.days} days (eligible from ${isoOf(rel.day + policy.minimumReleaseAge.days)})`;
      }
    }
    return undefined;
  }
}

/**
 * The default target is the lowest release that fixes every known security issue and bug. When
 * some fix cannot be reached now (needs an unapproved major, is too new, ...), the newest
 * eligible release of the current major instead, so the environment gets as close as it may.
 * An unsupported or withdrawn pin always moves, at least to the lowest eligible release.
 * `ceiling` (a release index) caps the choice when requirements rule out newer releases.
 */
export function selectTarget(s: Situation, ceiling = Number.POSITIVE_INFINITY): TargetChoice {
  // The uncapped choice depends only on the pin's shared facts (verdicts), so it is memoised on them.
  if (ceiling !== Number.POSITIVE_INFINITY) return chooseTarget(s, ceiling);
  let choice = uncapped.get(s.verdicts);
  if (!choice) {
    choice = chooseTarget(s, ceiling);
    uncapped.set(s.verdicts, choice);
  }
  return choice;
}

const uncapped = new WeakMap<readonly Verdict[], TargetChoice>();

function chooseTarget(s: Situation, ceiling: number): TargetChoice {
  const eligible = s.verdicts.filter((v) => v.blocked === undefined && v.rel.index <= ceiling).map((v) => v.rel);
  if (eligible.length === 0) {
    return s.rollback && s.rollback.index <= ceiling
      ? { target: s.rollback, why: [`rollback: the pinned ${s.current.version} is withdrawn and nothing newer is eligible; back to the newest good release ${s.rollback.version}`] }
      : { why: [] };
  }
  const reachable = s.fixes.fixReleases.filter((f) => eligible.some((e) => contains(e, f)));
  const unreachable = s.fixes.fixReleases.length - reachable.length;

  let target: IndexedRelease | undefined;
  const why: string[] = [];
  const raise = (candidate: IndexedRelease | undefined, reason: string) => {
    if (candidate && (!target || candidate.index > target.index)) {
      target = candidate;
      why.push(reason);
    }
  };

  if (reachable.length > 0) {
    raise(
      eligible.find((e) => reachable.every((f) => contains(e, f))),
      unreachable === 0 ? 'lowest release that fixes every known security issue and bug' : 'lowest release that fixes every fix reachable now',
    );
  }
  if (unreachable > 0) {
    const home = s.support.state === 'supported' ? s.current.major : (target ?? eligible[0]).major;
    const inHome = eligible.filter((e) => e.major === home);
    raise(inHome[inHome.length - 1], `newest eligible ${home}.x release: ${unreachable} newer fix release(s) cannot be reached now (see deferred)`);
  }
  if (s.support.state === 'unsupported' || s.support.state === 'withdrawn') {
    raise(eligible[0], `the pinned ${s.current.version} is ${s.support.state}: lowest eligible supported release`);
  }
  // Keep only the reason for the rule that decided.
  return target ? { target, why: why.slice(-1) } : { why: [] };
}

/**
 * Fast track: the lowest eligible release that carries every missing fix of the fast-track
 * severities, and nothing for a component without one (it moves only as a prerequisite).
 */
export function selectFastTrackTarget(s: Situation, severities: readonly string[], ceiling = Number.POSITIVE_INFINITY): TargetChoice {
  const eligible = s.verdicts.filter((v) => v.blocked === undefined && v.rel.index <= ceiling).map((v) => v.rel);
  // A fix no eligible release carries (past a major that must not be skipped, say) waits for a
  // later plan; the ones reachable now still go on the fast track, and nothing beyond them.
  const urgent = s.fixes.security.filter((f) => severities.includes(f.severity) && eligible.some((e) => contains(e, f.rel)));
  if (urgent.length === 0) return { why: [] };
  const target = eligible.find((e) => urgent.every((f) => contains(e, f.rel)));
  if (!target) return { why: [] };
  const named = urgent.flatMap((f) => f.change.advisories.map((a) => a.id));
  const what = `${[...new Set(urgent.map((f) => f.severity))].join('/')} fix${urgent.length > 1 ? 'es' : ''}${named.length > 0 ? ` (${[...new Set(named)].join(', ')})` : ''}`;
  const left = s.fixes.security.filter((f) => severities.includes(f.severity)).length - urgent.length;
  const rest = left > 0 ? `; ${left} more ${severities.join('/')} fix release(s) cannot be reached now (see deferred)` : '';
  return { target, why: [`fast track: lowest release with the ${what}; nothing else rides along${rest}`] };
}

/** The newest released, supported, non-withdrawn release below a withdrawn pin. */
export function rollbackTarget(ci: ComponentIndex, current: IndexedRelease, lines: readonly string[], policy: Policy, today: number): IndexedRelease | undefined {
  if (!current.release.withdrawn) return undefined;
  for (let i = current.index - 1; i >= 0; i--) {
    const r = ci.releases[i];
    if (!r.release.withdrawn && r.day <= today && supportOf(r, lines, policy, today).state === 'supported') return r;
  }
  return undefined;
}
