import { resolve } from 'node:path';
import { formatIssue, loadCustomers } from '../customers/load';
import { stackId } from '../customers/schema';
import { synthFleet } from '../stacks/synth-fleet';
import { parseAt, parseOptions, progress, UsageError, type Command } from './command';

export const synthCommand: Command = {
  name: 'synth',
  usage: 'synth [--customers DIR] [--out DIR] [--at YYYY-MM-DD] [--stack ID ...]',
  summary: 'Validate, then synthesize every customer environment (or the named stacks) into cdktf.out, all or nothing.',
  async run(ctx) {
    const { options } = parseOptions(ctx.args, { customers: 'string', out: 'string', at: 'string', stack: 'string[]' });
    const dir = resolve(ctx.cwd, (options.customers as string | undefined) ?? 'customers');
    const outDir = resolve(ctx.cwd, (options.out as string | undefined) ?? 'cdktf.out');
    const now = parseAt(options.at as string | undefined);
    const { customers, issues } = loadCustomers(dir, { now });
    if (issues.length > 0) {
      for (const issue of issues) ctx.err(formatIssue(issue));
      ctx.err(`${issues.length} problem(s) in ${dir}; nothing was written.`);
      return 1;
    }
    const wanted = options.stack as string[] | undefined;
    let specs = customers.map((c) => c.spec);
    if (wanted) {
      const known = new Set(specs.map(stackId));
      const unknown = wanted.filter((s) => !known.has(s));
      if (unknown.length > 0) throw new UsageError(`unknown stack(s) ${unknown.join(', ')}; known: ${[...known].sort().join(', ')}`);
      specs = specs.filter((s) => wanted.includes(stackId(s)));
    }
    progress(ctx, `synthesizing ${specs.length} stack(s) into ${outDir} ...`);
    try {
      const result = await synthFleet(specs, { outDir, now });
      ctx.out(`synthesized ${result.stacks.length} stack(s) into ${outDir}: ${result.stacks.join(', ')}`);
      return 0;
    } catch (e) {
      ctx.err(`synth failed; nothing was written to ${outDir}:\n${(e as Error).message}`);
      return 1;
    }
  },
};
