/**
 * Where the rollout's files live on disk and how they change: one lock around every command
 * that reads and writes them, and a journal so that a write of several files (the pins of a
 * wave, the state, the deploy record) is all-or-nothing even under kill -9.
 *
 * The journal holds the full new text of every file and a hash of what each held before. It is
 * written (atomically) before the first target and removed after the last; the next command
 * that takes the lock finds it and completes the write. Completing, not rolling back, because
 * the journal is only written once every check of the command has passed.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { lock } from 'proper-lockfile';
import { z } from 'zod';
import { readIfExists, writableTarget, writeFileAtomically, WriteRefusedError } from '../../files/atomic-write';
import { makeFolders } from '../../files/folders';
import { isAtomicTempOf, removeTempsBeside } from '../../files/stray-temps';

/** A failure that names the file and what to do; the command prints it and exits 1. */
export class StoreError extends Error {}

/**
 * A lock older than this (not refreshed by a live holder) is taken over: the holder was killed.
 * Long enough that a command busy validating files never loses its lock to a waiter.
 */
const STALE_MS = 10_000;
/** How long a second command waits for the lock before giving up (exit 1). */
const WAIT_MS = 60_000;

export function lockPath(statePath: string): string {
  return `${statePath}.lock`;
}

export function journalPath(statePath: string): string {
  return join(dirname(statePath), `.${basename(statePath)}.journal`);
}

/**
 * Runs `body` holding the rollout lock, after completing any write a killed command left in the
 * journal. `notes` receives a line when a write was completed.
 */
export async function withRolloutLock<T>(statePath: string, notes: (line: string) => void, body: () => T): Promise<T> {
  makeFolders(dirname(statePath));
  let release: () => Promise<void>;
  try {
    release = await lock(statePath, {
      realpath: false,
      lockfilePath: lockPath(statePath),
      stale: STALE_MS,
      retries: { retries: Math.ceil(WAIT_MS / 250), factor: 1, minTimeout: 250, maxTimeout: 250 },
      // A lost lock means another command may be writing too: stop rather than write over it.
      onCompromised: (e) => {
        throw new StoreError(`the rollout lock ${lockPath(statePath)} was taken over while this command held it (${e.message}); nothing more is written`);
      },
    });
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      `another fleet rollout command holds ${lockPath(statePath)} (waited ${WAIT_MS / 1000} s): ${(e as Error).message}; run it again when that one is done (a lock left by a killed command is taken over after ${STALE_MS / 1000} s)`,
    );
  }
  try {
    const completed = completeJournal(statePath);
    if (completed !== undefined) notes(completed);
    return body();
  } finally {
    await release().catch(() => undefined);
  }
}

const journalSchema = z.strictObject({
  formatVersion: z.literal(1),
  /** What wrote it, for the person reading a completion note. */
  command: z.string(),
  files: z.array(
    z.strictObject({
      /** Relative to the journal's folder. */
      path: z.string().min(1),
      /** sha256 of the text before, or null when the file did not exist. */
      before: z.string().nullable(),
      text: z.string(),
    }),
  ),
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** One file, atomically (write-file-atomic: a sibling temp file, fsynced, renamed over the target of a symlink). */
function write(path: string, text: string): void {
  writeFileAtomically(path, text);
}

/**
 * Writes every file or, if killed, leaves a journal from which the next locked command writes
 * them all. Call only while holding the lock.
 */
export function commitFiles(statePath: string, command: string, files: readonly { path: string; text: string }[]): void {
  // Every target is checked before the journal exists: a refused one leaves nothing to complete.
  for (const f of files) {
    try {
      writableTarget(f.path);
    } catch (e) {
      if (e instanceof WriteRefusedError) throw new StoreError(`${e.message}; nothing was written.`);
      throw e;
    }
  }
  const journal = journalPath(statePath);
  const base = dirname(journal);
  const entries = files.map((f) => {
    const before = readIfExists(f.path);
    return { path: relative(base, resolve(f.path)), before: before === undefined ? null : sha256(before), text: f.text };
  });
  write(journal, `${JSON.stringify({ formatVersion: 1, command, files: entries })}\n`);
  for (const f of files) write(f.path, f.text);
  rmSync(journal);
}

/** Completes an interrupted write; returns a note for the user, or undefined when there was none. */
export function completeJournal(statePath: string): string | undefined {
  const journal = journalPath(statePath);
  removeTempsBeside(journal, (entry) => isAtomicTempOf(journal, entry));
  const text = readIfExists(journal);
  if (text === undefined) return undefined;
  let parsed: z.infer<typeof journalSchema>;
  try {
    parsed = journalSchema.parse(JSON.parse(text));
  } catch (e) {
    throw new StoreError(`${journal}: an interrupted write left a journal that cannot be read (${(e as Error).message}); compare the files with git and remove the journal by hand`);
  }
  const base = dirname(journal);
  const targets = parsed.files.map((f) => ({ ...f, abs: resolve(base, f.path) }));
  // Every target must hold what it held before or what the journal writes; anything else was
  // changed by hand since, and writing over it would lose that change.
  const foreign = targets.filter((f) => {
    const now = readIfExists(f.abs);
    const hash = now === undefined ? null : sha256(now);
    return hash !== sha256(f.text) && hash !== f.before;
  });
  if (foreign.length > 0) {
    throw new StoreError(
      `${journal}: an interrupted \`${parsed.command}\` would write ${foreign.map((f) => f.path).join(', ')}, but they changed since; nothing was written. Restore them from git and run the command again, or remove the journal to drop the interrupted write`,
    );
  }
  for (const f of targets) {
    if (readIfExists(f.abs) !== f.text) write(f.abs, f.text);
    removeTempsBeside(f.abs, (entry) => isAtomicTempOf(f.abs, entry));
  }
  rmSync(journal);
  return `completed an interrupted \`${parsed.command}\`: ${targets.map((f) => f.path).join(', ')} written from ${join(basename(dirname(journal)), basename(journal))}`;
}

/** Whether a write is waiting in the journal (for read-only commands, which take no lock). */
export function pendingJournal(statePath: string): boolean {
  return existsSync(journalPath(statePath));
}

/**
 * The last commit that had the state file, when it is committed in git but missing now;
 * undefined when it is not in git history (or this is not a git checkout).
 */
export function committedStateCommit(statePath: string): string | undefined {
  // From the nearest folder that exists: the whole rollout folder may be gone.
  let dir = dirname(resolve(statePath));
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%H', '--', relative(dir, resolve(statePath))], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}
