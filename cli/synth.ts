import { resolve } from 'node:path';
import { loadCustomers } from '../customers/load';
import { stackId, type CustomerSpec } from '../customers/schema';
import { OutputFolderError } from '../files/output-folder';
import { synthFleet } from '../stacks/synth-fleet';
import { inputFolders, issueLine, parseAt, showPath, UsageError, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { atOption, customersOption, jsonOption, outDirOption, repeatable } from './options';

/** Above this many stacks the text report gives counts only; --json always lists every id. */
const LIST_LIMIT = 10;

function countBy(specs: readonly CustomerSpec[], key: (s: CustomerSpec) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of specs) counts[key(s)] = (counts[key(s)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

const phrase = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');

export const synthCommand: FleetCommand = {
  define: (c) =>
    c
      .addOption(customersOption())
      .addOption(outDirOption('cdktf.out'))
      .addOption(atOption())
      .addOption(repeatable('--stack <id>', 'only this stack (<customer>-<environment>); repeat for more (default: every stack)'))
      .addOption(jsonOption()),
  async run(ctx) {
    const { options } = ctx;
    const dir = resolve(ctx.cwd, (options.customers as string | undefined) ?? 'customers');
    const outDir = resolve(ctx.cwd, (options.out as string | undefined) ?? 'cdktf.out');
    const show = (p: string) => showPath(ctx.cwd, p);
    const now = parseAt(options.at as Date | undefined);
    const { customers, issues } = loadCustomers(dir, { now });
    if (issues.length > 0) {
      for (const issue of issues) ctx.err(issueLine(ctx.cwd, issue));
      ctx.err(`${issues.length} problem(s) in ${show(dir)}; nothing was written.`);
      return EXIT.input;
    }
    const wanted = options.stack as string[] | undefined;
    let specs = customers.map((c) => c.spec);
    if (wanted) {
      const known = new Set(specs.map(stackId));
      const unknown = wanted.filter((s) => !known.has(s));
      if (unknown.length > 0) throw new UsageError(`unknown stack(s) ${unknown.join(', ')}; known: ${[...known].sort().join(', ')}`);
      specs = specs.filter((s) => wanted.includes(stackId(s)));
    }
    const bar = ctx.progress('synth', specs.length);
    let result;
    try {
      result = await synthFleet(specs, { outDir, now, onStack: (s) => bar.tick(s), output: { cwd: ctx.cwd, protect: inputFolders(ctx.cwd, options), label: options.out as string | undefined } });
    } catch (e) {
      bar.stop();
      if (e instanceof OutputFolderError) throw e;
      ctx.err(`synth failed; nothing was written to ${show(outDir)}:\n${(e as Error).message}`);
      return EXIT.input;
    }
    bar.stop();
    const clouds = countBy(specs, (s) => s.cloud);
    const environments = countBy(specs, (s) => s.environment);
    if (options.json) {
      ctx.out(JSON.stringify({ outDir: show(outDir), count: result.stacks.length, clouds, environments, stacks: result.stacks }));
      return EXIT.ok;
    }
    ctx.out(`synthesized ${result.stacks.length} stack(s) into ${show(outDir)}: ${phrase(clouds)}; ${phrase(environments)}`);
    if (result.stacks.length <= LIST_LIMIT) ctx.out(`  ${result.stacks.join(', ')}`);
    else ctx.out(`  (${result.stacks.length} ids: fleet synth --json lists them)`);
    return EXIT.ok;
  },
};
