/** The fast track's change set, and what it defers to the regular track. */
import type { ComponentId } from '../../customers/schema';
import type { Policy } from '../policy';
import { planEnvironment, type EnvironmentDraft, type PlanCache } from './environment';
import { SEVERITY_RANK } from './status';
import { contains, type CatalogIndex } from './versions';

/**
 * An environment receiving a fast-track fix gets only that: the lowest release carrying it plus
 * its hard prerequisites. Everything else it would have had waits for the regular track.
 */
export function minimalFastTrack(full: EnvironmentDraft, index: CatalogIndex, lines: ReadonlyMap<ComponentId, readonly string[]>, policy: Policy, today: number, cache: PlanCache): EnvironmentDraft {
  const severities = policy.waves.fastTrack.severities as readonly string[];
  if (full.unknown.length > 0 || !full.changes.some((c) => c.bringsSeverities.some((x) => severities.includes(x)))) return full;
  const fast = planEnvironment(full.env, index, lines, policy, today, cache, severities);
  if (fast.changes.length === 0) return full;
  const deferred = [...full.deferred];
  for (const c of full.changes) {
    const f = fast.changes.find((x) => x.component === c.component);
    if (f?.to === c.to) continue;
    deferred.push({
      stack: full.env.stack,
      component: c.component,
      from: f?.to ?? c.from,
      to: c.to,
      reason: `after the fast track: only the ${severities.join('/')} fix and its prerequisites go now; ${c.component} ${c.to} (${remainder(full, c.component, f?.to ?? c.from, c.to, index)}) follows on the regular track in a later plan`,
    });
  }
  return { ...fast, deferred };
}

/** What a move from `from` to `to` brings beyond what the fast track delivers: the worst fix left, not the one going now. */
function remainder(full: EnvironmentDraft, component: ComponentId, from: string, to: string, index: CatalogIndex): string {
  const ci = index.get(component)!;
  const [fromRel, toRel] = [ci.byVersion.get(from)!, ci.byVersion.get(to)!];
  const between = (version: string) => {
    const r = ci.byVersion.get(version);
    return r !== undefined && !contains(fromRel, r) && contains(toRel, r);
  };
  const status = full.statuses.find((s) => s.component === component);
  const security = (status?.missingSecurityFixes ?? []).filter((x) => between(x.version));
  const worst = [...security].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0];
  if (worst) {
    const more = security.length > 1 ? `, +${security.length - 1} more security release${security.length > 2 ? 's' : ''}` : '';
    return `security fix ${worst.severity} ${worst.version} ${worst.advisories.length > 0 ? worst.advisories.join(', ') : '(no advisory named)'}${more}`;
  }
  const bugs = new Set((status?.missingBugFixes ?? []).filter((b) => between(b.version)).map((b) => b.version));
  return bugs.size > 0 ? `bug fixes in ${[...bugs].join(', ')}` : 'no further fixes';
}
