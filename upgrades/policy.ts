/**
 * The fleet-level upgrade policy (upgrades/policy.json): what "supported" means, how fast
 * security fixes must land, how young a release may be, and how rollouts are staged.
 */
import { z } from 'zod';
import { expect, schemaReference } from '../customers/schema';
import { SEVERITIES } from './catalog/schema';
import type { ValidationIssue } from '../customers/json-issues';
import { checkInput, readInput, type InputKind } from '../customers/read-input';

const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
const RINGS = [0, 1, 2, 3] as const;

const days = z.number().int().min(0).max(3650);
const weight = z.number().min(0).max(100_000);

const stage = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9 -]{1,40}$/, expect('a short lower-case stage name such as "prod ring 2"')),
    /** Environment classes this stage takes. Default: all. */
    environments: z.array(z.enum(ENVIRONMENTS)).min(1).optional(),
    /** Rollout rings this stage takes. Default: all. */
    rings: z.array(z.number().int().min(0).max(3)).min(1).optional(),
    /** Cap for this stage's waves. Default: waves.maxEnvironmentsPerWave. */
    maxEnvironmentsPerWave: z.number().int().min(1).optional(),
  })
  .strict();

export const policySchema = z
  .object({
    $schema: schemaReference.optional(),
    supportWindow: z
      .object({
        /** A release line is a major ("3.x"; "0.14.x" below 1.0) or a minor ("3.4.x"). */
        granularity: z.enum(['major', 'minor']),
        /** How many of the newest lines are supported: 2 = the latest and the preceding one. */
        lines: z.number().int().min(1).max(10),
      })
      .strict(),
    /** Days from a fix's release date until environments must run it. */
    securityDeadlineDays: z.object({ critical: days, high: days, medium: days, low: days }).strict(),
    minimumReleaseAge: z
      .object({
        days,
        /** A release carrying a security fix of one of these severities may roll out at once. */
        exemptSeverities: z.array(z.enum(SEVERITIES)).default([]),
      })
      .strict(),
    /** Whether a move to another major needs an approval in the customer file (rollout.approvedMajors). */
    majorsNeedApproval: z.boolean(),
    waves: z
      .object({
        /** Stages in the order they run; an environment joins the first stage that matches it. */
        stages: z.array(stage).min(1),
        /** The largest wave. */
        maxEnvironmentsPerWave: z.number().int().min(1),
        /** Size of each stage's first wave, its canary, which bakes before the rest of the stage. Default 25. */
        firstWaveSize: z.number().int().min(1).default(25),
        /** Each later wave of a stage is this many times the previous one, up to maxEnvironmentsPerWave. Default 2. */
        growthFactor: z.number().min(1).max(10).default(2),
        /** How many environments may start on one local day, across every stage and track (the team's capacity). Default 500. */
        environmentsPerDay: z.number().int().min(1).default(500),
        /** Days to watch a wave before the next one starts. */
        bakeDays: days,
        fastTrack: z
          .object({
            /** Environments receiving a fix of these severities roll out on the fast track. */
            severities: z.array(z.enum(SEVERITIES)),
            bakeDays: days,
          })
          .strict(),
        /** How far ahead the scheduler looks for windows before deferring. */
        horizonDays: z.number().int().min(7).max(730),
      })
      .strict(),
    score: z
      .object({
        severity: z.object({ critical: weight, high: weight, medium: weight, low: weight }).strict(),
        overdueCapDays: days,
        unsupported: weight,
        withdrawn: weight,
        bugfix: weight,
        bugfixCap: weight,
        risk: z
          .object({ patch: weight, minor: weight, major: weight, breaking: weight, migration: weight, prodFactor: z.number().min(1).max(10) })
          .strict(),
      })
      .strict(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type StagePolicy = Policy['waves']['stages'][number];

export interface PolicyResult {
  readonly policy?: Policy;
  readonly issues: ValidationIssue[];
}

function semanticIssues(file: string, policy: Policy): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const names = new Set<string>();
  policy.waves.stages.forEach((s, i) => {
    if (names.has(s.name)) issues.push({ file, path: `waves.stages.${i}.name`, expected: 'a stage name used once', got: JSON.stringify(s.name) });
    names.add(s.name);
  });
  const uncovered: string[] = [];
  for (const env of ENVIRONMENTS) {
    for (const ring of RINGS) {
      if (!policy.waves.stages.some((s) => stageMatches(s, env, ring))) uncovered.push(`${env} ring ${ring}`);
    }
  }
  if (uncovered.length > 0) {
    issues.push({
      file,
      path: 'waves.stages',
      expected: 'stages that together take every environment class and ring',
      got: `nothing takes ${uncovered.join(', ')}`,
      hint: 'add a stage for them, or widen an existing one',
    });
  }
  const w = policy.score.severity;
  if (!(w.low > 0 && w.medium > w.low && w.high > w.medium && w.critical > w.high)) {
    issues.push({
      file,
      path: 'score.severity',
      expected: 'weights rising strictly from low (above 0) to critical: each is the base of its tier',
      got: JSON.stringify(w),
      hint: 'e.g. { "critical": 4000, "high": 3000, "medium": 2000, "low": 1000 }: the gap between tiers bounds everything else in a score',
    });
  }
  if (policy.waves.fastTrack.bakeDays > policy.waves.bakeDays) {
    issues.push({
      file,
      path: 'waves.fastTrack.bakeDays',
      expected: `at most waves.bakeDays (${policy.waves.bakeDays})`,
      got: String(policy.waves.fastTrack.bakeDays),
      hint: 'the fast track exists to be faster',
    });
  }
  return issues;
}

export function stageMatches(s: StagePolicy, environment: string, ring: number): boolean {
  return (s.environments === undefined || (s.environments as readonly string[]).includes(environment)) && (s.rings === undefined || s.rings.includes(ring));
}

const POLICY_FILE: InputKind<typeof policySchema> = {
  schema: policySchema,
  schemaHint: 'upgrades/policy.ts',
  noun: 'the upgrade policy',
  secretHint: 'the policy holds no credentials: remove the value',
};

function policyResult(file: string, checked: { data?: Policy; issues: ValidationIssue[] }): PolicyResult {
  if (checked.data === undefined || checked.issues.length > 0) return { issues: checked.issues };
  const issues = semanticIssues(file, checked.data);
  return issues.length > 0 ? { issues } : { policy: checked.data, issues };
}

export function validatePolicyText(file: string, text: string | Uint8Array): PolicyResult {
  return policyResult(file, checkInput(file, text, POLICY_FILE));
}

export function loadPolicy(file: string): PolicyResult {
  const read = readInput(file, 'a readable policy file', POLICY_FILE);
  if (!read.bytes) return { issues: read.issues.map((i) => ({ ...i, hint: `${i.hint}; or pass --policy FILE` })) };
  return policyResult(file, read);
}
