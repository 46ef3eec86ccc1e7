/**
 * Temporary files a killed write leaves beside its target, and their removal. Only names fleet's
 * own writers make are matched, so nothing else in the folder is touched.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `<prefix><digits><suffix>`: the shape of every temporary file name fleet's writers make. */
function numbered(entry: string, prefix: string, suffix = ''): boolean {
  if (!entry.startsWith(prefix) || !entry.endsWith(suffix) || entry.length <= prefix.length + suffix.length) return false;
  return /^\d+$/.test(entry.slice(prefix.length, entry.length - suffix.length));
}

/** write-file-atomic's temporary file for `file` (`<name>.<number>` beside it). */
export function isAtomicTempOf(file: string, entry: string): boolean {
  return numbered(entry, `${basename(file)}.`);
}

/** The journaled writer's temporary file for `file` (`.<name>.<pid>.fleet-tmp` beside it). */
export function isFleetTempOf(file: string, entry: string): boolean {
  return numbered(entry, `.${basename(file)}.`, '.fleet-tmp');
}

/** The pid in a journaled writer's temporary file name, or undefined when `entry` is not one for `file`. */
export function fleetTempPid(file: string, entry: string): number | undefined {
  return isFleetTempOf(file, entry) ? Number(entry.slice(basename(file).length + 2, -'.fleet-tmp'.length)) : undefined;
}

/** Removes the entries in `file`'s folder that `matches` picks; a folder that cannot be read has none. */
export function removeTempsBeside(file: string, matches: (entry: string) => boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const entry of entries) if (matches(entry)) rmSync(join(dirname(file), entry), { force: true });
}
