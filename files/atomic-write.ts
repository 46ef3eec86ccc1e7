/**
 * Every file fleet writes into place goes through here: write-file-atomic writes a temporary file
 * beside the target and renames it over, so a reader (or a crash) sees the old content or the new,
 * never half. Before that, the target is checked: a symlink is written through to the file it
 * names (the link stays a link), and anything that is not a regular file (a folder, a device such
 * as /dev/stdout, a pipe, a dangling link) is refused, because renaming over it would replace it.
 */
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LockedError, withFileLocks } from './file-locks';
import { makeFolders } from './folders';
import { isAtomicTempOf, removeTempsBeside } from './stray-temps';
import { completeWrite, IncompleteWriteError, JournalError, pendingWrite, writeAllOrNone, type FileText } from './write-journal';

/** A target fleet will not write; the message names the path and what to do instead. */
export class WriteRefusedError extends Error {
  /** False when some files were already replaced: the message says which, and "nothing was written" would be untrue. */
  readonly nothingWritten: boolean = true;
}

/** A write that stopped after replacing some of its files (the message says which and what to do). */
export class PartialWriteError extends WriteRefusedError {
  override readonly nothingWritten = false;
}

/** How much of a file is read to recognise it as fleet's output. */
export const HEAD_BYTES = 4096;

/** The first HEAD_BYTES of a file as text. */
export function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * A file a user named (--out, --md): fleet replaces it only when it is fleet's own output of the
 * same kind, or when told to.
 */
export interface OutputGuard {
  /** Recognises, from its first HEAD_BYTES, fleet's output of this kind. */
  readonly recognises: (head: string) => boolean;
  /** What the output is, for the message: "an upgrade plan (JSON)". */
  readonly kind: string;
  /** The target as the user named it, for messages: "--out plan.json". */
  readonly label: string;
  /** Replace an existing file even when it is not recognised (--force). */
  readonly force: boolean;
}

export interface FileToWrite {
  readonly path: string;
  /** The content: one string, or pieces written in order through a small buffer (for a file too large to hold twice). */
  readonly text: FileText;
  /**
   * Set for a file the user named: it is written under a lock (one run at a time), an existing
   * file is replaced only if recognised (or forced), and temporary files a killed write of it
   * left are removed. Without it (fleet's own state, pins and catalog files), any regular file is replaced.
   */
  readonly guard?: OutputGuard;
}

/** Where writing `path` really lands: the path itself, or the regular file a symlink resolves to. */
export function writableTarget(path: string): string {
  const absolute = resolve(path);
  let link;
  try {
    link = lstatSync(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return absolute;
    if (code === 'ENOTDIR') throw new WriteRefusedError(`${path}: ${fileOnTheWay(absolute)} is a file, not a folder, so nothing can be written inside it; give a path whose folders are folders`);
    throw e;
  }
  if (link.isSymbolicLink()) {
    let target;
    try {
      target = statSync(absolute);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new WriteRefusedError(`${path} is a symlink that leads back to itself (a loop); point it at a file or remove the link`);
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new WriteRefusedError(`${path} is a symlink through a file, not a folder (${fileOnTheWay(realTarget(absolute))}); point it at a file or remove the link`);
      throw new WriteRefusedError(`${path} is a symlink to a file that does not exist; point it at a file or remove the link`);
    }
    if (!target.isFile()) throw new WriteRefusedError(`${path} is a symlink to something that is not a regular file (a device, pipe or folder); give a file path (or - for standard output)`);
    return realpathSync(absolute);
  }
  if (link.isDirectory()) throw new WriteRefusedError(`${path} is a folder; give a file path`);
  if (!link.isFile()) throw new WriteRefusedError(`${path} is not a regular file (a device, pipe or socket); give a file path (or - for standard output)`);
  return absolute;
}

/** The nearest folder on the way to `absolute` that is in fact a file (what ENOTDIR means). */
function fileOnTheWay(absolute: string): string {
  for (let dir = dirname(absolute); dirname(dir) !== dir; dir = dirname(dir)) {
    let st;
    try {
      st = statSync(dir, { throwIfNoEntry: false });
    } catch {
      continue; // below the file: ENOTDIR again
    }
    if (st?.isFile()) return dir;
  }
  return dirname(absolute);
}

/** Where a symlink points, resolved from its folder (it need not exist). */
function realTarget(link: string): string {
  return resolve(dirname(link), readlinkSync(link));
}

/** Writes one file atomically, creating its parent folders. */
export function writeFileAtomically(path: string, text: string): void {
  writeFilesAtomically([{ path, text }]);
}

/**
 * Writes several files, all or none even under kill -9 (files/write-journal.ts); every target is
 * checked before the first is written. One file given as one string is written by write-file-atomic.
 */
export function writeFilesAtomically(files: readonly FileToWrite[]): void {
  const targets = files.map((f) => ({ ...f, real: writableTarget(f.path) }));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.real)) throw new WriteRefusedError(`${t.path} is written twice in one command; give each output its own file`);
    seen.add(t.real);
  }
  const guarded = targets.filter((t) => t.guard !== undefined);
  if (guarded.length === 0) return writeTargets(targets);
  const label = new Map(guarded.map((t) => [t.real, t.guard!.label]));
  // The lock is a folder beside the target, so the target's folder comes first.
  for (const t of guarded) makeFolders(dirname(t.real));
  try {
    withFileLocks(
      guarded.map((t) => t.real),
      (real) => label.get(real)!,
      () => {
        // Checked again under the lock: the target may have changed while this run waited.
        for (const t of guarded) refuseForeign(t.real, t.guard!);
        for (const t of guarded) removeStrayTemps(t.real, t.guard!);
        writeTargets(targets);
      },
    );
  } catch (e) {
    if (e instanceof LockedError) throw new WriteRefusedError(e.message);
    throw e;
  }
}

/** An existing file that is not fleet's output of this kind is refused, unless forced. */
function refuseForeign(real: string, guard: OutputGuard): void {
  if (guard.force || statSync(real, { throwIfNoEntry: false }) === undefined) return;
  if (guard.recognises(readHead(real))) return;
  throw new WriteRefusedError(`${guard.label} exists and is not ${guard.kind} that fleet wrote; remove it, choose another path, or pass --force to replace it`);
}

/**
 * write-file-atomic's temporary files (`<name>.<number>`) that a killed write left beside the
 * target: removed only when they also hold fleet's output of this kind (or nothing), so a user's
 * `plan.txt.1` stays. Safe under the lock: no other fleet run is writing this target.
 */
function removeStrayTemps(real: string, guard: OutputGuard): void {
  removeTempsBeside(real, (entry) => {
    if (!isAtomicTempOf(real, entry)) return false;
    try {
      // An empty one (killed between its open and its first write) holds nothing to lose.
      const path = join(dirname(real), entry);
      return statSync(path).size === 0 || guard.recognises(readHead(path));
    } catch {
      return false;
    }
  });
}

function writeTargets(targets: readonly (FileToWrite & { real: string })[]): void {
  try {
    const [only] = targets;
    if (targets.length === 1 && typeof only.text === 'string') {
      // Only a journal is looked for here (one stat): sweeping the folder for stray temporary
      // files on every write would read a 10,000-file customers folder once per pin a rollout writes.
      if (pendingWrite(only.real) !== undefined) completeWrite(only.real);
      makeFolders(dirname(only.real));
      writeFileAtomic.sync(only.real, only.text);
    } else if (targets.length > 0) {
      writeAllOrNone(targets);
    }
  } catch (e) {
    if (e instanceof IncompleteWriteError) throw new PartialWriteError(e.message);
    if (e instanceof JournalError) throw new WriteRefusedError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    const what = targets.length === 1 ? `${targets[0].path}: could not write it` : `${targets.map((t) => t.path).join(', ')}: could not write them`;
    throw new WriteRefusedError(`${what} (${code ?? (e as Error).message}); check the folder exists and is writable`);
  }
}

/** A file's text, or undefined when there is no file. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
