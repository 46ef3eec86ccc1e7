import { resolve } from 'node:path';
import { loadCustomers, type ValidationIssue } from '../customers/load';
import { catalogVersionCheck, loadCatalog } from '../upgrades/catalog/load';
import { loadPolicy } from '../upgrades/policy';
import { issueLine, parseAt, showPath, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { atOption, catalogOption, customersOption, jsonOption, policyOption } from './options';

export const validateCommand: FleetCommand = {
  define: (c) => c.addOption(customersOption()).addOption(atOption()).addOption(catalogOption()).addOption(policyOption()).addOption(jsonOption()),
  run(ctx) {
    const { options } = ctx;
    const dir = resolve(ctx.cwd, (options.customers as string | undefined) ?? 'customers');
    const catalogDir = resolve(ctx.cwd, (options.catalog as string | undefined) ?? 'upgrades/catalog');
    const policyFile = resolve(ctx.cwd, (options.policy as string | undefined) ?? 'upgrades/policy.json');
    const now = parseAt(options.at as Date | undefined);
    const catalog = loadCatalog(catalogDir);
    const policy = loadPolicy(policyFile);
    // Pins are checked against the catalog only when the catalog itself is sound.
    const checkVersion = catalog.catalog ? catalogVersionCheck(catalog.catalog) : undefined;
    const { customers, issues: customerIssues, warnings = [] } = loadCustomers(dir, { now, checkVersion });
    // Warnings never change the exit code; in GitHub Actions they also become annotations.
    for (const w of warnings) ctx.err(`${process.env.GITHUB_ACTIONS === 'true' ? '::warning::' : 'warning: '}${issueLine(ctx.cwd, w)}`);
    const issues: ValidationIssue[] = [...catalog.issues, ...policy.issues, ...customerIssues];
    const show = (p: string) => showPath(ctx.cwd, p);
    if (options.json) ctx.out(JSON.stringify({ valid: issues.length === 0, environments: customers.length, problems: issues.map((i) => issueLine(ctx.cwd, i)) }));
    for (const issue of issues) ctx.err(issueLine(ctx.cwd, issue));
    if (issues.length > 0) {
      ctx.err(`${issues.length} problem(s) in ${show(dir)}, ${show(catalogDir)} and ${show(policyFile)}; nothing was changed.`);
      return EXIT.input;
    }
    if (!options.json) ctx.out(`${customers.length} customer environment(s) valid in ${show(dir)}; release catalog and upgrade policy valid`);
    return EXIT.ok;
  },
};
