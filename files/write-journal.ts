/**
 * Several files written all or none, even under kill -9 (`upgrades plan --out plan.json --md
 * plan.md`: a reader must never see a new plan.json beside an old plan.md).
 *
 * Each file is first written in full to a temporary file beside its target and fsynced (one file
 * alone is then renamed over its target: that is atomic by itself). Then a
 * journal naming every rename is written beside each target (atomically), then the temporary
 * files are renamed over their targets and the journals removed. A kill before the journals
 * leaves every target as it was; a kill after leaves a journal, and `completeWrite` (run by the
 * next write of any of the targets) does the renames that had not happened. A reader of a target
 * calls `pendingWrite` and refuses a file whose write is not complete.
 */
import { chmodSync, chownSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { makeFolders } from './folders';
import { isAlive } from './file-locks';
import { fleetTempPid, isAtomicTempOf, isFleetTempOf, removeTempsBeside } from './stray-temps';

/** A write refused or left incomplete; the message names the file and the fix. */
export class JournalError extends Error {}

/** A write that stopped after replacing some of its files; the message says which and what to do. */
export class IncompleteWriteError extends JournalError {}

/** The journal beside a target: `.<name>.fleet-write`. */
export function journalOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.fleet-write`);
}

/** The temporary file for a target: `.<name>.<pid>.fleet-tmp`, beside it so the rename stays on one file system. */
function tempOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.fleet-tmp`);
}

/** A path that is a temporary file of ours beside `target`. */
const isTempOf = (target: string, file: string): boolean => dirname(file) === dirname(target) && isFleetTempOf(target, basename(file));

interface Rename {
  readonly from: string;
  readonly to: string;
}

/** The renames the journal beside `target` lists, each checked to be a temporary file of ours beside its target, one of them `target`'s. */
function readJournal(journal: string, target: string): Rename[] {
  const fix = `compare the files it names with git, then remove ${journal} by hand`;
  let renames: unknown;
  try {
    renames = (JSON.parse(readFileSync(journal, 'utf8')) as { renames?: unknown }).renames;
  } catch (e) {
    throw new JournalError(`${journal}: an interrupted write left a journal that cannot be read (${(e as Error).message}); ${fix}`);
  }
  const valid =
    Array.isArray(renames) &&
    renames.every((r: Partial<Rename>) => typeof r?.from === 'string' && typeof r.to === 'string' && isAbsolute(r.to) && isTempOf(r.to, r.from)) &&
    renames.some((r: Rename) => realTarget(r.to) === target);
  if (!valid) throw new JournalError(`${journal}: expected a list of renames of fleet's temporary files beside their targets, ${basename(target)} among them; ${fix}`);
  return renames as Rename[];
}

/** The file a path names: a symlink's target (its journal is beside that file), else the path itself. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** A target's write that a killed command left half done, as the journal's path; undefined when there is none. */
export function pendingWrite(target: string): string | undefined {
  const journal = journalOf(realTarget(target));
  return existsSync(journal) ? journal : undefined;
}

/**
 * Finishes the write a killed command left beside `path` (every rename whose temporary file is
 * still there), then removes the temporary files of `target` and of its journal that a kill left
 * before the journal was in place. Returns whether there was a write to finish.
 */
export function completeWrite(path: string): boolean {
  const target = realTarget(path);
  const journal = pendingWrite(target);
  let completed = false;
  if (journal !== undefined) {
    const renames = readJournal(journal, target);
    for (const r of renames) if (existsSync(r.from)) renameSync(r.from, r.to);
    for (const r of renames) rmSync(journalOf(r.to), { force: true });
    completed = true;
  }
  // A temporary file of a live run (pid not ours) is that run's write in progress: it stays.
  const dead = (pid: number | undefined) => pid !== undefined && (pid === process.pid || !isAlive(pid));
  removeTempsBeside(target, (entry) => dead(fleetTempPid(target, entry)) || isAtomicTempOf(journalOf(target), entry));
  return completed;
}

/** A file's content: one string, or pieces written in order (a large file need not be one string in memory). */
export type FileText = string | Iterable<string>;

/** Pieces are encoded into a buffer this size and written when it is full. */
const CHUNK_BYTES = 1 << 20;

function writeBytes(fd: number, bytes: Uint8Array, length: number): void {
  for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
}

/** The text to an open file; pieces go through one reused buffer, so no copy of the whole is made. */
function writeText(fd: number, text: FileText): void {
  if (typeof text === 'string') {
    writeSync(fd, text);
    return;
  }
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const part of text) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8, so a part of n units fits in 3n bytes.
    if (used + part.length * 3 > CHUNK_BYTES) {
      writeBytes(fd, chunk, used);
      used = 0;
    }
    if (part.length * 3 > CHUNK_BYTES) {
      const bytes = Buffer.from(part);
      writeBytes(fd, bytes, bytes.length);
    } else used += chunk.write(part, used);
  }
  writeBytes(fd, chunk, used);
}

/** The whole text to a new file, fsynced, with the mode (and, where allowed, the owner) of the file it will replace. */
function writeTemp(temp: string, target: string, text: FileText): void {
  const fd = openSync(temp, 'wx', 0o666);
  try {
    writeText(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const old = statSync(target, { throwIfNoEntry: false });
  if (old === undefined) return;
  chmodSync(temp, old.mode & 0o7777);
  try {
    chownSync(temp, old.uid, old.gid);
  } catch {
    // Only root may give a file to another user; otherwise it stays the writer's, as with any new file.
  }
}

/**
 * Writes every target (already checked writable, resolved, distinct) or, if killed, leaves them
 * as they were or a journal from which the next write completes them all.
 */
export function writeAllOrNone(files: readonly { readonly real: string; readonly text: FileText }[]): void {
  for (const f of files) completeWrite(f.real);
  const renames: Rename[] = files.map((f) => ({ from: tempOf(f.real), to: f.real }));
  try {
    files.forEach((f, i) => {
      makeFolders(dirname(f.real));
      writeTemp(renames[i].from, f.real, f.text);
    });
  } catch (e) {
    for (const r of renames) rmSync(r.from, { force: true });
    throw e;
  }
  // One rename is atomic by itself: a kill leaves the old file and a temporary one the next write removes.
  if (files.length === 1) {
    try {
      renameSync(renames[0].from, renames[0].to);
    } catch (e) {
      rmSync(renames[0].from, { force: true });
      throw e;
    }
    return;
  }
  const journal = `${JSON.stringify({ formatVersion: 1, renames })}\n`;
  try {
    for (const r of renames) writeFileAtomic.sync(journalOf(r.to), journal);
  } catch (e) {
    // Nothing was renamed yet: an error here leaves the targets as they were.
    for (const r of renames) rmSync(journalOf(r.to), { force: true });
    for (const r of renames) rmSync(r.from, { force: true });
    throw e;
  }
  let done = 0;
  try {
    for (const r of renames) {
      renameSync(r.from, r.to);
      done++;
    }
  } catch (e) {
    // Say what is true now: which files are new, which are not, and whether the journal can still finish them.
    const rest = renames.slice(done);
    const replaced = done === 0 ? 'none of them was replaced yet' : `${renames.slice(0, done).map((r) => r.to).join(', ')} replaced`;
    const next = rest.every((r) => existsSync(r.from))
      ? `${journalOf(rest[0].to)} lists the rest, and the next write of these files completes it`
      : 'a temporary file of the write is gone, so the journal cannot finish it: run the command again to write them all';
    throw new IncompleteWriteError(`${rest.map((r) => r.to).join(', ')}: not replaced (${(e as Error).message}), ${replaced}; ${next}`);
  }
  for (const r of renames) rmSync(journalOf(r.to), { force: true });
}
