import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseOptions, type Command } from './command';
import { synthCommand } from './synth';
import { upgradesPlanCommand } from './upgrades-plan';
import { upgradesStageCommand } from './upgrades-stage';
import { validateCommand } from './validate';

/**
 * The main job (`npm start`): what the team and CI run on the whole fleet. Validate everything,
 * synthesize every stack, plan today's upgrades and stage them as per-wave Terraform changes;
 * stops at the first step that fails.
 */
export const mainCommand: Command = {
  name: 'main',
  usage: 'main [--customers DIR] [--out DIR] [--plan-dir DIR] [--at YYYY-MM-DD]',
  summary: "Validate, synthesize every stack into cdktf.out, write today's upgrade plan into plan/ and its staged Terraform changes into plan/staged/ (npm start).",
  async run(ctx) {
    const { options } = parseOptions(ctx.args, { customers: 'string', out: 'string', 'plan-dir': 'string', at: 'string' });
    const common = [
      ...(options.customers ? ['--customers', options.customers as string] : []),
      ...(options.at ? ['--at', options.at as string] : []),
    ];
    const planDir = resolve(ctx.cwd, (options['plan-dir'] as string | undefined) ?? 'plan');
    const steps: [Command, string[]][] = [
      [validateCommand, common],
      [synthCommand, [...common, ...(options.out ? ['--out', options.out as string] : [])]],
      [upgradesPlanCommand, [...common, '--json', join(planDir, 'upgrade-plan.json'), '--md', join(planDir, 'upgrade-plan.md')]],
      [upgradesStageCommand, [...common, '--out', join(planDir, 'staged')]],
    ];
    for (const [command, args] of steps) {
      ctx.out(`== fleet ${command.name}`);
      if (command === upgradesPlanCommand) mkdirSync(planDir, { recursive: true });
      const code = await command.run({ ...ctx, args });
      if (code !== 0) return code;
    }
    return 0;
  },
};
