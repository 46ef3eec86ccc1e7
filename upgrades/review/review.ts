/**
 * Review of one real Terraform plan: what it does per resource, what is dangerous in it, and how
 * it differs from what the stage predicted for that stack.
 */
import { differingPaths } from '../stage/change-set';
import { assessRisks, isProtectedType, type ResourceValues } from '../stage/risk';
import type { ChangeAction, ChangeSet, ResourceChange, Risk } from '../stage/types';
import { compareWithPrediction, list } from './compare';
import { destructiveUpdates } from './in-place';
import type { PlanJson, PlanResourceChange } from './plan-json';

/** A plan's action for one resource, with replace as one action as in the change-set contract. */
export type PlanAction = ChangeAction | 'no-op' | 'read' | 'forget';

/** Summary columns, in the order they are printed. */
export const COUNTED: readonly PlanAction[] = ['create', 'update', 'replace', 'delete', 'no-op', 'read', 'forget'];

export interface ReviewedResource {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
  /** The raw action list, e.g. ["create","delete"] for a create-before-destroy replace. */
  readonly actions: readonly string[];
  readonly actionReason?: string;
  /** Dotted, as in ResourceChange.paths. */
  readonly replacePaths: string[];
  /** For updates and replaces: the attribute paths that differ or become known only after apply. */
  readonly paths: string[];
  /** The part of `paths` known only after apply ("(known after apply)" in the plan). */
  readonly knownAfterApply: string[];
  readonly previousAddress?: string;
}

/**
 * protected: a data-holding resource replaced or deleted (or deleted outside Terraform);
 * destructive: an in-place update that loses data or keys; unexpected: not what the stage
 * predicted; incomplete: the plan leaves changes out. These fail the review (exit 2).
 * drift and note are for the reviewer.
 */
export type FindingKind = 'protected' | 'destructive' | 'unexpected' | 'incomplete' | 'drift' | 'note';

export const BLOCKING_KINDS: readonly FindingKind[] = ['protected', 'destructive', 'unexpected', 'incomplete'];

export interface Finding {
  readonly kind: FindingKind;
  readonly address: string;
  readonly message: string;
}

/** Where the stack id came from: "provider tags", "file name", ... */
export type StackSource = string;

export interface StackReview {
  readonly file: string;
  readonly stack: string;
  readonly stackSource: StackSource;
  readonly terraformVersion?: string;
  readonly formatVersion: string;
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Every resource the plan lists except unchanged ones that did not move; sorted by address. */
  readonly resources: ReviewedResource[];
  readonly risks: Risk[];
  readonly findings: Finding[];
  /** What the review was compared with, when given a staged plan. */
  readonly comparedWith?: string;
  /** The plan says it is partial (deferred changes); differences may be missing. */
  readonly incomplete: boolean;
  /** Changes made outside Terraform that the plan found while refreshing (resource_drift). */
  readonly drift: ReviewedResource[];
}

/**
 * The action of a known action list (plan-json refuses every other list). ["create","forget"]
 * puts a new object in place of one that is left behind unmanaged: judged as a replace.
 */
export function actionOf(actions: readonly string[]): PlanAction {
  if (actions.length === 2 && actions.includes('create') && (actions.includes('delete') || actions.includes('forget'))) return 'replace';
  const single = actions[0];
  if (actions.length === 1 && (COUNTED as readonly string[]).includes(single)) return single as PlanAction;
  throw new Error(`not an action list terraform writes: ${JSON.stringify(actions)}`);
}

function dotted(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

/** Leaf paths that are true in after_unknown: values known only after apply. */
function unknownPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (value === true) out.push(prefix);
  else if (Array.isArray(value)) value.forEach((v, i) => unknownPaths(v, prefix === '' ? String(i) : `${prefix}.${i}`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) unknownPaths(v, prefix === '' ? k : `${prefix}.${k}`, out);
  return out;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function reviewResource(rc: PlanResourceChange): ReviewedResource {
  const action = actionOf(rc.change.actions);
  let paths: string[] = [];
  let knownAfterApply: string[] = [];
  if (action === 'update' || action === 'replace') {
    knownAfterApply = unknownPaths(rc.change.after_unknown, '', []).sort();
    // An unknown value shows as null in "after"; it is listed once, from after_unknown.
    paths = [...new Set([...differingPaths(rc.change.before ?? {}, rc.change.after ?? {}), ...knownAfterApply])].filter((p) => p !== '').sort();
  }
  return {
    address: rc.address,
    type: rc.type,
    action,
    actions: rc.change.actions,
    ...(rc.action_reason ? { actionReason: rc.action_reason } : {}),
    replacePaths: (rc.change.replace_paths ?? []).map(dotted).sort(),
    paths,
    knownAfterApply,
    ...(rc.previous_address ? { previousAddress: rc.previous_address } : {}),
  };
}

const FINDING_ORDER: Readonly<Record<FindingKind, number>> = { incomplete: 0, protected: 1, destructive: 2, unexpected: 3, drift: 4, note: 5 };

function changeValues(rc: PlanResourceChange): { before: Record<string, unknown>; after: Record<string, unknown> } {
  return { before: asRecord(rc.change.before) ?? {}, after: asRecord(rc.change.after) ?? {} };
}

/**
 * Updates that lose data or keys: the plan says update, the values say destroy. Replaces are
 * judged the same way (the new object's settings against the old one's): replacing a lifecycle
 * configuration with a shorter expiration deletes objects just as updating it does.
 */
function destructiveFindings(changes: readonly PlanResourceChange[]): Finding[] {
  const judged = changes.filter((rc) => ['update', 'replace'].includes(actionOf(rc.change.actions)) || lifecycleOnExistingBucket(rc, changes));
  return judged.flatMap((rc) => destructiveUpdates({ address: rc.address, type: rc.type, ...changeValues(rc) }).map((message) => ({ kind: 'destructive' as const, address: rc.address, message })));
}

/**
 * A new S3 lifecycle configuration on a bucket that already exists (its name is known and no
 * bucket of that name is created in the plan) expires objects that were kept until now: judged
 * as an update from no rules. On a bucket created in the same plan there is nothing to lose.
 */
function lifecycleOnExistingBucket(rc: PlanResourceChange, changes: readonly PlanResourceChange[]): boolean {
  if (rc.type !== 'aws_s3_bucket_lifecycle_configuration' || actionOf(rc.change.actions) !== 'create') return false;
  const bucket = asRecord(rc.change.after)?.bucket;
  if (typeof bucket !== 'string') return false; // known after apply: the bucket is new
  return !changes.some((c) => c.type === 'aws_s3_bucket' && actionOf(c.change.actions) === 'create' && asRecord(c.change.after)?.bucket === bucket);
}

/**
 * What changed outside Terraform. A data-holding resource deleted outside Terraform is
 * protected: its data is gone and the plan would quietly create an empty one.
 */
function driftFindings(drift: readonly ReviewedResource[]): Finding[] {
  return drift.map((d): Finding => {
    if (d.action === 'delete') {
      return isProtectedType(d.type)
        ? { kind: 'protected', address: d.address, message: 'deleted outside Terraform: it and the data it held are gone; the plan would create an empty one in its place. Find out who deleted it before applying' }
        : { kind: 'drift', address: d.address, message: 'deleted outside Terraform; the plan creates it again' };
    }
    const paths = d.paths.length > 0 ? ` (${list(d.paths)})` : '';
    return { kind: 'drift', address: d.address, message: `changed outside Terraform${paths}; the plan sets the configured values again where they differ` };
  });
}

export interface ReviewOptions {
  readonly file: string;
  readonly stack: string;
  readonly stackSource: StackSource;
  /** The predicted change set, when reviewing against a staged plan; `missing` explains an absent one. */
  readonly expected?: { readonly changeSet?: ChangeSet; readonly label: string; readonly missing: string };
}

export function reviewPlan(plan: PlanJson, options: ReviewOptions): StackReview {
  const changes = plan.resource_changes ?? [];
  const all = changes.map(reviewResource);
  const counts = Object.fromEntries(COUNTED.map((a) => [a, 0])) as Record<PlanAction, number>;
  for (const r of all) counts[r.action]++;

  // Risks are judged on the real values: policy documents, CIDR ranges and members as planned.
  const values = new Map<string, ResourceValues>(changes.map((rc) => [rc.address, { before: asRecord(rc.change.before), after: asRecord(rc.change.after) }]));
  const asChanges: ResourceChange[] = all
    .filter((r): r is ReviewedResource & { action: ChangeAction } => ['create', 'update', 'replace', 'delete'].includes(r.action))
    .map((r) => ({ address: r.address, type: r.type, action: r.action, paths: r.paths, ...(r.replacePaths.length ? { replacePaths: r.replacePaths } : {}) }));
  const risks = assessRisks(asChanges, { values: (address) => values.get(address) });

  const drift = (plan.resource_drift ?? []).map(reviewResource).filter((d) => d.action !== 'no-op' && d.action !== 'read');
  const findings: Finding[] = risks
    .filter((risk) => risk.level === 'blocking' && isProtectedType(all.find((r) => r.address === risk.address)?.type ?? ''))
    .map((risk) => ({ kind: 'protected' as const, address: risk.address, message: risk.reason }));
  findings.push(...destructiveFindings(changes), ...driftFindings(drift));
  const deferred = plan.deferred_changes?.length ?? 0;
  if (plan.complete === false || deferred > 0) {
    findings.push({
      kind: 'incomplete',
      address: '(plan)',
      message: `the plan is incomplete (${plan.complete === false ? '"complete": false' : ''}${plan.complete === false && deferred > 0 ? ', ' : ''}${deferred > 0 ? `${deferred} deferred change(s)` : ''}): what it leaves out is not reviewed; resolve the unknown values (e.g. apply the prerequisite first) and plan again`,
    });
  }
  if (options.expected) findings.push(...compareWithPrediction(all, options.expected.changeSet, options.expected.missing));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  findings.sort((a, b) => FINDING_ORDER[a.kind] - FINDING_ORDER[b.kind] || cmp(a.address, b.address) || cmp(a.message, b.message));

  return {
    file: options.file,
    stack: options.stack,
    stackSource: options.stackSource,
    ...(plan.terraform_version ? { terraformVersion: plan.terraform_version } : {}),
    formatVersion: plan.format_version,
    counts,
    resources: all.filter((r) => r.action !== 'no-op' || r.previousAddress).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    risks,
    findings,
    ...(options.expected ? { comparedWith: options.expected.label } : {}),
    incomplete: plan.complete === false || deferred > 0,
    drift: drift.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
  };
}

/** Whether a review fails: any blocking finding (protected, destructive, unexpected, incomplete). */
export function failed(review: StackReview): boolean {
  return review.findings.some((f) => BLOCKING_KINDS.includes(f.kind));
}
