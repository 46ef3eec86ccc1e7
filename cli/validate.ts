import { resolve } from 'node:path';
import { formatIssue, loadCustomers, type ValidationIssue } from '../customers/load';
import { catalogVersionCheck, loadCatalog } from '../upgrades/catalog/load';
import { loadPolicy } from '../upgrades/policy';
import { parseAt, parseOptions, type Command } from './command';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate [--customers DIR] [--at YYYY-MM-DD] [--catalog DIR] [--policy FILE]',
  summary: 'Check every customer file, the release catalog and the upgrade policy; report every problem at once (exit 1 on any error).',
  run(ctx) {
    const { options } = parseOptions(ctx.args, { customers: 'string', at: 'string', catalog: 'string', policy: 'string' });
    const dir = resolve(ctx.cwd, (options.customers as string | undefined) ?? 'customers');
    const catalogDir = resolve(ctx.cwd, (options.catalog as string | undefined) ?? 'upgrades/catalog');
    const policyFile = resolve(ctx.cwd, (options.policy as string | undefined) ?? 'upgrades/policy.json');
    const now = parseAt(options.at as string | undefined);
    const catalog = loadCatalog(catalogDir);
    const policy = loadPolicy(policyFile);
    // Pins are checked against the catalog only when the catalog itself is sound.
    const checkVersion = catalog.catalog ? catalogVersionCheck(catalog.catalog) : undefined;
    const { customers, issues: customerIssues, warnings = [] } = loadCustomers(dir, { now, checkVersion });
    // Warnings never change the exit code; in GitHub Actions they also become annotations.
    for (const w of warnings) ctx.err(`${process.env.GITHUB_ACTIONS === 'true' ? '::warning::' : 'warning: '}${formatIssue(w)}`);
    const issues: ValidationIssue[] = [...catalog.issues, ...policy.issues, ...customerIssues];
    for (const issue of issues) ctx.err(formatIssue(issue));
    if (issues.length > 0) {
      ctx.err(`${issues.length} problem(s) in ${dir}, ${catalogDir} and ${policyFile}; nothing was changed.`);
      return 1;
    }
    ctx.out(`${customers.length} customer environment(s) valid in ${dir}; release catalog and upgrade policy valid`);
    return 0;
  },
};
