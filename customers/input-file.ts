/**
 * Reading an input file from disk without surprises: a directory, a dangling symlink, a FIFO or
 * a huge file named like an input is reported as an issue (file, expected, got, fix) instead of
 * throwing, hanging or being read into memory whole.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
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

/** Reads a regular file (or a symlink to one) of at most `maxBytes`. */
export function readInputFile(file: string, description: string, maxBytes = DEFAULT_MAX_BYTES): InputFile {
  const fail = (got: string, hint: string): InputFile => ({ issue: { file, path: '', expected: description, got, hint } });
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
  try {
    // The size is checked again on the open file: it may have grown since the stat.
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { issue: sizeIssue(file, size, maxBytes) };
    const bytes = Buffer.alloc(size);
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
