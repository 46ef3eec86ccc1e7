import { join, resolve } from 'node:path';
import type { CommandContext, FleetCommand } from './command';
import { registered } from './commands';
import { EXIT } from './exit-codes';
import { atOption, customersOption } from './options';

/**
 * The main job (`npm start`): what the team and CI run on the whole fleet. Validate everything,
 * synthesize every stack, plan today's upgrades and stage them as per-wave Terraform changes;
 * stops at the first step that fails.
 */
export const mainCommand: FleetCommand = {
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
    const steps: [string, Record<string, unknown>][] = [
      ['validate', common],
      ['synth', { ...common, out: options.out }],
      ['upgrades plan', { ...common, json: true, out: join(planDir, 'upgrade-plan.json'), md: join(planDir, 'upgrade-plan.md') }],
      ['upgrades stage', { ...common, out: join(planDir, 'staged') }],
    ];
    for (const [name, stepOptions] of steps) {
      ctx.out(`== fleet ${name}`);
      const command: FleetCommand = await registered(name).load();
      const step: CommandContext = { ...ctx, options: Object.fromEntries(Object.entries(stepOptions).filter(([, v]) => v !== undefined)) };
      const code = await command.run(step);
      if (code !== EXIT.ok) return code;
    }
    return EXIT.ok;
  },
};
