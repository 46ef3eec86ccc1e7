import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OutputFolderError, replaceFolder } from '../files/output-folder';
import { stagePlan } from '../upgrades/stage/stage';
import { countActions, renderStagedJson, renderStagedMarkdown } from '../upgrades/stage/report';
import { inputFolders, showPath, UsageError, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { jsonOption } from './options';
import { definePlanningOptions, planFromOptions } from './planning-inputs';

export const upgradesStageCommand: FleetCommand = {
  define: (c) =>
    definePlanningOptions(c.option('--out <dir>', 'output folder (required), replaced whole on each run; it must be new, empty or made by fleet')).addOption(jsonOption()),
  async run(ctx) {
    const { options } = ctx;
    if (options.out === undefined) throw new UsageError('--out DIR is required: the folder the staged plan is written to');
    const inputs = planFromOptions(ctx, { keepSpecs: true });
    if (!inputs) return EXIT.input;
    const outDir = resolve(ctx.cwd, options.out as string);
    const show = (p: string) => showPath(ctx.cwd, p);
    const touched = inputs.plan.waves.reduce((n, w) => n + w.environments.length, 0);
    const bar = ctx.progress('stage', 2 * touched);
    let staged;
    try {
      staged = await replaceFolder(
        outDir,
        async (dir) => {
          const result = await stagePlan(
            inputs.specs,
            inputs.plan,
            inputs.now,
            (stack) => bar.tick(stack),
          );
          for (const wave of result.waves) {
            for (const s of wave.stacks) {
              const stackDir = join(dir, `wave-${wave.number}`, s.stack);
              mkdirSync(stackDir, { recursive: true });
              writeFileSync(join(stackDir, 'cdk.tf.json'), s.target);
            }
          }
          // Plain writes: the folder is new and becomes visible only once complete.
          writeFileSync(join(dir, 'plan.json'), renderStagedJson(result));
          writeFileSync(join(dir, 'plan.md'), renderStagedMarkdown(result));
          return result;
        },
        { cwd: ctx.cwd, protect: inputFolders(ctx.cwd, options), label: options.out as string },
      );
    } catch (e) {
      bar.stop();
      if (e instanceof OutputFolderError) throw e;
      ctx.err(`fleet upgrades stage: ${(e as Error).message}\nnothing was written to ${show(outDir)}.`);
      return EXIT.input;
    }
    bar.stop();
    if (options.json) {
      ctx.out(renderStagedJson(staged).replace(/\n$/, ''));
      return EXIT.ok;
    }
    for (const wave of staged.waves) {
      ctx.out(`wave ${wave.number} (${wave.name}, starts ${wave.start}): ${wave.matrix.length} stack(s)`);
      for (const s of wave.stacks) {
        const pins = s.pinChanges.map((c) => `${c.component} ${c.from} -> ${c.to}`).join(', ');
        ctx.out(`  ${s.stack}: ${pins}; ${countActions(s.changeSet)}; ${s.changeSet.risks.length} risk(s)`);
      }
    }
    if (staged.blocking.length > 0) ctx.out(`${staged.blocking.length} blocking change(s): see plan.md`);
    ctx.out(`wrote ${show(join(outDir, 'plan.json'))}, ${show(join(outDir, 'plan.md'))} and ${staged.waves.length} wave folder(s)`);
    return EXIT.ok;
  },
};
