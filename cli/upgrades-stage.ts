import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { replaceFolder } from '../stacks/output-folder';
import { stagePlan } from '../upgrades/stage/stage';
import { countActions, renderStagedJson, renderStagedMarkdown } from '../upgrades/stage/report';
import { parseOptions, progress, UsageError, type Command } from './command';
import { planFromOptions } from './planning-inputs';

export const upgradesStageCommand: Command = {
  name: 'upgrades stage',
  usage: 'upgrades stage --out DIR [--customers DIR] [--at YYYY-MM-DD] [--catalog DIR] [--policy FILE]',
  summary: "Turn the upgrade plan into per-wave synthesized stacks, predicted resource changes and risks: DIR/plan.json, DIR/plan.md, DIR/wave-N/<stack>/cdk.tf.json.",
  async run(ctx) {
    const { options } = parseOptions(ctx.args, { out: 'string', customers: 'string', at: 'string', catalog: 'string', policy: 'string' });
    if (options.out === undefined) throw new UsageError('--out DIR is required: the folder the staged plan is written to');
    const inputs = planFromOptions(ctx, options);
    if (!inputs) return 1;
    const outDir = resolve(ctx.cwd, options.out as string);
    const touched = inputs.plan.waves.reduce((n, w) => n + w.environments.length, 0);
    progress(ctx, `staging ${inputs.plan.waves.length} wave(s): synthesizing ${touched} stack(s) before and after ...`);
    let staged;
    try {
      staged = await replaceFolder(outDir, async (dir) => {
        const result = await stagePlan(
          inputs.customers.map((c) => c.spec),
          inputs.plan,
          inputs.now,
        );
        for (const wave of result.waves) {
          for (const s of wave.stacks) {
            const stackDir = join(dir, `wave-${wave.number}`, s.stack);
            mkdirSync(stackDir, { recursive: true });
            writeFileSync(join(stackDir, 'cdk.tf.json'), s.target);
          }
        }
        writeFileSync(join(dir, 'plan.json'), renderStagedJson(result));
        writeFileSync(join(dir, 'plan.md'), renderStagedMarkdown(result));
        return result;
      });
    } catch (e) {
      ctx.err(`fleet upgrades stage: ${(e as Error).message}\nnothing was written to ${outDir}.`);
      return 1;
    }
    for (const wave of staged.waves) {
      ctx.out(`wave ${wave.number} (${wave.name}, starts ${wave.start}): ${wave.matrix.length} stack(s)`);
      for (const s of wave.stacks) {
        const pins = s.pinChanges.map((c) => `${c.component} ${c.from} -> ${c.to}`).join(', ');
        ctx.out(`  ${s.stack}: ${pins}; ${countActions(s.changeSet)}; ${s.changeSet.risks.length} risk(s)`);
      }
    }
    if (staged.blocking.length > 0) ctx.out(`${staged.blocking.length} blocking change(s): see plan.md`);
    ctx.out(`wrote ${join(outDir, 'plan.json')}, ${join(outDir, 'plan.md')} and ${staged.waves.length} wave folder(s)`);
    return 0;
  },
};
