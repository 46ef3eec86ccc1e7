/**
 * Output folders (cdktf.out, a staged plan): fleet replaces one whole on every run, so it must
 * only ever replace a folder it made. An output path is a symlink to a hidden sibling generation
 * folder (`.<name>.fleet-<id>`) holding a marker file; a run fills a new generation and flips the
 * link with one rename, so a reader (or a kill -9 at any point) finds the old output or the new,
 * complete, and never no output. Refused: the working directory or a parent of it, the input
 * folders (customers, catalog, rollout state) or anything around or inside them, and any existing
 * folder that is neither empty nor marked as fleet's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { lock } from 'proper-lockfile';
import { lockOf, recordHolder, releaseHolder, removeLockOfDeadRun } from './file-locks';
import { makeFolders } from './folders';
import { showPath } from './show-path';

/** The file that marks a folder as fleet's output. Its content is constant: output stays byte-identical. */
export const OWNER_MARKER = '.fleet-output';
const MARKER_TEXT = 'Written by fleet; every run replaces this folder whole. Keep nothing else here.\n';

/** A folder fleet refuses to write; the message names it and says what to do. */
export class OutputFolderError extends Error {}

export interface ProtectedFolder {
  readonly path: string;
  /** What it holds, for the message: "the customer files". */
  readonly holds: string;
}

export interface OutputFolderOptions {
  /** Input folders the output may not be, contain or sit inside. Default: none. */
  readonly protect?: readonly ProtectedFolder[];
  /** The output is never this folder or one of its parents. Default: process.cwd(). */
  readonly cwd?: string;
  /** The option that named the folder, for messages. Default: "--out". */
  readonly option?: string;
  /** The folder as the user wrote it, for messages. Default: its path relative to `cwd`. */
  readonly label?: string;
}

type Existing = { kind: 'absent' } | { kind: 'link'; generation: string } | { kind: 'empty-folder' } | { kind: 'owned-folder' };

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

function canonical(path: string): string {
  // The nearest existing ancestor is resolved, so /tmp and a symlink to it compare equal.
  let head = resolve(path);
  const tail: string[] = [];
  while (!existsSync(head) && dirname(head) !== head) {
    tail.unshift(basename(head));
    head = dirname(head);
  }
  return join(realpathSync(head), ...tail);
}

const shown = (path: string, cwd: string) => showPath(cwd, path);

const escaped = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function generationPattern(name: string): RegExp {
  return new RegExp(`^\\.${escaped(name)}\\.fleet-(?:link-|prev-)?[0-9a-f]{12}$`);
}

/**
 * A run killed while turning a plain output folder into a link left the folder set aside and no
 * output: put it back before anything else, so the old output is there even if this run fails.
 */
function restoreSetAside(target: string): void {
  if (existsSync(target) || lstatExists(target)) return;
  const pattern = new RegExp(`^\\.${escaped(basename(target))}\\.fleet-prev-[0-9a-f]{12}$`);
  const aside = readdirSync(dirname(target)).filter((e) => pattern.test(e));
  if (aside.length === 1 && existsSync(join(dirname(target), aside[0], OWNER_MARKER))) renameSync(join(dirname(target), aside[0]), target);
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function checkPlace(target: string, opts: OutputFolderOptions, cwd: string, say: string): void {
  const where = canonical(cwd);
  if (isInside(where, target)) {
    throw new OutputFolderError(`${say} is the working directory or one of its parents; fleet would replace it whole. Give a new folder, e.g. cdktf.out`);
  }
  for (const p of opts.protect ?? []) {
    const guarded = canonical(p.path);
    if (isInside(target, guarded) || isInside(guarded, target)) {
      throw new OutputFolderError(`${say} is, holds or sits inside ${shown(guarded, cwd)} (${p.holds}); give an output folder elsewhere`);
    }
  }
}

function inspect(target: string, say: string): Existing {
  let st;
  try {
    st = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw e;
  }
  const parent = dirname(target);
  if (st.isSymbolicLink()) {
    const link = readlinkSync(target);
    const generation = join(parent, link);
    if (generationPattern(basename(target)).test(link) && existsSync(join(generation, OWNER_MARKER))) return { kind: 'link', generation };
    throw new OutputFolderError(`${say} is a symlink fleet did not make (to ${link}); give a new folder, or remove the link yourself`);
  }
  if (!st.isDirectory()) throw new OutputFolderError(`${say} is a file, not a folder; give a new folder`);
  const entries = readdirSync(target);
  if (entries.length === 0) return { kind: 'empty-folder' };
  if (entries.includes(OWNER_MARKER)) return { kind: 'owned-folder' };
  throw new OutputFolderError(
    `${say} exists and holds files fleet did not write (no ${OWNER_MARKER} marker); give a new or empty folder, or move this one away yourself (an output of an older fleet: remove it once)`,
  );
}

/** Marks a folder as fleet's output (for writers that fill a folder themselves, such as `cdktf synth`). */
export function markOwned(dir: string): void {
  writeFileSync(join(dir, OWNER_MARKER), MARKER_TEXT);
}

/**
 * Fills a new generation folder and, only when `fill` succeeds, makes `outDir` point at it,
 * removing the previous generation. A failed run leaves the previous output as it was.
 */
export async function replaceFolder<T>(outDir: string, fill: (dir: string) => Promise<T> | T, opts: OutputFolderOptions = {}): Promise<T> {
  const cwd = opts.cwd ?? process.cwd();
  const say = `${opts.option ?? '--out'} ${opts.label ?? shown(resolve(cwd, outDir), cwd)}`;
  const absolute = resolve(cwd, outDir);
  // The parent is resolved, not the output itself: that is fleet's link to its generation.
  const target = join(canonical(dirname(absolute)), basename(absolute));
  checkPlace(target, opts, cwd, say);
  const parent = dirname(target);
  const name = basename(target);
  inspect(target, say);
  makeFolders(parent);

  let compromised: Error | undefined;
  let release: () => Promise<void>;
  const lockDir = lockOf(target);
  removeLockOfDeadRun(lockDir);
  try {
    release = await lock(target, {
      realpath: false,
      lockfilePath: lockDir,
      retries: { retries: 12, minTimeout: 250, maxTimeout: 1000 },
      onCompromised: (e) => (compromised = e),
    });
    recordHolder(lockDir);
  } catch (e) {
    throw new OutputFolderError(`${say}: another fleet run is writing it (${(e as Error).message}); wait for it to finish`);
  }
  try {
    restoreSetAside(target);
    // Inspect again under the lock: another run may have changed it meanwhile.
    const existing = inspect(target, say);
    const current = existing.kind === 'link' ? basename(existing.generation) : undefined;
    const pattern = generationPattern(name);
    for (const entry of readdirSync(parent)) {
      // Left by a run that was killed: never the live generation.
      if (pattern.test(entry) && entry !== current) rmSync(join(parent, entry), { recursive: true, force: true });
    }
    const generation = join(parent, `.${name}.fleet-${randomBytes(6).toString('hex')}`);
    mkdirSync(generation);
    markOwned(generation);
    let result: T;
    try {
      result = await fill(generation);
    } catch (e) {
      rmSync(generation, { recursive: true, force: true });
      throw e;
    }
    if (compromised) {
      rmSync(generation, { recursive: true, force: true });
      throw new OutputFolderError(`${say}: lost the lock while writing (${compromised.message}); nothing was replaced`);
    }
    publish(target, generation, existing);
    return result;
  } finally {
    releaseHolder(lockDir, () => undefined);
    await release().catch(() => undefined);
  }
}

function publish(target: string, generation: string, existing: Existing): void {
  const parent = dirname(target);
  const name = basename(target);
  const link = join(parent, `.${name}.fleet-link-${randomBytes(6).toString('hex')}`);
  symlinkSync(basename(generation), link);
  switch (existing.kind) {
    case 'absent':
      renameSync(link, target);
      return;
    case 'link':
      // rename(2) replaces the old link in one step.
      renameSync(link, target);
      rmSync(existing.generation, { recursive: true, force: true });
      return;
    case 'empty-folder':
      rmdirSync(target);
      renameSync(link, target);
      return;
    case 'owned-folder': {
      // A plain folder (from an older fleet, or `cdktf synth`) cannot be swapped for a link in one
      // step; this happens once per folder, after which every run is a flip.
      const aside = join(parent, `.${name}.fleet-prev-${randomBytes(6).toString('hex')}`);
      renameSync(target, aside);
      renameSync(link, target);
      rmSync(aside, { recursive: true, force: true });
      return;
    }
  }
}
