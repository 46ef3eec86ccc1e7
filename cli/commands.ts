/**
 * Every `fleet` command, in the order `fleet --help` lists them. This is the one place commands
 * are registered; cli/program.ts turns each into a commander command (a name with two words,
 * such as "upgrades plan", goes under its group, which GROUPS describes).
 *
 * To add a command, e.g. `fleet drift`, write cli/drift.ts:
 *
 *   export const driftCommand: FleetCommand = {
 *     name: 'drift',                      // or 'catalog import' for a command in a group
 *     summary: 'One line for fleet --help.',
 *     define: (c) => c.addOption(customersOption()).option('--since <ref>', 'what it means (default: ...)'),
 *     run(ctx) {                          // ctx.options.since, ctx.args, ctx.out/err, ctx.cwd
 *       ...
 *       return EXIT.ok;                   // cli/exit-codes.ts; throw UsageError for a usage mistake
 *     },
 *   };
 *
 * and add `driftCommand` to COMMANDS below (and its group to GROUPS if new). A command written for
 * the old hand-written parser ports in three steps: its `usage` string becomes `define` (one
 * .option() per flag; `--flag-name` arrives as ctx.options.flagName), `parseOptions(ctx.args, ...)`
 * becomes `ctx.options`, and positionals become `.argument(...)`, read from ctx.args.
 */
import type { FleetCommand } from './command';
import { affectedCommand } from './affected';
import { catalogImportCommand } from './catalog-import';
import { mainCommand } from './main-job';
import { predictCommand } from './predict';
import { reviewCommand } from './review';
import { ROLLOUT_COMMANDS } from './rollout';
import { schemaCommand } from './schema';
import { synthCommand } from './synth';
import { upgradesPlanCommand } from './upgrades-plan';
import { upgradesStageCommand } from './upgrades-stage';
import { validateCommand } from './validate';

export const COMMANDS: readonly FleetCommand[] = [
  mainCommand,
  validateCommand,
  synthCommand,
  upgradesPlanCommand,
  upgradesStageCommand,
  reviewCommand,
  predictCommand,
  ...ROLLOUT_COMMANDS,
  affectedCommand,
  catalogImportCommand,
  schemaCommand,
];

/** Command groups: `fleet <group> --help` lists their commands. */
export const GROUPS: Readonly<Record<string, string>> = {
  upgrades: 'Plan component upgrades and stage them as per-wave Terraform changes.',
  catalog: 'Keep the release catalog current from upstream changelogs and advisories.',
  rollout: 'Roll an upgrade plan out wave by wave: apply pins, record deploys, gate on metrics, show status.',
};
