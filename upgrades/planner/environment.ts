/**
 * Plans one environment: status of every pinned component, targets, requirements, the ordered
 * list of changes with scores and reasons, and what is deferred and why. No scheduling here.
 */
import { COMPONENT_IDS, type ComponentId } from '../../customers/schema';
import type { Policy } from '../policy';
import { dayStart, isoOf } from './dates';
import { resolveRequirements, type Blocked } from './requirements';
import { scoreChange, type ScoredChange } from './score';
import {
  describeFixes,
  describeSecurityFix,
  highestSeverity,
  SEVERITY_RANK,
  missingFixes,
  toMissingSecurityFix,
  type BugFix,
  type MissingFixes,
  type SecurityFix,
} from './status';
import { supportOf, type SupportInfo } from './support';
import { rollbackTarget, selectFastTrackTarget, verdicts, type Situation, type Verdict } from './target';
import type { ComponentStatus, DeferredItem, EnvironmentInput, PlannedChange } from './types';
import { contains, lineLabel, type CatalogIndex, type ComponentIndex, type IndexedRelease } from './versions';

export interface ChangeDraft extends PlannedChange {
  /** Security fixes this change brings whose deadline has not passed yet. */
  readonly dueFixes: readonly SecurityFix[];
  readonly bringsSeverities: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface EnvironmentDraft {
  readonly env: EnvironmentInput;
  readonly changes: ChangeDraft[];
  readonly deferred: DeferredItem[];
  /** Why the environment cannot be planned (unknown or prerelease pins); empty when it can. */
  readonly unknown: readonly string[];
  /** Final status objects; the caller fills in decision and target once waves are known. */
  readonly statuses: Mutable<ComponentStatus>[];
  /** Components kept below a release because a prerequisite of it is held: that prerequisite, by component. */
  readonly heldPrerequisites: ReadonlyMap<ComponentId, ComponentId>;
}

const MAX_FIX_LINES = 5;
const NO_HELD: ReadonlyMap<ComponentId, ComponentId> = new Map();

/** What depends only on the component, the pinned version and the approvals for it. */
interface PinFacts {
  readonly support: SupportInfo;
  readonly fixes: MissingFixes;
  readonly verdicts: readonly Verdict[];
  readonly rollback?: IndexedRelease;
  readonly missingSecurityFixes: ComponentStatus['missingSecurityFixes'];
  readonly missingBugFixes: ComponentStatus['missingBugFixes'];
}

/**
 * Shared across the environments of one plan: a fleet has thousands of environments but only a
 * few dozen distinct pins, so computing these once per pin keeps large fleets fast. The objects
 * are never mutated after they are made. Each is filed under a path of keys (`cached`).
 */
export interface PlanCache {
  /** PinFacts by component, version and approvals. */
  readonly pins: KeyTree;
  /** Change drafts are immutable, so environments with the same pins and choices share them. */
  readonly changes: KeyTree;
  readonly deferrals: KeyTree;
}

type KeyTree = Map<unknown, unknown>;

export function newPlanCache(): PlanCache {
  return { pins: new Map(), changes: new Map(), deferrals: new Map() };
}

/**
 * The value filed under `keys` in nested maps, made and filed on first use. A few short keys
 * and objects hash faster than one long string key built per environment and component, which
 * was most of planning an environment.
 */
function cached<V>(tree: KeyTree, keys: readonly unknown[], make: () => V): V {
  let node = tree;
  for (let i = 0; i < keys.length - 1; i++) {
    let next = node.get(keys[i]) as KeyTree | undefined;
    if (next === undefined) node.set(keys[i], (next = new Map()));
    node = next;
  }
  const last = keys[keys.length - 1];
  if (node.has(last)) return node.get(last) as V;
  const value = make();
  node.set(last, value);
  return value;
}

/** The approvals of a component with who approved them, as one key ("" for none). */
function approvalsKey(env: EnvironmentInput, component: ComponentId): string {
  if (env.approvedMajors.length === 0) return '';
  return env.approvedMajors
    .filter((a) => a.component === component)
    .map((a) => `${a.major}/${a.approvedBy}/${a.ticket}`)
    .join(',');
}

function activeHold(env: EnvironmentInput, component: ComponentId, today: number) {
  if (env.holds.length === 0) return undefined;
  const todayIso = isoOf(today);
  return env.holds.find((h) => h.component === component && (h.until === undefined || todayIso <= h.until));
}

export function planEnvironment(
  env: EnvironmentInput,
  index: CatalogIndex,
  lines: ReadonlyMap<ComponentId, readonly string[]>,
  policy: Policy,
  today: number,
  cache: PlanCache = newPlanCache(),
  /** Fast-track severities: plan only the minimal change for them. Default: a full plan. */
  fastTrack?: readonly string[],
): EnvironmentDraft {
  const situations = new Map<ComponentId, Situation>();
  const factsOf = new Map<ComponentId, PinFacts>();
  const statuses: EnvironmentDraft['statuses'] = [];
  const deferred: DeferredItem[] = [];
  const unknown: string[] = [...(env.pinProblems ?? [])];
  const pins = [...env.pins].sort((a, b) => COMPONENT_IDS.indexOf(a.component) - COMPONENT_IDS.indexOf(b.component));

  for (const pin of pins) {
    const ci = index.get(pin.component);
    const current = ci?.byVersion.get(pin.version);
    if (!ci || !current) {
      const reason = unknownPinReason(pin.component, pin.version, ci);
      unknown.push(reason);
      statuses.push({
        stack: env.stack,
        customer: env.customer,
        environment: env.environment,
        component: pin.component,
        version: pin.version,
        latest: ci ? latestOf(ci, today) : null,
        support: 'unknown',
        supportReason: `unknown: ${reason}`,
        missingSecurityFixes: [],
        missingBugFixes: [],
        decision: 'deferred',
        target: null,
      });
      deferred.push({ stack: env.stack, component: pin.component, from: pin.version, to: null, reason: `${reason}: run "fleet validate" and fix the pin or the catalog` });
      continue;
    }
    const facts = cached(cache.pins, [pin.component, pin.version, approvalsKey(env, pin.component)], (): PinFacts => {
      const componentLines = lines.get(pin.component) ?? [];
      const support = supportOf(current, componentLines, policy, today);
      const fixes = missingFixes(ci, current, policy, today);
      return {
        support,
        fixes,
        verdicts: verdicts(pin.component, ci, current, support, componentLines, env, policy, today),
        rollback: rollbackTarget(ci, current, componentLines, policy, today),
        missingSecurityFixes: fixes.security.map(toMissingSecurityFix),
        missingBugFixes: fixes.bugs.map((b) => ({ version: b.rel.version, summary: b.change.summary })),
      };
    });
    factsOf.set(pin.component, facts);
    situations.set(pin.component, {
      component: pin.component,
      ci,
      current,
      support: facts.support,
      fixes: facts.fixes,
      hold: activeHold(env, pin.component, today),
      verdicts: facts.verdicts,
      rollback: facts.rollback,
    });
    // Spelled out rather than spread: spreading into a literal is slow enough to show at fleet scale.
    statuses.push({
      stack: env.stack,
      customer: env.customer,
      environment: env.environment,
      component: pin.component,
      version: pin.version,
      latest: latestOf(ci, today),
      support: facts.support.state,
      supportReason: facts.support.reason,
      missingSecurityFixes: facts.missingSecurityFixes,
      missingBugFixes: facts.missingBugFixes,
      decision: 'none',
      target: null,
    });
  }

  const resolution = resolveRequirements(
    situations,
    env.features ?? [],
    policy.minimumReleaseAge.exemptSeverities,
    fastTrack ? (s, ceiling) => selectFastTrackTarget(s, fastTrack, ceiling) : undefined,
  );
  const changes: ChangeDraft[] = resolution.order.map((component) => {
    const s = situations.get(component)!;
    const to = resolution.targets.get(component)!;
    const decided = resolution.reasons.get(component) ?? [];
    const key = [factsOf.get(component), to, env.environment, approvalsKey(env, component), decided.length === 0 ? '' : decided.join('\u0001')];
    return cached(cache.changes, key, () => changeDraft(s, to, decided, env, policy, today));
  });

  for (const [component, s] of situations) {
    const target = resolution.targets.get(component);
    const blocked = resolution.blocked.get(component);
    const unmet = resolution.unmet.get(component);
    const key = [factsOf.get(component), target, blocked?.wanted, blocked?.reason, unmet, s.hold?.reason, s.hold?.until];
    const reason = cached(cache.deferrals, key, () => deferralReason(s, target, blocked, unmet));
    if (reason) deferred.push({ stack: env.stack, component, from: s.current.version, to: reason.to, reason: reason.text });
  }
  if (unknown.length > 0) {
    // Planning the rest of an environment around a pin nobody can place would guess at its
    // requirements and fixes: the environment waits as a whole, and says what would have moved.
    const why = `not planned: the environment is unknown (${unknown.join('; ')})`;
    for (const c of changes) deferred.push({ stack: env.stack, component: c.component, from: c.from, to: c.to, reason: why });
    return { env, changes: [], deferred, statuses, unknown, heldPrerequisites: NO_HELD };
  }
  const heldPrerequisites = new Map<ComponentId, ComponentId>();
  for (const [component, b] of resolution.blocked) if (b.heldBy) heldPrerequisites.set(component, b.heldBy);
  return { env, changes, deferred, statuses, unknown, heldPrerequisites: heldPrerequisites.size > 0 ? heldPrerequisites : NO_HELD };
}

/** Why a pinned version cannot be planned: a prerelease, or a version the catalog does not list. */
function unknownPinReason(component: ComponentId, version: string, ci: ComponentIndex | undefined): string {
  if (!ci) return `${component} has no release catalog file`;
  if (/^\d+\.\d+\.\d+-/.test(version)) return `${component} ${version} is a prerelease; prereleases never enter the fleet`;
  return `${component} ${version} is not in the release catalog`;
}

const latestCache = new WeakMap<ComponentIndex, { today: number; version: string | null }>();

/** The newest released, non-withdrawn version of a component. */
function latestOf(ci: ComponentIndex, today: number): string | null {
  const hit = latestCache.get(ci);
  if (hit && hit.today === today) return hit.version;
  const released = ci.releases.filter((r) => r.day <= today && !r.release.withdrawn);
  const version = released.length > 0 ? released[released.length - 1].version : null;
  latestCache.set(ci, { today, version });
  return version;
}

function changeDraft(s: Situation, to: IndexedRelease, decided: readonly string[], env: EnvironmentInput, policy: Policy, today: number): ChangeDraft {
  const security = s.fixes.security.filter((f) => contains(to, f.rel));
  const bugs = s.fixes.bugs.filter((b) => contains(to, b.rel));
  const scored = scoreChange(s.ci, s.current, to, security, bugs, s.support, env.environment, policy, today);
  return {
    component: s.component,
    from: s.current.version,
    to: to.version,
    score: scored.score,
    scoreBreakdown: scored.breakdown,
    severity: highestSeverity(security),
    reasons: changeReasons(s, to, security, bugs, decided, scored, env),
    dueFixes: security.filter((f) => f.daysOverdue === 0 && f.deadlineDay >= today),
    bringsSeverities: [...new Set(security.map((f) => f.severity))],
  };
}

function changeReasons(
  s: Situation,
  to: IndexedRelease,
  security: readonly SecurityFix[],
  bugs: readonly BugFix[],
  decided: readonly string[],
  scored: ScoredChange,
  env: EnvironmentInput,
): string[] {
  const reasons: string[] = [];
  // The worst fix leads: highest severity, then the latest against its deadline.
  const sorted = [...security].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.deadlineDay - b.deadlineDay || a.rel.index - b.rel.index);
  const shown = sorted.slice(0, MAX_FIX_LINES);
  if (shown.length > 0) reasons.push(`security fix ${describeSecurityFix(shown[0])}: ${shown[0].change.summary}`);
  if (s.support.state !== 'supported') reasons.push(s.support.reason);
  for (const f of shown.slice(1)) reasons.push(`security fix ${describeSecurityFix(f)}: ${f.change.summary}`);
  if (sorted.length > MAX_FIX_LINES) reasons.push(`and ${sorted.length - MAX_FIX_LINES} more security fixes`);
  if (bugs.length > 0) reasons.push(`bug fixes in ${[...new Set(bugs.map((b) => b.rel.version))].join(', ')}`);
  reasons.push(...decided);
  if (to.major > s.current.major) {
    const approval = env.approvedMajors.find((a) => a.component === s.component && a.major === to.major);
    reasons.push(
      approval
        ? `major ${to.major} approved by ${approval.approvedBy} (${approval.ticket})`
        : `major ${to.major} without approval: the pinned line is out of support`,
    );
  }
  const skipped = s.verdicts.find((v) => v.rel.index > to.index && v.blocked?.includes('must not be skipped'));
  if (skipped) reasons.push(`stops at ${to.major}.x: major ${to.major} must not be skipped; a later plan continues from here`);
  for (let i = s.current.index + 1; i <= to.index; i++) {
    const r = s.ci.releases[i];
    if (r.release.kinds.includes('breaking')) reasons.push(`breaking (${r.version}): ${r.release.summary}`);
    for (const m of r.release.migration) reasons.push(`migration (${r.version}): ${m}`);
  }
  reasons.push(scored.explanation);
  return reasons;
}

/** Why fixes (or a move off an unsupported pin) are left out, and what the remainder would be. */
function deferralReason(
  s: Situation,
  target: IndexedRelease | undefined,
  blocked: Blocked | undefined,
  unmet: string | undefined,
): { text: string; to: string | null } | undefined {
  const planned = target ?? s.current;
  const security = s.fixes.security.filter((f) => !contains(planned, f.rel));
  const bugs = s.fixes.bugs.filter((b) => !contains(planned, b.rel));
  const stuckUnsupported = !target && s.support.state !== 'supported';
  if (unmet) return { text: `requirement unmet: ${unmet}`, to: null };
  if (security.length === 0 && bugs.length === 0 && !stuckUnsupported) return undefined;

  const lastFix = [...security.map((f) => f.rel), ...bugs.map((b) => b.rel)].reduce<IndexedRelease | undefined>(
    (max, r) => (!max || r.index > max.index ? r : max),
    undefined,
  );
  const wanted = lastFix ? s.ci.releases.slice(lastFix.index).find((r) => !r.release.withdrawn) : s.verdicts.find((v) => !v.rel.release.withdrawn)?.rel;
  const left = describeFixes(security, bugs);
  const leaves = left ? `; leaves ${left}` : '';
  const prefix = stuckUnsupported ? `${s.support.reason}; ` : '';

  if (s.hold) {
    return { text: `${prefix}held${s.hold.until ? ` until ${s.hold.until}` : ''}: ${s.hold.reason}${leaves}`, to: wanted?.version ?? null };
  }
  if (blocked && blocked.wanted.index > planned.index) return { text: `${prefix}${blocked.reason}${leaves}`, to: blocked.wanted.version };
  const firstNeeded = security.length + bugs.length > 0 ? Math.min(...security.map((f) => f.rel.index), ...bugs.map((b) => b.rel.index)) : planned.index + 1;
  const verdict = s.verdicts.find((v) => v.rel.index >= firstNeeded && v.blocked !== undefined && !v.rel.release.withdrawn);
  let why = verdict?.blocked ?? (wanted ? `no eligible release reaches ${wanted.version}` : 'no newer non-withdrawn release in the catalog');
  if (verdict?.skips !== undefined) {
    // The fix lies past a major that must be landed on; say why that stepping stone is no good either.
    const stones = s.verdicts.filter((v) => v.rel.major === verdict.skips && !v.rel.release.withdrawn);
    if (stones.length === 0) {
      why += `; but every ${lineLabel(String(verdict.skips))} release is withdrawn: a manual migration is needed`;
    } else if (stones.every((v) => v.blocked !== undefined)) {
      why += `; and the stepping stone ${stones[stones.length - 1].blocked}: a manual migration is needed`;
    }
  }
  return { text: `${prefix}not now: ${why}${leaves}`, to: wanted?.version ?? null };
}

/** End of the deadline day (UTC) as an instant. */
export function deadlineInstant(f: SecurityFix): number {
  return dayStart(f.deadlineDay + 1) - 1;
}
