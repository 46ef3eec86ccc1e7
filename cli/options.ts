/**
 * Options several commands share, declared once so they read and behave the same everywhere.
 * Defaults are applied by the commands (and named in the descriptions), so a command can tell
 * an option given from one left out.
 */
import { InvalidArgumentError, Option } from 'commander';
import { parseDate } from './command';

/** A single-value option given twice is refused: which one was meant is a guess (commander keeps the last). */
function once<T>(flag: string, parse: (value: string) => T): (value: string, previous: T | undefined) => T {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`${flag} was given more than once; give it once`);
    return parse(value);
  };
}

const text = (value: string) => value;

function realDate(value: string): Date {
  try {
    return parseDate(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export const customersOption = () => new Option('--customers <dir>', 'folder of customer files (default: customers)').argParser(once('--customers', text));
export const atOption = () => new Option('--at <YYYY-MM-DD>', 'take 00:00 UTC of this day as now (default: the current time)').argParser(once('--at', realDate));
export const catalogOption = () => new Option('--catalog <dir>', 'release catalog folder (default: upgrades/catalog)').argParser(once('--catalog', text));
export const policyOption = () => new Option('--policy <file>', 'upgrade policy file (default: upgrades/policy.json)').argParser(once('--policy', text));

/** --json always means the same thing: the machine-readable output, on stdout (or in --out FILE). */
export const jsonOption = () => new Option('--json', 'machine-readable JSON instead of the text report');
/** For commands whose output is one document; folder-writing commands have an --out DIR instead. */
export const outFileOption = () =>
  new Option('--out <file>', 'write the output into FILE instead of stdout (atomically, parent folders created; - is stdout)').argParser(once('--out', text));
/** For commands that write a file the user names: an existing one is replaced only if it is fleet's output of the same kind. */
export const forceOption = () => new Option('--force', "replace an existing --out/--md file even when it is not fleet's output of the same kind");
export const outDirOption = (fallback: string) =>
  new Option('--out <dir>', `output folder, replaced whole on each run; it must be new, empty or made by fleet (default: ${fallback})`).argParser(once('--out', text));

/** A repeatable option: `--stack a --stack b`. */
export function repeatable(flags: string, description: string): Option {
  return new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}
