/**
 * Reading an input file from disk without surprises: a directory, a dangling symlink, a FIFO or
 * a huge file named like an input is reported as an issue (file, expected, got, fix) instead of
 * throwing, hanging or being read into memory whole.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ValidationIssue } from './json-issues';
import { DEFAULT_MAX_BYTES, sizeIssue } from './strict-json';

export interface InputFile {
  readonly bytes?: Buffer;
  readonly issue?: ValidationIssue;
}

function what(kind: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (kind.isDirectory()) return 'a directory';
  if (kind.isFIFO()) return 'a named pipe';
  if (kind.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Opens a path a folder listing called a regular file without following a link or waiting on a
 * pipe; undefined when it is not one (any more) or this platform lacks the flags, so the careful
 * path looks at it first. Skipping that look saves a system call per file of a large fleet.
 */
function openListedFile(file: string): { fd: number; size: number } | undefined {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;
  if (O_NOFOLLOW === undefined || O_NONBLOCK === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return { fd, size: stat.size };
  } catch {
    // The careful path says what is wrong.
  }
  closeSync(fd);
  return undefined;
}

/** Reads an open file and closes it; `size` is its fstat size, of the open file because it may have grown since a look at the path. */
function readOpenFile(file: string, fd: number, size: number, maxBytes: number): InputFile {
  try {
    if (size > maxBytes) return { issue: sizeIssue(file, size, maxBytes) };
    const bytes = Buffer.allocUnsafeSlow(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: bytes.subarray(0, read) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a regular file (or a symlink to one) of at most `maxBytes`. `listedAsFile`: the folder's
 * listing says the entry is a regular file, so it is opened at once (Default: it is looked at
 * before it is opened, so that no device or pipe is ever opened).
 */
export function readInputFile(file: string, description: string, maxBytes = DEFAULT_MAX_BYTES, listedAsFile = false): InputFile {
  const fail = (got: string, hint: string): InputFile => ({ issue: { file, path: '', expected: description, got, hint } });
  const listed = listedAsFile ? openListedFile(file) : undefined;
  if (listed) return readOpenFile(file, listed.fd, listed.size, maxBytes);
  let link;
  try {
    link = lstatSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file' : `an unreadable path (${code ?? 'error'})`, 'check the path');
  }
  let stat = link;
  if (link.isSymbolicLink()) {
    try {
      stat = statSync(file);
    } catch {
      return fail('a symlink whose target does not exist', 'fix or remove the link');
    }
  }
  if (!stat.isFile()) return fail(link.isSymbolicLink() ? `a symlink to ${what(stat)}` : what(stat), 'remove it or give it another name; only files are read here');
  if (stat.size > maxBytes) return { issue: sizeIssue(file, stat.size, maxBytes) };
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return fail(`a file that cannot be opened (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check its permissions');
  }
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return readOpenFile(file, fd, size, maxBytes);
}
