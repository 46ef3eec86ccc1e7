/**
 * Cross-component requirements inside one environment. A target whose `requires` the
 * environment does not meet pulls its prerequisite up (applied before it, in the same window);
 * when the prerequisite cannot move (held, needs approval, too new...), the dependent is capped
 * below the first release that needs it and the remainder is deferred with the reason.
 * Requirements on components the environment does not run do not apply.
 */
import type { ComponentId } from '../../customers/schema';
import { COMPONENT_IDS } from '../../customers/schema';
import { selectTarget, type Situation, type TargetChoice } from './target';
import { contains, requirementsOf, type IndexedRelease, type Requirement } from './versions';
import type { Feature, Severity } from '../catalog/schema';

export interface Blocked {
  readonly wanted: IndexedRelease;
  readonly reason: string;
  /** The held prerequisite, when a hold on it is what stopped the wanted release. */
  readonly heldBy?: ComponentId;
}

export interface Resolution {
  /** Final target per moving component. */
  readonly targets: ReadonlyMap<ComponentId, IndexedRelease>;
  /** Components in the order their changes are applied. */
  readonly order: readonly ComponentId[];
  /** Why each target was chosen, including prerequisite and cap reasons. */
  readonly reasons: ReadonlyMap<ComponentId, string[]>;
  /** Per component: the version first wanted and why it could not be had (`heldBy`: a prerequisite's hold). */
  readonly blocked: ReadonlyMap<ComponentId, Blocked>;
  /** Requirements the pinned versions already break and the plan cannot repair. */
  readonly unmet: ReadonlyMap<ComponentId, string>;
}

/** Bounds the restarts; each restart lowers a ceiling, so real inputs need a handful. */
const MAX_ATTEMPTS = 64;

export function resolveRequirements(
  situations: ReadonlyMap<ComponentId, Situation>,
  features: readonly Feature[] = [],
  /** Severities exempt from the minimum release age; the exemption covers the fix's prerequisites. */
  exemptSeverities: readonly Severity[] = [],
  /** Target rule per component; the fast track passes its minimal one. Default: selectTarget. */
  choose: (s: Situation, ceiling?: number) => TargetChoice = selectTarget,
): Resolution {
  const ceilings = new Map<ComponentId, number>();
  const blocked = new Map<ComponentId, Blocked>();
  const capNotes = new Map<ComponentId, string>();
  const components = COMPONENT_IDS.filter((c) => situations.has(c));

  for (let attempt = 0; ; attempt++) {
    const targets = new Map<ComponentId, IndexedRelease>();
    const reasons = new Map<ComponentId, string[]>();
    for (const c of components) {
      const s = situations.get(c)!;
      if (s.hold) continue;
      const choice = choose(s, ceilings.get(c));
      if (choice.target) {
        targets.set(c, choice.target);
        reasons.set(c, [...choice.why]);
      }
    }
    const unmet = new Map<ComponentId, string>();
    const edges: [ComponentId, ComponentId][] = [];
    const failure = settle(targets, reasons, unmet, edges);
    if (failure === undefined || attempt >= MAX_ATTEMPTS) {
      for (const [c, note] of capNotes) if (targets.has(c)) reasons.get(c)!.push(note);
      return { targets, order: applyOrder(components.filter((c) => targets.has(c)), edges), reasons, blocked, unmet };
    }
    const { component, rel, reason, heldBy } = failure;
    if (!blocked.has(component)) blocked.set(component, { wanted: rel, reason, ...(heldBy ? { heldBy } : {}) });
    ceilings.set(component, rel.index - 1);
    capNotes.set(component, `capped below ${rel.version}: ${reason}`);
  }

  /**
   * Raises prerequisites until every moving component's requirements hold. Returns the first
   * moving component whose prerequisite cannot be raised, so the caller can cap it and retry.
   */
  function settle(
    targets: Map<ComponentId, IndexedRelease>,
    reasons: Map<ComponentId, string[]>,
    unmet: Map<ComponentId, string>,
    edges: [ComponentId, ComponentId][],
  ): { component: ComponentId; rel: IndexedRelease; reason: string; heldBy?: ComponentId } | undefined {
    // A rollback must not break what the rest of the environment needs of it.
    for (const c of components) {
      const t = targets.get(c);
      if (!t || t.index >= situations.get(c)!.current.index) continue;
      for (const o of components) {
        if (o === c) continue;
        const rel = targets.get(o) ?? situations.get(o)!.current;
        const broken = requirementsOf(rel, features).find((r) => r.component === c && !r.parsed.test(t.sv));
        if (broken) return { component: c, rel: t, reason: `blocked: rolling back to ${c} ${t.version} breaks ${o} ${rel.version}'s requirement ${c} ${broken.range}` };
      }
    }
    for (let changed = true, rounds = 0; changed && rounds < 4 * components.length + 4; rounds++) {
      changed = false;
      for (const c of components) {
        const moving = targets.get(c);
        const rel = moving ?? situations.get(c)!.current;
        for (const req of requirementsOf(rel, features)) {
          const dep = situations.get(req.component);
          if (!dep) continue;
          const depRel = targets.get(req.component) ?? dep.current;
          if (req.parsed.test(depRel.sv)) {
            if (moving && !req.parsed.test(dep.current.sv) && !edges.some(([a, b]) => a === req.component && b === c)) {
              edges.push([req.component, c]);
              const list = reasons.get(req.component) ?? [];
              list.push(`prerequisite: ${c} ${rel.version} needs ${req.component} ${req.range}${when(req)}; applied before it`);
              reasons.set(req.component, list);
            }
            continue;
          }
          const raised = raise(dep, depRel, req, moving !== undefined && bringsExempt(c, moving));
          if ('rel' in raised) {
            targets.set(req.component, raised.rel);
            const list = reasons.get(req.component) ?? [];
            const young = dep.verdicts.find((v) => v.rel === raised.rel)?.tooNew ? ' (younger than the minimum release age: the exemption of the fix it enables covers it)' : '';
            list.push(
              moving
                ? `prerequisite: ${c} ${rel.version} needs ${req.component} ${req.range}${when(req)}; applied before it${young}`
                : `prerequisite: the pinned ${c} ${rel.version} already needs ${req.component} ${req.range}${when(req)}`,
            );
            reasons.set(req.component, list);
            if (moving) edges.push([req.component, c]);
            changed = true;
            continue;
          }
          const reason = `blocked: needs ${req.component} ${req.range}${when(req)} first (${raised.why})`;
          if (moving) return { component: c, rel, reason, ...(dep.hold ? { heldBy: req.component } : {}) };
          unmet.set(c, `${c} ${rel.version} needs ${req.component} ${req.range}, which the plan cannot provide (${raised.why})`);
        }
      }
    }
    return undefined;

    function raise(dep: Situation, from: IndexedRelease, req: Requirement, exempt: boolean): { rel: IndexedRelease } | { why: string } {
      if (dep.hold) return { why: `${dep.component} is held${dep.hold.until ? ` until ${dep.hold.until}` : ''}: ${dep.hold.reason}` };
      const ceiling = ceilings.get(dep.component) ?? Number.POSITIVE_INFINITY;
      const fitting = dep.verdicts.filter((v) => v.rel.index >= from.index && req.parsed.test(v.rel.sv));
      const usable = fitting.find((v) => (v.blocked === undefined || (exempt && v.tooNew === true)) && v.rel.index <= ceiling && respectsOthers(dep.component, v.rel));
      if (usable) return { rel: usable.rel };
      if (fitting.length === 0) return { why: `no ${dep.component} release above ${dep.current.version} satisfies ${req.range}` };
      const first = fitting.find((v) => v.blocked !== undefined) ?? fitting[0];
      if (first.blocked) return { why: first.blocked };
      return { why: `${dep.component} ${first.rel.version} would break another requirement or needs something blocked itself` };
    }

    /** Whether moving `component` to `target` brings a fix whose severity is exempt from the minimum age. */
    function bringsExempt(component: ComponentId, target: IndexedRelease): boolean {
      if (exemptSeverities.length === 0) return false;
      return situations.get(component)!.fixes.security.some((f) => contains(target, f.rel) && exemptSeverities.includes(f.severity));
    }

    /** A raise must not break what the other planned versions require of that component. */
    function respectsOthers(component: ComponentId, candidate: IndexedRelease): boolean {
      for (const c of components) {
        if (c === component) continue;
        const rel = targets.get(c) ?? situations.get(c)!.current;
        for (const req of requirementsOf(rel, features)) if (req.component === component && !req.parsed.test(candidate.sv)) return false;
      }
      return true;
    }
  }
}

/** " with compression enabled" for a conditional requirement. */
function when(req: Requirement): string {
  return req.feature ? ` with ${req.feature} enabled` : '';
}

/** Prerequisites before dependents; otherwise pipeline order (COMPONENT_IDS). */
function applyOrder(moving: readonly ComponentId[], edges: readonly [ComponentId, ComponentId][]): ComponentId[] {
  const order: ComponentId[] = [];
  const left = new Set(moving);
  while (left.size > 0) {
    const ready = moving.find((c) => left.has(c) && !edges.some(([a, b]) => b === c && left.has(a) && a !== c));
    // A cycle cannot come from ">=" requirements; if a catalog makes one, fall back to pipeline order.
    const next = ready ?? moving.find((c) => left.has(c))!;
    order.push(next);
    left.delete(next);
  }
  return order;
}
