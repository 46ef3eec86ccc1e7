/**
 * Every file fleet writes into place goes through here: write-file-atomic writes a temporary file
 * beside the target and renames it over, so a reader (or a crash) sees the old content or the new,
 * never half. Before that, the target is checked: a symlink is written through to the file it
 * names (the link stays a link), and anything that is not a regular file (a folder, a device such
 * as /dev/stdout, a pipe, a dangling link) is refused, because renaming over it would replace it.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { makeFolders } from './folders';
import { completeWrite, JournalError, pendingWrite, writeAllOrNone, type FileText } from './write-journal';

/** A target fleet will not write; the message names the path and what to do instead. */
export class WriteRefusedError extends Error {}

export interface FileToWrite {
  readonly path: string;
  /** The content: one string, or pieces written in order through a small buffer (for a file too large to hold twice). */
  readonly text: FileText;
}

/** Where writing `path` really lands: the path itself, or the regular file a symlink resolves to. */
export function writableTarget(path: string): string {
  const absolute = resolve(path);
  let link;
  try {
    link = lstatSync(absolute);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return absolute;
    throw e;
  }
  if (link.isSymbolicLink()) {
    let target;
    try {
      target = statSync(absolute);
    } catch {
      throw new WriteRefusedError(`${path} is a symlink to a file that does not exist; point it at a file or remove the link`);
    }
    if (!target.isFile()) throw new WriteRefusedError(`${path} is a symlink to something that is not a regular file (a device, pipe or folder); give a file path (or - for standard output)`);
    return realpathSync(absolute);
  }
  if (link.isDirectory()) throw new WriteRefusedError(`${path} is a folder; give a file path`);
  if (!link.isFile()) throw new WriteRefusedError(`${path} is not a regular file (a device, pipe or socket); give a file path (or - for standard output)`);
  return absolute;
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
