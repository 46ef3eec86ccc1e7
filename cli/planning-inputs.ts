import { resolve } from 'node:path';
import { loadCustomers, type ValidationIssue } from '../customers/load';
import { isPinCheck } from '../customers/pin-checks';
import type { CustomerSpec } from '../customers/schema';
import { loadCatalog } from '../upgrades/catalog/load';
import type { Catalog } from '../upgrades/catalog/schema';
import { environmentFromSpec, planFleet } from '../upgrades/planner/plan';
import type { EnvironmentInput, UpgradePlan } from '../upgrades/planner/types';
import { loadPolicy, type Policy } from '../upgrades/policy';
import { issueLine, parseAt, type CommandContext } from './command';
import { atOption, catalogOption, customersOption, policyOption } from './options';
import type { Command as Commander } from 'commander';

export interface PlanningInputs {
  readonly now: Date;
  /** The customers' specs, in file order, when asked for (`keepSpecs`); otherwise empty. */
  readonly specs: CustomerSpec[];
  readonly catalog: Catalog;
  readonly policy: Policy;
  readonly plan: UpgradePlan;
}

/** The options planning reads: --customers, --at, --catalog, --policy. */
export function definePlanningOptions(c: Commander): Commander {
  return c.addOption(customersOption()).addOption(atOption()).addOption(catalogOption()).addOption(policyOption());
}

/**
 * Loads customers, catalog and policy (every problem reported at once) and plans the fleet; the
 * shared first half of `upgrades plan` and `upgrades stage`. Returns undefined after printing the
 * problems when any input is invalid.
 */
export function planFromOptions(ctx: CommandContext, { keepSpecs = false }: { readonly keepSpecs?: boolean } = {}, options: Record<string, unknown> = ctx.options): PlanningInputs | undefined {
  const path = (name: string, fallback: string) => resolve(ctx.cwd, (options[name] as string | undefined) ?? fallback);
  const now = parseAt(options.at as Date | undefined);
  const bar = ctx.progress('plan', 3);
  // Customer files first: the secret scanner they start loads while they are read, where the
  // small catalog read first would only wait for it.
  // Pins are not checked against the catalog here: an unknown or prerelease pin makes that one
  // environment "unknown" in the plan (fleet validate reports it as an error), and the rest of
  // the fleet is still planned.
  // Planning needs a few fields of each spec: keeping only those keeps a fleet's load lean.
  const customers = loadCustomers(path('customers', 'customers'), {
    now,
    keep: (spec): { env: EnvironmentInput; spec?: CustomerSpec } => ({ env: environmentFromSpec(spec), spec: keepSpecs ? spec : undefined }),
  });
  bar.tick(`${customers.customers.length} customer file(s) read`);
  const catalog = loadCatalog(path('catalog', 'upgrades/catalog'));
  const policy = loadPolicy(path('policy', 'upgrades/policy.json'));
  bar.tick('catalog and policy read');
  // A problem with a pinned version alone (no runtime contract, say) makes that environment
  // unknown in the plan rather than stopping the fleet; every other problem stops it.
  const stackOf = new Map(customers.customers.map((c) => [c.file, c.spec.env.stack]));
  const pinProblems = new Map<string, string[]>();
  const fatal = customers.issues.filter((i) => {
    const stack = stackOf.get(i.file);
    // Only the pin checks themselves (catalog, runtime contract, cloud) spare the fleet; anything
    // else on a version field, a value that looks like a secret above all, stops it.
    if (!stack || !/^components\.[a-z-]+\.version$/.test(i.path) || !isPinCheck(i.expected)) return true;
    pinProblems.set(stack, [...(pinProblems.get(stack) ?? []), `${i.path.split('.')[1]}: expected ${i.expected}, got ${i.got}`]);
    return false;
  });
  const issues: ValidationIssue[] = [...catalog.issues, ...policy.issues, ...fatal];
  if (issues.length > 0 || !catalog.catalog || !policy.policy) {
    bar.stop();
    for (const issue of issues) ctx.err(issueLine(ctx.cwd, issue));
    ctx.err(`${issues.length} problem(s); nothing was written.`);
    return undefined;
  }
  const plan = planFleet(
    customers.customers.map((c) => c.spec.env),
    catalog.catalog,
    policy.policy,
    now,
    pinProblems,
  );
  bar.tick('planned');
  bar.stop();
  for (const u of plan.unknown) ctx.err(`warning: ${u.stack} is not planned: ${u.reasons.join('; ')} (run "fleet validate")`);
  const specs = keepSpecs ? customers.customers.map((c) => c.spec.spec!) : [];
  return { now, specs, catalog: catalog.catalog, policy: policy.policy, plan };
}
