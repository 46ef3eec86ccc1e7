/**
 * Locks that keep two fleet runs from writing the same output at once (proper-lockfile, as the
 * rollout store and output folders use). Without one, each run's clean-up removed the other's
 * temporary files and both failed. The lock of a target is a folder beside it,
 * `.<name>.fleet-lock`, with the holder's pid in `.<name>.fleet-lock.pid`, so a lock that a
 * killed run left is taken over at once rather than after it goes stale.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * proper-lockfile takes over a lock only once it is stale; a run that was killed on this machine
 * left its pid, so its lock can go at once.
 */
export function removeLockOfDeadRun(lockDir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(`${lockDir}.pid`, 'utf8'));
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) return;
  rmSync(lockDir, { recursive: true, force: true });
  rmSync(`${lockDir}.pid`, { force: true });
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
      writeFileSync(`${lockDir}.pid`, `${process.pid}\n`);
      return () => {
        rmSync(`${lockDir}.pid`, { force: true });
        try {
          release();
        } catch {
          // Already gone (taken over as stale): nothing of ours to remove.
        }
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw e;
      if (Date.now() - start > WAIT_MS) {
        throw new LockedError(`${say}: another fleet run has been writing it for over ${WAIT_MS / 1000} s (lock ${lockDir}); wait for it to finish, or remove ${lockDir} if no fleet run is left`);
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
