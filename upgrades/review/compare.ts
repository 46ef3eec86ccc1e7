/**
 * How a real plan differs from the stage's prediction for its stack: resource by resource
 * (action) and attribute by attribute (paths).
 */
import type { ChangeSet, ResourceChange } from '../stage/types';
import type { Finding, PlanAction, ReviewedResource } from './review';

/**
 * Attributes the provider derives from another one: a change to `tags` shows in `tags_all`
 * too, a change to `labels` in `terraform_labels` and `effective_labels`.
 */
const DERIVED: Readonly<Record<string, string>> = { tags_all: 'tags', terraform_labels: 'labels', effective_labels: 'labels' };

/**
 * A path as both sides can spell it: synthesized JSON writes a one-item block as an object
 * (`iam_instance_profile.name`), plan JSON as a list (`iam_instance_profile.0.name`), so list
 * indexes are dropped; derived attributes are read as the one they come from.
 */
function comparable(path: string): string[] {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  if (segments.length > 0 && DERIVED[segments[0]]) segments[0] = DERIVED[segments[0]];
  return segments;
}

function covers(predicted: readonly string[], path: string): boolean {
  const p = comparable(path);
  return predicted.some((q) => {
    const c = comparable(q);
    const n = Math.min(c.length, p.length);
    return c.slice(0, n).every((s, i) => s === p[i]);
  });
}

/**
 * The attribute paths of a real update or replace that the stage did not predict: `known`
 * (values the plan states, e.g. an instance profile swapped) fail the review; `unknown` (values
 * known only after apply, which the plan derives from other resources it lists) are notes.
 */
export function unpredictedPaths(r: ReviewedResource, p: ResourceChange): { known: string[]; unknown: string[] } {
  const predicted = [...p.paths, ...(p.knownAfterApply ?? []), ...(p.replacePaths ?? [])];
  const missing = r.paths.filter((path) => !covers(predicted, path));
  return { known: missing.filter((x) => !r.knownAfterApply.includes(x)), unknown: missing.filter((x) => r.knownAfterApply.includes(x)) };
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
      // Milder than a predicted delete; unpredicted, it leaves a resource running unmanaged.
      const predictedDelete = p?.action === 'delete';
      accounted.add(r.address);
      findings.push({
        kind: predictedDelete ? 'note' : 'unexpected',
        address: r.address,
        message: `the plan removes it from the state without destroying it (forget)${predictedDelete ? '; the stage predicted delete' : `; ${predicted ? 'the stage predicted no change' : missing}`}`,
      });
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
    if (p && (r.action === 'update' || r.action === 'replace') && (p.action === 'update' || p.action === 'replace')) {
      const { known, unknown } = unpredictedPaths(r, p);
      const said = p.paths.length > 0 ? `it predicted ${list(p.paths)}` : 'it predicted no attribute';
      if (known.length > 0) findings.push({ kind: 'unexpected', address: r.address, message: `the plan changes ${list(known)}, which the stage did not predict (${said})` });
      // A replace makes a new object, whose computed attributes are all unknown: nothing to note.
      if (unknown.length > 0 && r.action === 'update') findings.push({ kind: 'note', address: r.address, message: `known only after apply and not predicted: ${list(unknown)}` });
    }
  }
  for (const p of predicted?.changes ?? []) {
    if (!accounted.has(p.address)) findings.push({ kind: 'note', address: p.address, message: `the stage predicted ${p.action}; the plan does not change it` });
  }
  return findings;
}

export function list(items: readonly string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

function verb(action: PlanAction): string {
  return { create: 'creates', update: 'updates', replace: 'replaces', delete: 'deletes', 'no-op': 'keeps', read: 'reads', forget: 'forgets' }[action];
}
