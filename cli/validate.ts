import { resolve } from 'node:path';
import { formatIssue, loadCustomers } from '../customers/load';
import { parseAt, parseOptions, type Command } from './command';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate [--customers DIR] [--at YYYY-MM-DD]',
  summary: 'Check every customer file and report every problem at once (exit 1 on any error).',
  run(ctx) {
    const { options } = parseOptions(ctx.args, { customers: 'string', at: 'string' });
    const dir = resolve(ctx.cwd, (options.customers as string | undefined) ?? 'customers');
    const now = parseAt(options.at as string | undefined);
    const { customers, issues } = loadCustomers(dir, { now });
    for (const issue of issues) ctx.err(formatIssue(issue));
    if (issues.length > 0) {
      ctx.err(`${issues.length} problem(s) in ${dir}; nothing was changed.`);
      return 1;
    }
    ctx.out(`${customers.length} customer environment(s) valid in ${dir}`);
    return 0;
  },
};
