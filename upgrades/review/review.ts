/**
 * Review of one real Terraform plan: what it does per resource, what is dangerous in it, and how
 * it differs from what the stage predicted for that stack.
 */
import { basename } from 'node:path';
import { differingPaths } from '../stage/change-set';
import { assessRisks, isProtectedType, type ResourceValues } from '../stage/risk';
import type { ChangeAction, ChangeSet, ResourceChange, Risk } from '../stage/types';
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

export type FindingKind = 'protected' | 'unexpected' | 'note';

export interface Finding {
  /** protected and unexpected fail the review (exit 2); notes are for the reviewer. */
  readonly kind: FindingKind;
  readonly address: string;
  readonly message: string;
}

export type StackSource = 'option' | 'file name' | 'plan variables' | 'provider tags' | 'file name (no stack id found)';

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
}

export function actionOf(actions: readonly string[]): PlanAction {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  const single = actions[0];
  if (actions.length === 1 && (COUNTED as readonly string[]).includes(single)) return single as PlanAction;
  // A future combination (e.g. with "forget"): the most destructive part decides how it is judged.
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('forget')) return 'forget';
  return actions.includes('create') ? 'create' : 'update';
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

/** The stack id a plan names itself: a "stack" variable, or the customer and environment the provider tags every resource with. */
export function stackFromPlan(plan: PlanJson): { stack: string; source: StackSource } | undefined {
  for (const name of ['stack', 'stack_id']) {
    const v = plan.variables?.[name]?.value;
    if (typeof v === 'string' && v !== '') return { stack: v, source: 'plan variables' };
  }
  const providers = asRecord(asRecord(plan.configuration)?.provider_config) ?? {};
  for (const key of Object.keys(providers).sort()) {
    const expressions = asRecord(asRecord(providers[key])?.expressions);
    // AWS: default_tags { tags = {...} } (a block, so a list); Google: default_labels = {...}.
    const defaultTags = expressions?.default_tags;
    const tagsBlock = Array.isArray(defaultTags) ? asRecord(defaultTags[0]) : undefined;
    const tags = asRecord(asRecord(tagsBlock?.tags)?.constant_value) ?? asRecord(asRecord(expressions?.default_labels)?.constant_value);
    if (typeof tags?.customer === 'string' && typeof tags?.environment === 'string') return { stack: `${tags.customer}-${tags.environment}`, source: 'provider tags' };
  }
  return undefined;
}

/** "acme-retail-prod.plan.json" or "acme-retail-prod.json" -> "acme-retail-prod"; generic names ("plan.json", "tfplan.json") name no stack. */
export function stackFromFileName(file: string): string | undefined {
  const name = basename(file).replace(/\.plan\.json$|\.json$/i, '');
  if (name === basename(file) || name === '' || /^(tf)?plan$/i.test(name)) return undefined;
  return name;
}

/**
 * How the real changes differ from the predicted ones. Unexpected: a change the stage did not
 * predict, or a more destructive one than predicted. Notes: milder than predicted, or predicted
 * and not planned (the stage is conservative where it is uncertain).
 */
export function compareWithPrediction(resources: readonly ReviewedResource[], predicted: ChangeSet | undefined, missing: string): Finding[] {
  const findings: Finding[] = [];
  const byAddress = new Map((predicted?.changes ?? []).map((c) => [c.address, c]));
  const accounted = new Set<string>();
  for (const r of resources) {
    if (r.previousAddress && byAddress.get(r.previousAddress)?.action === 'delete') {
      // A `moved` block: the stage sees a delete of the old address and a create of the new one.
      accounted.add(r.previousAddress);
      if (byAddress.get(r.address)?.action === 'create') accounted.add(r.address);
    }
    if (r.action === 'no-op' || r.action === 'read') continue;
    const p = byAddress.get(r.address);
    if (r.action === 'forget') {
      findings.push({ kind: 'note', address: r.address, message: 'the plan removes it from the state without destroying it (forget)' });
      continue;
    }
    if (accounted.has(r.address) && r.previousAddress) {
      if (r.action !== 'update') findings.push({ kind: 'unexpected', address: r.address, message: `moved from ${r.previousAddress} and ${r.action}d, which the stage did not predict` });
      continue;
    }
    accounted.add(r.address);
    if (!p) {
      findings.push({ kind: 'unexpected', address: r.address, message: `the plan ${verb(r.action)} it; ${predicted ? 'the stage predicted no change' : missing}` });
    } else if (p.action !== r.action) {
      // Updating in place what the stage expected to replace is the safe direction.
      const milder = p.action === 'replace' && r.action === 'update';
      findings.push({
        kind: milder ? 'note' : 'unexpected',
        address: r.address,
        message: `the plan ${verb(r.action)} it; the stage predicted ${p.action}${p.uncertain ? ` (uncertain: ${p.uncertain})` : ''}`,
      });
    }
  }
  for (const p of predicted?.changes ?? []) {
    if (!accounted.has(p.address)) findings.push({ kind: 'note', address: p.address, message: `the stage predicted ${p.action}; the plan does not change it` });
  }
  return findings;
}

function verb(action: PlanAction): string {
  return { create: 'creates', update: 'updates', replace: 'replaces', delete: 'deletes', 'no-op': 'keeps', read: 'reads', forget: 'forgets' }[action];
}

const FINDING_ORDER: Readonly<Record<FindingKind, number>> = { protected: 0, unexpected: 1, note: 2 };

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

  const findings: Finding[] = risks
    .filter((risk) => risk.level === 'blocking' && isProtectedType(all.find((r) => r.address === risk.address)?.type ?? ''))
    .map((risk) => ({ kind: 'protected' as const, address: risk.address, message: risk.reason }));
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
    incomplete: plan.complete === false,
  };
}

/** Whether a review fails: a protected resource is replaced or deleted, or the plan does what the stage did not predict. */
export function failed(review: StackReview): boolean {
  return review.findings.some((f) => f.kind !== 'note');
}
