import { relative, resolve, sep } from 'node:path';

/**
 * A path as messages show it: relative to the working directory when inside it (or one of its
 * parents, `..`), absolute when elsewhere, where a chain of ../ would be harder to read.
 */
export function showPath(cwd: string, path: string): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  const up = rel.split(sep).every((part) => part === '..');
  return rel.startsWith('..') && !up ? absolute : rel;
}
