/**
 * Every `fleet` command, in the order `fleet --help` lists them. This is the one place commands
 * are registered, with the name and summary help shows; cli/program.ts turns each into a
 * commander command (a name with two words, such as "upgrades plan", goes under its group, which
 * GROUPS describes) and loads a command's module only when that command runs, so that `fleet
 * --help` or `fleet rollout status` never load the schema, the planner or cdktf.
 *
 * To add a command, e.g. `fleet drift`, write cli/drift.ts:
 *
 *   export const driftCommand: FleetCommand = {
 *     define: (c) => c.addOption(customersOption()).option('--since <ref>', 'what it means (default: ...)'),
 *     run(ctx) {                          // ctx.options.since, ctx.args, ctx.out/err, ctx.cwd
 *       ...
 *       return EXIT.ok;                   // cli/exit-codes.ts; throw UsageError for a usage mistake
 *     },
 *   };
 *
 * and add it to COMMANDS below: { name: 'drift' (or 'catalog import' for a command in a group),
 * summary: 'One line for fleet --help.', load: async () => (await import('./drift')).driftCommand }
 * (and its group to GROUPS if new).
 */
import type { RegisteredCommand } from './command';

export const COMMANDS: readonly RegisteredCommand[] = [
  {
    name: 'main',
    summary:
      "Validate, synthesize every stack into cdktf.out, write today's upgrade plan into plan/ and its staged Terraform changes into plan/staged/ (npm start).",
    load: async () => (await import('./main-job')).mainCommand,
  },
  {
    name: 'validate',
    summary:
      'Check every customer file, the release catalog and the upgrade policy; report every problem at once (exit 1 on any error).',
    load: async () => (await import('./validate')).validateCommand,
  },
  {
    name: 'synth',
    summary:
      'Validate, then synthesize every customer environment (or the named stacks) into cdktf.out, all or nothing.',
    load: async () => (await import('./synth')).synthCommand,
  },
  {
    name: 'upgrades plan',
    summary:
      'Plan component upgrades for the fleet: ranked, in waves, with a reason for every decision.',
    load: async () => (await import('./upgrades-plan')).upgradesPlanCommand,
  },
  {
    name: 'upgrades stage',
    summary:
      'Turn the upgrade plan into per-wave synthesized stacks, predicted resource changes and risks: DIR/plan.json, DIR/plan.md, DIR/wave-N/<stack>/cdk.tf.json.',
    load: async () => (await import('./upgrades-stage')).upgradesStageCommand,
  },
  {
    name: 'review',
    summary:
      'Review `terraform show -json` plans, one per stack: exit 2 if one replaces or deletes a protected (data-holding) resource or changes what the stage did not predict (--expect), 1 if an input is not plan JSON.',
    load: async () => (await import('./review')).reviewCommand,
  },
  {
    name: 'predict',
    summary:
      'Predict each stack\'s resource changes from two `fleet synth --out` folders (last deployed commit, merged commit) into a staged-plan file for `fleet review --expect FILE`; a stack missing from the base is created whole.',
    load: async () => (await import('./predict')).predictCommand,
  },
  {
    name: 'rollout apply',
    summary:
      "Rewrite one wave's version pins in its customer files (minimal diff) and record it; wave N waits for wave N-1 to be deployed and healthy.",
    load: async () => (await import('./rollout')).rolloutApplyCommand,
  },
  {
    name: 'rollout mark',
    summary:
      "Record what CI deployed: each stack's commit (--commit, in rollout/deployments.json), and the wave (default: the one in progress or halted) as deployed when all its stacks are among --stacks; an empty --stacks is refused.",
    load: async () => (await import('./rollout')).rolloutMarkCommand,
  },
  {
    name: 'rollout status',
    summary:
      'Each wave of the rollout: pending, in progress, deployed or halted (with the failed metrics), and what comes next.',
    load: async () => (await import('./rollout')).rolloutStatusCommand,
  },
  {
    name: 'rollout gate',
    summary:
      "Judge a deployed wave's exported alarm metrics against each customer's thresholds; record healthy (exit 0) or halted (exit 2).",
    load: async () => (await import('./rollout')).rolloutGateCommand,
  },
  {
    name: 'affected',
    summary:
      'The stacks a change touches (customer files: their stack; constructs, stacks, schema, dependencies: all), with a CI matrix.',
    load: async () => (await import('./affected')).affectedCommand,
  },
  {
    name: 'catalog import',
    summary:
      "Propose a catalog change from a component's upstream CHANGELOG or GitHub releases export and OSV advisories, as a diff; --write applies it.",
    load: async () => (await import('./catalog-import')).catalogImportCommand,
  },
  {
    name: 'schema',
    summary:
      'Write the customer file JSON Schema (default customers/customer.schema.json) from the zod schema.',
    load: async () => (await import('./schema')).schemaCommand,
  },
];

/** Command groups: `fleet <group> --help` lists their commands. */
export const GROUPS: Readonly<Record<string, string>> = {
  upgrades: 'Plan component upgrades and stage them as per-wave Terraform changes.',
  catalog: 'Keep the release catalog current from upstream changelogs and advisories.',
  rollout: 'Roll an upgrade plan out wave by wave: apply pins, record deploys, gate on metrics, show status.',
};

/** The registered command of this name; throws for a name that is not registered (a bug). */
export function registered(name: string): RegisteredCommand {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`no fleet command is registered as "${name}"`);
  return command;
}
