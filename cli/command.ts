/** What every `fleet` sub-command gets: parsed arguments and where to write. */
export interface CommandContext {
  readonly args: readonly string[];
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Working directory the relative paths are read from. */
  readonly cwd: string;
}

export interface Command {
  /** e.g. "validate" or "upgrades plan". */
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** Returns the process exit code. */
  readonly run: (ctx: CommandContext) => Promise<number> | number;
}

/** A usage error: the CLI prints the message and the command's usage, and exits 1. */
export class UsageError extends Error {}

/** Parses "--flag value" and "--flag=value" options, rejecting unknown ones. */
export function parseOptions(
  args: readonly string[],
  spec: Record<string, 'string' | 'boolean' | 'string[]'>,
): { options: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const options: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      options[name] = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    if (kind === 'string[]') options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else options[name] = value;
  }
  return { options, positionals };
}

/** Parses --at YYYY-MM-DD into the start of that day in UTC; without it, the current time. */
export function parseAt(value: string | undefined, now: () => Date = () => new Date()): Date {
  if (value === undefined) return now();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UsageError(`--at expects a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return new Date(`${value}T00:00:00Z`);
}

/** Progress lines go to a person's terminal only; CI logs and pipes stay machine-readable. */
export function progress(ctx: CommandContext, line: string): void {
  if (process.stderr.isTTY && !process.env.CI) ctx.err(line);
}
