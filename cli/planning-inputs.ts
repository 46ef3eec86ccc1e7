import { resolve } from 'node:path';
import { formatIssue, loadCustomers, type LoadedCustomer, type ValidationIssue } from '../customers/load';
import { loadCatalog } from '../upgrades/catalog/load';
import type { Catalog } from '../upgrades/catalog/schema';
import { planFleet } from '../upgrades/planner/plan';
import type { UpgradePlan } from '../upgrades/planner/types';
import { loadPolicy, type Policy } from '../upgrades/policy';
import { parseAt, type CommandContext } from './command';

export interface PlanningInputs {
  readonly now: Date;
  readonly customers: LoadedCustomer[];
  readonly catalog: Catalog;
  readonly policy: Policy;
  readonly plan: UpgradePlan;
}

/**
 * Loads customers, catalog and policy (every problem reported at once) and plans the fleet; the
 * shared first half of `upgrades plan` and `upgrades stage`. Returns undefined after printing the
 * problems when any input is invalid.
 */
export function planFromOptions(ctx: CommandContext, options: Record<string, unknown>): PlanningInputs | undefined {
  const path = (name: string, fallback: string) => resolve(ctx.cwd, (options[name] as string | undefined) ?? fallback);
  const now = parseAt(options.at as string | undefined);
  const catalog = loadCatalog(path('catalog', 'upgrades/catalog'));
  const policy = loadPolicy(path('policy', 'upgrades/policy.json'));
  // Pins are not checked against the catalog here: an unknown or prerelease pin makes that one
  // environment "unknown" in the plan (fleet validate reports it as an error), and the rest of
  // the fleet is still planned.
  const customers = loadCustomers(path('customers', 'customers'), { now });
  const issues: ValidationIssue[] = [...catalog.issues, ...policy.issues, ...customers.issues];
  if (issues.length > 0 || !catalog.catalog || !policy.policy) {
    for (const issue of issues) ctx.err(formatIssue(issue));
    ctx.err(`${issues.length} problem(s); nothing was written.`);
    return undefined;
  }
  const plan = planFleet(
    customers.customers.map((c) => c.spec),
    catalog.catalog,
    policy.policy,
    now,
  );
  for (const u of plan.unknown) ctx.err(`warning: ${u.stack} is not planned: ${u.reasons.join('; ')} (run "fleet validate")`);
  return { now, customers: customers.customers, catalog: catalog.catalog, policy: policy.policy, plan };
}
