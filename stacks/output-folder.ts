import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Fills a sibling staging folder and swaps it in for `outDir` only when `fill` succeeds, so a
 * failed run leaves the previous output untouched and never a half-written folder.
 */
export async function replaceFolder<T>(outDir: string, fill: (staging: string) => Promise<T> | T): Promise<T> {
  const target = resolve(outDir);
  const staging = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const result = await fill(staging);
    const previous = `${staging}.previous`;
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
    rmSync(previous, { recursive: true, force: true });
    return result;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
