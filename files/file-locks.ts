/**
 * Locks that keep two fleet runs from writing the same output at once (proper-lockfile, as the
 * rollout store and output folders use). Without one, each run's clean-up removed the other's
 * temporary files and both failed. The lock of a target is a folder beside it,
 * `.<name>.fleet-lock`, with the holder's pid in `.<name>.fleet-lock.pid`, so a lock that a
 * killed run left is taken over at once rather than after it goes stale.
 */
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { lockSync } from 'proper-lockfile';

/** The lock folder of a target (a file or an output folder). */
export const lockOf = (target: string): string => join(dirname(target), `.${basename(target)}.fleet-lock`);

/** A lock another run holds; the message names it and what to do. */
export class LockedError extends Error {}

/** Whether a process with this pid runs on this machine (a pid we cannot signal counts as alive). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The holder's pid, beside its lock folder: inside it, the file would change the folder's mtime,
 * which proper-lockfile reads as another process touching the lock.
 */
export const pidFileOf = (lockDir: string): string => `${lockDir}.pid`;

/**
 * Records the holder, once it holds the lock: a pid file already there is a dead holder's (or
 * planted), and is unlinked, never written through; "wx" then fails on anything re-planted.
 */
export function recordHolder(lockDir: string): void {
  rmSync(pidFileOf(lockDir), { force: true });
  writeFileSync(pidFileOf(lockDir), `${process.pid}\n`, { flag: 'wx' });
}

/**
 * Releases a lock: the pid first (while the lock is still ours, so no other holder's pid can be
 * removed), then the folder. A kill between the two leaves a folder without a pid, which goes
 * once stale. Never throws: the write it guarded is done, and the other locks must go too.
 */
export function releaseHolder(lockDir: string, release: () => void): void {
  try {
    rmSync(pidFileOf(lockDir), { force: true });
  } catch {
    // Left for the next holder, which unlinks it before recording itself.
  }
  try {
    release();
  } catch {
    // Already gone (taken over as stale): nothing of ours to remove.
  }
}

/**
 * Whether the lock folder was left by a run that is gone: its recorded pid is dead. A folder
 * without a pid is never judged here (a live holder is without one for an instant at its mkdir
 * and its release, and on a slow disk that instant can last): proper-lockfile takes it over once
 * it is stale, and until then a waiting run says which folder to remove.
 */
function isLeftByDeadRun(lockDir: string): boolean {
  const st = lstatSync(lockDir, { throwIfNoEntry: false });
  if (st === undefined) return false;
  if (!st.isDirectory()) {
    throw new LockedError(`${lockDir} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}, which fleet never makes there: remove it, then run the command again`);
  }
  let text: string;
  try {
    text = readFileSync(pidFileOf(lockDir), 'utf8');
  } catch {
    return false;
  }
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
}

/** A take-over guard older than this was left by a killed taker (a take-over takes milliseconds). */
const TAKEOVER_MS = 5_000;

/**
 * proper-lockfile takes over a lock only once it is stale; a run that was killed on this machine
 * left its pid, so its lock can go at once. The check and the removal happen under a second lock
 * (`<lock>.takeover`), so two runs never both remove a lock and then each take a new one.
 */
export function removeLockOfDeadRun(lockDir: string): void {
  if (!isLeftByDeadRun(lockDir)) return;
  const guard = `${lockDir}.takeover`;
  try {
    mkdirSync(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = lstatSync(guard, { throwIfNoEntry: false });
    if (st !== undefined && !st.isDirectory()) {
      throw new LockedError(`${guard} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}, which fleet never makes there: remove it, then run the command again`);
    }
    // A taker killed mid-way leaves its guard; one older than a take-over could last is dead.
    if (st?.isDirectory() && Date.now() - st.mtimeMs > TAKEOVER_MS) rmSync(guard, { recursive: true, force: true });
    return;
  }
  try {
    // The dead run's pid first, while its folder still keeps every other run out: removing it
    // after the folder could delete the pid of a run that has just taken the lock.
    if (isLeftByDeadRun(lockDir)) {
      rmSync(pidFileOf(lockDir), { force: true });
      rmSync(lockDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

/** How long a run waits for another run's write of the same file. */
const WAIT_MS = 60_000;
const POLL_MS = 100;
/**
 * A sync holder never refreshes its lock (proper-lockfile's timer cannot run while the write
 * blocks), so stale must outlast the longest write; a killed holder is found by its pid instead.
 */
const STALE_MS = 10 * 60_000;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function lockOne(target: string, say: string): () => void {
  const lockDir = lockOf(target);
  for (const start = Date.now(); ; sleep(POLL_MS)) {
    removeLockOfDeadRun(lockDir);
    try {
      // The write is synchronous: nothing can notice a compromised lock while it runs.
      const release = lockSync(target, { realpath: false, lockfilePath: lockDir, stale: STALE_MS, onCompromised: () => undefined });
      recordHolder(lockDir);
      return () =>
        releaseHolder(lockDir, () => {
          try {
            release();
          } catch {
            // Already gone (taken over as stale): nothing of ours to remove.
          }
        });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw e;
      if (Date.now() - start > WAIT_MS) {
        throw new LockedError(`${say}: another run (${holderOf(lockDir)}) has held its lock for over ${WAIT_MS / 1000} s (${lockDir}); wait for it to finish, or remove ${lockDir} if that process is not a fleet run`);
      }
    }
  }
}

/**
 * Runs `body` holding the lock of every target (taken in one order, so two runs never wait on
 * each other), waiting for a run that holds one. `say` names a target for messages.
 */
export function withFileLocks<T>(targets: readonly string[], say: (target: string) => string, body: () => T): T {
  const releases: (() => void)[] = [];
  try {
    for (const t of [...new Set(targets)].sort()) releases.push(lockOne(t, say(t)));
    return body();
  } finally {
    for (const release of releases.reverse()) release();
  }
}

/** "pid 1234", or what is known of a lock's holder, for messages. */
function holderOf(lockDir: string): string {
  try {
    return `pid ${Number(readFileSync(pidFileOf(lockDir), 'utf8'))}`;
  } catch {
    return 'its pid not recorded yet';
  }
}
