/**
 * What a `fleet` command is: the options it declares on commander and a run function that gets
 * the parsed options and returns an exit code, in its own module; its name and summary are in the
 * registry (cli/commands.ts), which loads the module only when the command runs. Parsing, help
 * and usage errors are commander's (cli/program.ts).
 */
import { dirname, resolve } from 'node:path';
import type { Command as Commander } from 'commander';
import { formatIssue, type ValidationIssue } from '../customers/json-issues';
import type { ProtectedFolder } from '../files/output-folder';
import { showPath } from '../files/show-path';

export { showPath };
import type { Progress } from './progress';

/** What every `fleet` command gets: parsed options and where to write. */
export interface CommandContext {
  /** commander's parsed options, by camelCase name (`--max-jobs` is `maxJobs`). */
  readonly options: Record<string, unknown>;
  /** Positional arguments (only for commands that declare them, such as `review PLAN...`). */
  readonly args: readonly string[];
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Working directory the relative paths are read from. */
  readonly cwd: string;
  /** A progress bar on a person's terminal; does nothing in CI, pipes and tests. */
  readonly progress: (label: string, total: number) => Progress;
}

/** What a command's module exports. */
export interface FleetCommand {
  /** Declares the command's arguments and options; shared ones come from cli/options.ts. */
  readonly define: (command: Commander) => void;
  /** Returns the process exit code (cli/exit-codes.ts). */
  readonly run: (ctx: CommandContext) => Promise<number> | number;
}

/** A command as the registry (cli/commands.ts) lists it. */
export interface RegisteredCommand {
  /** e.g. "validate" or "upgrades plan" (a group and a command). */
  readonly name: string;
  /** One line for `fleet --help`. */
  readonly summary: string;
  /** The command's module, imported when the command runs (or its help is asked for). */
  readonly load: () => Promise<FleetCommand>;
}

/** A usage error: the CLI prints the message and the command's help, and exits 1. */
export class UsageError extends Error {}

/** 00:00 UTC of a day; any year from 0000 (Date.UTC alone would take 0 to 99 as 1900 to 1999). */
function utcDay(year: number, monthIndex: number, day: number): Date {
  const date = new Date(Date.UTC(2000, monthIndex, day));
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

/** Parses YYYY-MM-DD into the start of that day in UTC; only real dates (2026-02-31 is refused). */
export function parseDate(value: string, flag = '--at'): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new UsageError(`${flag} expects a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = utcDay(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    const why = mo < 1 || mo > 12 ? 'months run 01 to 12' : d === 0 ? 'days start at 01' : `that month has ${utcDay(y, mo, 0).getUTCDate()} days`;
    throw new UsageError(`${flag} expects a real date as YYYY-MM-DD, got ${JSON.stringify(value)} (${why})`);
  }
  return date;
}

/** The `--at` option (already a Date: commander parses it) or, without it, the current time. */
export function parseAt(value: Date | string | undefined, now: () => Date = () => new Date()): Date {
  if (value === undefined) return now();
  return value instanceof Date ? value : parseDate(value);
}


/** A validation issue as one line, its file shown relative to the working directory. */
export function issueLine(cwd: string, issue: ValidationIssue): string {
  return formatIssue({ ...issue, file: showPath(cwd, issue.file) });
}

/** The input folders no output folder may replace, as the options name them. */
export function inputFolders(cwd: string, options: Record<string, unknown>): ProtectedFolder[] {
  const path = (name: string, fallback: string) => resolve(cwd, (options[name] as string | undefined) ?? fallback);
  return [
    { path: path('customers', 'customers'), holds: 'the customer files' },
    { path: path('catalog', 'upgrades/catalog'), holds: 'the release catalog' },
    { path: dirname(path('policy', 'upgrades/policy.json')), holds: 'the upgrade policy' },
    { path: dirname(path('state', 'rollout/state.json')), holds: 'the rollout state' },
  ];
}
