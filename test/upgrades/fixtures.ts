/** Small hand-made catalogs, policies and environments for the planner tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentId } from '../../customers/schema';
import { componentCatalogSchema, type Catalog } from '../../upgrades/catalog/schema';
import { planUpgrades } from '../../upgrades/planner/plan';
import type { EnvironmentInput, UpgradePlan } from '../../upgrades/planner/types';
import { policySchema, type Policy } from '../../upgrades/policy';

export const ROOT = join(__dirname, '..', '..');
export const NOW = new Date('2026-11-27T00:00:00Z');

type ChangeInput = { kind: 'security' | 'bugfix' | 'feature' | 'breaking' | 'deprecation'; severity?: 'critical' | 'high' | 'medium' | 'low'; summary?: string };

export interface ReleaseInput {
  version: string;
  date: string;
  changes?: ChangeInput[];
  requires?: Record<string, string>;
  requiresWhen?: { feature: 'compression'; requires: Record<string, string>; source: string }[];
  advisories?: { id: string; inferred: boolean }[];
  migration?: string[];
  withdrawn?: boolean;
  endOfSupport?: string;
}

/** Shorthand: "1.2.0@2026-01-01:sec-high,bug". */
export function rel(spec: string, extra: Omit<ReleaseInput, 'version' | 'date'> = {}): ReleaseInput {
  const [head, kinds] = spec.split(':');
  const [version, date] = head.split('@');
  const changes: ChangeInput[] = (kinds ? kinds.split(',') : ['feat']).map((k) => {
    if (k.startsWith('sec-')) return { kind: 'security', severity: k.slice(4) as ChangeInput['severity'] };
    if (k === 'bug') return { kind: 'bugfix' };
    if (k === 'break') return { kind: 'breaking' };
    return { kind: 'feature' };
  });
  return { version, date, changes, ...extra };
}

export function catalogOf(components: Partial<Record<ComponentId, { releases: ReleaseInput[]; mustStepThroughMajors?: number[] }>>): Catalog {
  const out: Catalog['components'] = {};
  for (const [component, c] of Object.entries(components)) {
    out[component as ComponentId] = componentCatalogSchema.parse({
      component,
      name: component,
      mustStepThroughMajors: c!.mustStepThroughMajors ?? [],
      releases: c!.releases.map((r) => {
        const changes = r.changes ?? [{ kind: 'feature' }];
        const kinds = [...new Set(changes.map((ch) => (ch.kind === 'bugfix' ? 'bug' : ch.kind)))];
        const severities = changes.flatMap((ch) => (ch.severity ? [ch.severity] : []));
        const severity = (['critical', 'high', 'medium', 'low'] as const).find((x) => severities.includes(x));
        return {
          version: r.version,
          date: r.date,
          kinds,
          summary: changes.map((ch) => ch.summary ?? `${ch.kind} change`).join('; '),
          ...(severity ? { severity } : {}),
          advisories: r.advisories ?? [],
          source: 'test fixture',
          requires: r.requires ?? {},
          requiresWhen: r.requiresWhen ?? [],
          migration: r.migration ?? [],
          withdrawn: r.withdrawn ?? false,
          ...(r.withdrawn ? { withdrawnReason: 'pulled for a regression' } : {}),
          ...(r.endOfSupport ? { endOfSupport: r.endOfSupport } : {}),
        };
      }),
    });
  }
  return { components: out };
}

export function realPolicy(): Policy {
  return policySchema.parse(JSON.parse(readFileSync(join(ROOT, 'upgrades', 'policy.json'), 'utf8')));
}

export function policyWith(change: (p: Policy) => void): Policy {
  const p = realPolicy();
  change(p);
  return p;
}

export function envOf(overrides: Partial<EnvironmentInput> & { pins: EnvironmentInput['pins'] }): EnvironmentInput {
  const customer = overrides.customer ?? 'test-co';
  const environment = overrides.environment ?? 'prod';
  return {
    stack: `${customer}-${environment}`,
    customer,
    environment,
    ring: 2,
    timezone: 'UTC',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '02:00', durationHours: 4 }],
    freezes: [],
    holds: [],
    approvedMajors: [],
    ...overrides,
  };
}

export function plan(environments: EnvironmentInput[], catalog: Catalog, policy: Policy = realPolicy(), now: Date = NOW): UpgradePlan {
  return planUpgrades({ environments, catalog, policy, now });
}

export function changesOf(p: UpgradePlan, stack: string) {
  return p.waves.flatMap((w) => w.environments.filter((e) => e.stack === stack).flatMap((e) => e.changes));
}

export function changeOf(p: UpgradePlan, stack: string, component: ComponentId) {
  return changesOf(p, stack).find((c) => c.component === component);
}

export function deferredOf(p: UpgradePlan, stack: string, component: ComponentId) {
  return p.deferred.filter((d) => d.stack === stack && d.component === component);
}

export function statusOf(p: UpgradePlan, stack: string, component: ComponentId) {
  return p.statuses.find((s) => s.stack === stack && s.component === component)!;
}
