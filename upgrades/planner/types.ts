/**
 * The planner's input model and the plan it returns. The plan is also the JSON contract that CI
 * and other tools read (see upgrades/README-section.md): fields may be added, never removed.
 */
import type { ComponentId } from '../../customers/schema';
import type { Feature, Severity } from '../catalog/schema';

export type EnvironmentClass = 'prod' | 'staging' | 'dev';
export type DayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** The parts of a customer environment the planner needs; see environmentFromSpec. */
export interface EnvironmentInput {
  readonly stack: string;
  readonly customer: string;
  readonly environment: EnvironmentClass;
  /** 0 = canary/internal, then 1..3. */
  readonly ring: number;
  readonly timezone: string;
  readonly windows: readonly { readonly days: readonly DayName[]; readonly start: string; readonly durationHours: number }[];
  /** Inclusive local dates. */
  readonly freezes: readonly { readonly start: string; readonly end: string; readonly reason: string }[];
  readonly holds: readonly { readonly component: ComponentId; readonly reason: string; readonly until?: string }[];
  readonly approvedMajors: readonly { readonly component: ComponentId; readonly major: number; readonly approvedBy: string; readonly ticket: string }[];
  readonly pins: readonly { readonly component: ComponentId; readonly version: string }[];
  /** Features the customer file enables; conditional requirements apply only for these. Default: none. */
  readonly features?: readonly Feature[];
  /** Problems with the pins found while reading the file (e.g. no runtime contract): the environment is unknown. Default: none. */
  readonly pinProblems?: readonly string[];
}

export interface ScoreBreakdown {
  readonly security: number;
  readonly overdue: number;
  readonly support: number;
  readonly bugfixes: number;
  readonly risk: number;
}

export interface PlannedChange {
  readonly component: ComponentId;
  readonly from: string;
  readonly to: string;
  readonly score: number;
  readonly scoreBreakdown: ScoreBreakdown;
  /** Highest severity among the security fixes this change brings, if any. */
  readonly severity: Severity | null;
  readonly reasons: string[];
}

export interface PlannedEnvironment {
  readonly stack: string;
  readonly customer: string;
  readonly environment: EnvironmentClass;
  readonly ring: number;
  /** Highest change score: the order environments are taken in within a stage. */
  readonly priority: number;
  readonly window: { readonly start: string; readonly end: string; readonly local: string };
  readonly notes: string[];
  /** In the order they are applied: prerequisites first. */
  readonly changes: PlannedChange[];
}

export interface PlanWave {
  readonly number: number;
  readonly name: string;
  readonly stage: string;
  /** The local date on which every member's window opens. */
  readonly start: string;
  readonly fastTrack: boolean;
  /** Days to watch this wave before the next one of its track starts. */
  readonly bakeDays: number;
  readonly environments: PlannedEnvironment[];
}

export interface DeferredItem {
  readonly stack: string;
  readonly component: ComponentId;
  readonly from: string;
  /** The version that would have been proposed, where there is one. */
  readonly to: string | null;
  readonly reason: string;
}

export interface MissingSecurityFix {
  readonly version: string;
  readonly released: string;
  readonly severity: Severity;
  readonly advisories: string[];
  readonly summary: string;
  readonly deadline: string;
  /** 0 while the deadline is today or ahead. */
  readonly daysOverdue: number;
}

export type SupportState = 'supported' | 'unsupported' | 'withdrawn' | 'unknown';

export interface ComponentStatus {
  readonly stack: string;
  readonly customer: string;
  readonly environment: EnvironmentClass;
  readonly component: ComponentId;
  readonly version: string;
  readonly latest: string | null;
  readonly support: SupportState;
  readonly supportReason: string;
  readonly missingSecurityFixes: MissingSecurityFix[];
  readonly missingBugFixes: { readonly version: string; readonly summary: string }[];
  /** What the plan does about it: upgrade, deferred, partial (upgrade plus a deferred remainder) or none. */
  readonly decision: 'upgrade' | 'partial' | 'deferred' | 'none';
  readonly target: string | null;
}

export interface RankedChange {
  readonly rank: number;
  readonly stack: string;
  readonly component: ComponentId;
  readonly from: string;
  readonly to: string;
  readonly score: number;
  readonly wave: number;
}

/** A critical or high fix that a freeze or hold makes miss its deadline: a person decides. */
export interface ApprovalNeeded {
  readonly stack: string;
  readonly component: ComponentId;
  /** The version that brings the fix (the planned target, or the fix's release for a held component). */
  readonly to: string;
  /** The fix's first advisory id, where the catalog names one. */
  readonly advisory: string | null;
  readonly severity: Severity;
  readonly deadline: string;
  readonly blockedBy: 'freeze' | 'hold';
  /** The window it would get if approved (ISO instant); null when there is none in the horizon. */
  readonly earliestSlot: string | null;
  readonly reason: string;
}

/** An environment left out of the plan because a pin cannot be placed in the catalog. */
export interface UnknownEnvironment {
  readonly stack: string;
  readonly customer: string;
  readonly environment: EnvironmentClass;
  readonly reasons: string[];
}

export interface UpgradePlan {
  readonly generatedFor: string;
  readonly summary: {
    readonly environments: number;
    readonly environmentsWithChanges: number;
    readonly changes: number;
    readonly waves: number;
    readonly deferred: number;
    readonly missingSecurityFixes: number;
    readonly overdueSecurityFixes: number;
    readonly unsupported: number;
    /** Critical or high fixes waiting for an approval to break a freeze or hold. */
    readonly approvalsNeeded: number;
    /** Environments not planned because of an unknown or prerelease pin. */
    readonly unknownEnvironments: number;
  };
  /** Decisions a person must take for fixes to meet their deadlines; see ApprovalNeeded. */
  readonly approvalsNeeded: ApprovalNeeded[];
  readonly waves: PlanWave[];
  /** Environments with a pin the catalog cannot place, and why; everyone else is planned. */
  readonly unknown: UnknownEnvironment[];
  readonly deferred: DeferredItem[];
  readonly statuses: ComponentStatus[];
  readonly ranking: RankedChange[];
}
