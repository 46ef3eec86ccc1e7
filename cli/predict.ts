/**
 * `fleet predict`: the resource changes a code change should make, from two synthesized fleets
 * (the commit a stack was last deployed from, and the merged commit). CI reviews the real saved
 * plan against it with `fleet review --expect`, so a plan that changes more than the merged code
 * explains (drift, an out-of-band edit, a provider surprise) blocks the apply, and the pull
 * request and the deploy are reviewed the same way.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeChangeSet } from '../upgrades/stage/change-set';
import type { ChangeSet, TerraformConfig } from '../upgrades/stage/types';
import { UsageError, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { forceOption, repeatable } from './options';
import { writeOutputFiles } from './output';

function readStack(outDir: string, stack: string, which: string): TerraformConfig | undefined {
  const file = join(outDir, 'stacks', stack, 'cdk.tf.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TerraformConfig;
  } catch (e) {
    throw new UsageError(`${file} (${which}) is not JSON (${(e as Error).message}); synthesize it again with \`fleet synth --out\``);
  }
}

function countOf(changeSet: ChangeSet): string {
  const counts = new Map<string, number>();
  for (const c of changeSet.changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  return counts.size === 0 ? 'no change' : [...counts].map(([a, n]) => `${n} to ${a}`).join(', ');
}

export const predictCommand: FleetCommand = {
  define: (c) =>
    c
      .option('--base <dir>', 'a `fleet synth --out` folder of the commit each stack was last deployed from (empty: nothing deployed)')
      .option('--head <dir>', 'a `fleet synth --out` folder of the merged commit')
      .option('--out <file>', 'where the prediction (a staged-plan file) is written')
      .addOption(forceOption())
      .addOption(repeatable('--stack <id>', 'only this stack; repeat for more (default: every stack in --head)')),
  run(ctx) {
    const { options } = ctx;
    for (const name of ['base', 'head', 'out'] as const) {
      if (options[name] === undefined) throw new UsageError(`--${name} is required`);
    }
    const base = resolve(ctx.cwd, options.base as string);
    const head = resolve(ctx.cwd, options.head as string);
    const out = resolve(ctx.cwd, options.out as string);
    const headStacks = join(head, 'stacks');
    if (!existsSync(headStacks)) throw new UsageError(`${headStacks} does not exist: run \`fleet synth --out ${options.head as string}\` on the merged commit first`);
    // An empty base folder is a fleet with nothing deployed yet; a missing one is a mistake.
    if (!existsSync(base)) throw new UsageError(`${base} does not exist: synthesize the base commit with \`fleet synth --out ${options.base as string}\` (an empty folder means nothing deployed)`);
    const stacks = ((options.stack as string[] | undefined) ?? readdirSync(headStacks)).slice().sort();
    const missing = stacks.filter((s) => !existsSync(join(headStacks, s, 'cdk.tf.json')));
    if (missing.length > 0) throw new UsageError(`no synthesized stack ${missing.join(', ')} in ${headStacks}; synthesize it with \`fleet synth --stack ID --out\``);

    const predicted = stacks.map((stack) => ({ stack, changeSet: computeChangeSet(stack, readStack(base, stack, 'base'), readStack(head, stack, 'head')) }));
    // The staged plan's shape, one "wave": what `fleet review --expect` reads.
    const json = { kind: 'merge-prediction', waves: [{ number: 1, name: 'merge', stacks: predicted }] };
    writeOutputFiles(ctx, [{ file: options.out as string, option: '--out', text: `${JSON.stringify(json, null, 2)}\n` }]);
    for (const p of predicted) ctx.out(`${p.stack}: ${countOf(p.changeSet)}`);
    ctx.out(`wrote ${out}`);
    return EXIT.ok;
  },
};
