/**
 * `fleet`: the command line the managed-service team and CI use. Commands are registered in
 * cli/commands.ts and run by cli/program.ts (commander); this file wires in the process's streams.
 */
import { Command } from 'commander';
import { COMMANDS as FLEET_COMMANDS, GROUPS } from './commands';
import { noProgress, progressFor } from './progress';
import { runProgram, type CliIo } from './program';

/** Writes lines to a stream until its reader goes away (EPIPE: `fleet ... | head -1`), then drops them. */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

let processIo: { out: (line: string) => void; err: (line: string) => void } | undefined;

/**
 * Runs `fleet` with these arguments and returns the exit code. Tests pass `out`, `err` and `cwd`;
 * without them it writes to the process's streams, with colors and progress bars on a terminal.
 */
export async function main(args: readonly string[], io: Partial<Pick<CliIo, 'out' | 'err' | 'cwd'>> = {}): Promise<number> {
  processIo ??= io.out && io.err ? undefined : { out: lineWriter(process.stdout), err: lineWriter(process.stderr) };
  const injected = io.out !== undefined || io.err !== undefined;
  return runProgram(
    args,
    {
      out: io.out ?? processIo!.out,
      err: io.err ?? processIo!.err,
      cwd: io.cwd ?? process.cwd(),
      outColors: !injected && process.stdout.isTTY === true,
      errColors: !injected && process.stderr.isTTY === true,
      progress: injected ? noProgress : progressFor(process.stderr),
    },
    FLEET_COMMANDS,
    GROUPS,
  );
}

/** Each command's name and a one-line usage with every option (for checks of scripts that call fleet); loads every command. */
export async function commandUsages(): Promise<{ name: string; usage: string }[]> {
  return Promise.all(
    FLEET_COMMANDS.map(async (spec) => {
      const command = new Command(spec.name);
      (await spec.load()).define(command);
      return { name: spec.name, usage: `${spec.name} ${command.options.map((o) => o.flags).join(' ')}` };
    }),
  );
}
