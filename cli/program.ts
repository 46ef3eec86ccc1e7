/**
 * Builds the `fleet` program on commander from the registered commands (cli/commands.ts) and runs
 * it: help (-h, --help) on every command and group, --version, unknown options and stray
 * arguments refused with the usage (exit 1), and each command's exit code passed through.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { styleText } from 'node:util';
import { Command, CommanderError } from 'commander';
import { WriteRefusedError } from '../files/atomic-write';
import { OutputFolderError } from '../files/output-folder';
import { UsageError, showPath, type CommandContext, type RegisteredCommand } from './command';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';
import type { Progress } from './progress';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly cwd: string;
  /** Whether stdout / stderr take ANSI colors (a terminal); --no-color and NO_COLOR turn them off. */
  readonly outColors: boolean;
  readonly errColors: boolean;
  readonly progress: (label: string, total: number) => Progress;
}

/** The version in package.json (found upward: the CLI runs from cli/ under ts-jest and dist/cli/ when built). */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** Errors that are the user's input, not a bug: printed as one line, exit 1. */
function inputProblem(e: unknown, cwd: string): string | undefined {
  if (e instanceof WriteRefusedError && !e.nothingWritten) return `${e.message}.`;
  if (e instanceof WriteRefusedError || e instanceof OutputFolderError) return `${e.message}; nothing was written.`;
  const errno = e as NodeJS.ErrnoException;
  if (errno && typeof errno.code === 'string' && typeof errno.path === 'string' && /^E[A-Z]+$/.test(errno.code)) {
    return `could not ${errno.syscall ?? 'access'} ${showPath(cwd, errno.path)}: ${errno.code}; nothing was written.`;
  }
  return undefined;
}

export async function runProgram(args: readonly string[], io: CliIo, commands: readonly RegisteredCommand[], groups: Readonly<Record<string, string>>): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('fleet');
  // Read from the arguments as well as commander's parse: an error before the parse reaches
  // --no-color (an unknown option earlier on the line) must honour it too.
  const endOfOptions = args.indexOf('--');
  const noColor = (endOfOptions < 0 ? args : args.slice(0, endOfOptions)).includes('--no-color');
  const colors = (on: boolean) => on && !noColor && program.opts().color !== false && !process.env.NO_COLOR;
  program
    .description('Validate, synthesize, plan, stage, review and roll out the fleet of customer pipelines.')
    .version(version(), '-V, --version', 'print the version of fleet')
    .helpOption('-h, --help', 'show help')
    .option('--no-color', 'no colors in help and errors (also NO_COLOR=1)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      getOutHasColors: () => colors(io.outColors),
      getErrHasColors: () => colors(io.errColors),
      outputError: (s, write) => write(colors(io.errColors) ? styleText('red', s) : s),
    })
    .configureHelp({ styleTitle: (s) => styleText('bold', s), showGlobalOptions: true })
    .showHelpAfterError()
    .addHelpText('after', `${EXIT_CODES_HELP}\n\nRun fleet <command> --help for a command's options.`);

  // A command's module (its options and run) is loaded when commander is about to hand it the
  // arguments, so a command loads only what it uses; help lists names and summaries alone.
  const registeredAs = new Map<Command, RegisteredCommand>();
  const prepared = new Set<Command>();
  const prepare = async (command: Command): Promise<void> => {
    const spec = registeredAs.get(command);
    if (!spec || prepared.has(command)) return;
    prepared.add(command);
    const impl = await spec.load();
    impl.define(command);
    command.action(async () => {
      const ctx: CommandContext = { options: command.opts(), args: command.args, out: io.out, err: io.err, cwd: io.cwd, progress: io.progress };
      try {
        code = await impl.run(ctx);
      } catch (e) {
        if (e instanceof UsageError) command.error(`fleet ${spec.name}: ${e.message}`, { exitCode: EXIT.input, code: 'fleet.usage' });
        const problem = inputProblem(e, io.cwd);
        if (problem === undefined) throw e;
        io.err(`fleet ${spec.name}: ${problem}`);
        code = EXIT.input;
      }
    });
  };
  program.hook('preSubcommand', (_parent, sub) => prepare(sub));

  const parents = new Map<string, Command>([['', program]]);
  const parentOf = (words: readonly string[]): Command => {
    const key = words.join(' ');
    const known = parents.get(key);
    if (known) return known;
    const group = parentOf(words.slice(0, -1)).command(words[words.length - 1]).description(groups[key] ?? '');
    group.hook('preSubcommand', (_parent, sub) => prepare(sub));
    parents.set(key, group);
    return group;
  };

  const byName = new Map<string, Command>();
  for (const spec of commands) {
    const words = spec.name.split(' ');
    const command = parentOf(words.slice(0, -1)).command(words[words.length - 1]).description(spec.summary);
    command.addHelpText('after', EXIT_CODES_HELP);
    registeredAs.set(command, spec);
    byName.set(spec.name, command);
  }
  // `fleet help validate` and `fleet rollout help status` print a command's help without
  // dispatching to it (so no hook runs): load that command first.
  const positionals = (endOfOptions < 0 ? args : args.slice(0, endOfOptions)).filter((a) => !a.startsWith('-'));
  const help = positionals.indexOf('help');
  if (help === 0 || help === 1) {
    const named = byName.get([...positionals.slice(0, help), positionals[help + 1]].join(' '));
    if (named) await prepare(named);
  }

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  return code;
}
