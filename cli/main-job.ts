import { join, resolve } from 'node:path';
import type { CommandContext, FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { atOption, customersOption } from './options';
import { synthCommand } from './synth';
import { upgradesPlanCommand } from './upgrades-plan';
import { upgradesStageCommand } from './upgrades-stage';
import { validateCommand } from './validate';

/**
 * The main job (`npm start`): what the team and CI run on the whole fleet. Validate everything,
 * synthesize every stack, plan today's upgrades and stage them as per-wave Terraform changes;
 * stops at the first step that fails.
 */
export const mainCommand: FleetCommand = {
  name: 'main',
  summary: "Validate, synthesize every stack into cdktf.out, write today's upgrade plan into plan/ and its staged Terraform changes into plan/staged/ (npm start).",
  define: (c) =>
    c
      .addOption(customersOption())
      .option('--out <dir>', 'synth output folder (default: cdktf.out)')
      .option('--plan-dir <dir>', 'folder for upgrade-plan.json, upgrade-plan.md and staged/, created if missing (default: plan)')
      .addOption(atOption()),
  async run(ctx) {
    const { options } = ctx;
    const common = { customers: options.customers, at: options.at };
    const planDir = resolve(ctx.cwd, (options.planDir as string | undefined) ?? 'plan');
    const steps: [FleetCommand, Record<string, unknown>][] = [
      [validateCommand, common],
      [synthCommand, { ...common, out: options.out }],
      [upgradesPlanCommand, { ...common, json: true, out: join(planDir, 'upgrade-plan.json'), md: join(planDir, 'upgrade-plan.md') }],
      [upgradesStageCommand, { ...common, out: join(planDir, 'staged') }],
    ];
    for (const [command, stepOptions] of steps) {
      ctx.out(`== fleet ${command.name}`);
      const step: CommandContext = { ...ctx, options: Object.fromEntries(Object.entries(stepOptions).filter(([, v]) => v !== undefined)) };
      const code = await command.run(step);
      if (code !== EXIT.ok) return code;
    }
    return EXIT.ok;
  },
};
