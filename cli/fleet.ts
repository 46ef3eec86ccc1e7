/**
 * `fleet`: the command line the managed-service team and CI use.
 * Each sub-command lives in its own module; this file only dispatches.
 */
import type { Command, CommandContext } from './command';
import { UsageError } from './command';
import { validateCommand } from './validate';
import { synthCommand } from './synth';
import { upgradesPlanCommand } from './upgrades-plan';
import { schemaCommand } from './schema';
import { mainCommand } from './main-job';
import { ROLLOUT_COMMANDS } from './rollout';
import { affectedCommand } from './affected';
import { upgradesStageCommand } from './upgrades-stage';
import { reviewCommand } from './review';
import { predictCommand } from './predict';

export const COMMANDS: readonly Command[] = [mainCommand, validateCommand, synthCommand, upgradesPlanCommand, upgradesStageCommand, schemaCommand, ...ROLLOUT_COMMANDS, affectedCommand, reviewCommand, predictCommand];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return ['usage: fleet <command> [options]', '', ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** Finds the command whose (possibly two-word) name starts the arguments. */
function findCommand(args: readonly string[]): { command: Command; rest: string[] } | undefined {
  const byLength = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of byLength) {
    const words = command.name.split(' ');
    if (words.every((w, i) => args[i] === w)) return { command, rest: args.slice(words.length) };
  }
  return undefined;
}

export async function main(args: readonly string[], io: Partial<CommandContext> = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (args.length === 0 || args[0] === '--help' || args[0] === 'help') {
    out(helpText());
    return args.length === 0 ? 1 : 0;
  }
  const found = findCommand(args);
  if (!found) {
    err(`fleet: unknown command "${args.join(' ')}"\n\n${helpText()}`);
    return 1;
  }
  if (found.rest.includes('--help')) {
    out(`usage: fleet ${found.command.usage}\n\n${found.command.summary}`);
    return 0;
  }
  try {
    return await found.command.run({ args: found.rest, out, err, cwd: io.cwd ?? process.cwd() });
  } catch (e) {
    if (e instanceof UsageError) {
      err(`fleet ${found.command.name}: ${e.message}\nusage: fleet ${found.command.usage}`);
      return 1;
    }
    throw e;
  }
}
