/**
 * The I/O the rollout commands share: reading the plan, state and deploy record with errors
 * that name the file and the fix, and running a command body under the rollout lock. The CLI
 * front end (cli/rollout.ts) parses options and calls run-*.ts; everything from there is here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pendingWrite } from '../../../files/write-journal';
import { formatIssue, type ValidationIssue } from '../../../customers/load';
import { NO_DEPLOYMENTS, parseDeployments, type Deployments } from '../deployments';
import { parsePlan, type RolloutPlan } from '../plan-input';
import { parseState, type RolloutState } from '../state';
import { committedStateCommit, StoreError, withRolloutLock } from '../store';

export const DEFAULT_PLAN = 'plan/upgrade-plan.json';
export const DEFAULT_STATE = 'rollout/state.json';
export const DEFAULT_DEPLOYMENTS = 'rollout/deployments.json';
export const DEFAULT_CUSTOMERS = 'customers';

export interface RunIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly cwd: string;
}

/** A failure that names the file and what to do; the command prints it and exits 1. */
export class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export interface Paths {
  abs(option: string | undefined, fallback: string): string;
  /** Paths as people and the state file see them: relative to where the command runs. */
  show(path: string): string;
}

export function pathsOf(io: RunIo): Paths {
  return {
    abs: (option, fallback) => resolve(io.cwd, option ?? fallback),
    show: (path) => relative(io.cwd, path) || '.',
  };
}

export function readText(file: string, shown: string, what: string, fix: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError([`${shown}: expected ${what}, got ${code === 'ENOENT' ? 'no such file' : (e as Error).message} (hint: ${fix})`]);
  }
}

export function issuesError(issues: readonly ValidationIssue[], tail: string): InputError {
  return new InputError([...issues.map(formatIssue), tail]);
}

export function loadPlan(file: string, shown: string): RolloutPlan {
  const pending = pendingWrite(file);
  if (pending !== undefined) {
    throw new InputError([
      `${shown}: expected a complete upgrade plan, got one whose write was interrupted (${relative(dirname(file), pending)} is beside it) (hint: run \`fleet upgrades plan\` again, which finishes or replaces it); nothing was changed.`,
    ]);
  }
  const text = readText(file, shown, 'an upgrade plan (JSON)', 'write one with `fleet upgrades plan --json plan/upgrade-plan.json` (or `fleet main`), or pass --plan FILE');
  const { plan, issues } = parsePlan(shown, text);
  if (!plan) throw issuesError(issues, `${issues.length} problem(s) in ${shown}; nothing was changed.`);
  return plan;
}

/**
 * undefined when there is no state file yet. A state file that git has seen but that is gone
 * is an error: the state is committed, and losing it must not lift a halt or forget a wave.
 */
export function loadState(file: string, shown: string): RolloutState | undefined {
  if (!existsSync(file)) {
    const commit = committedStateCommit(file);
    if (commit !== undefined) {
      throw new InputError([
        `${shown}: expected the rollout state, got no such file, but git has it (last changed in ${commit.slice(0, 12)}): the state is committed with the pins it records, and a rollout never starts afresh without it (hint: restore it with \`git checkout ${commit.slice(0, 12)} -- ${shown}\`, or if that commit deleted it, \`git checkout ${commit.slice(0, 12)}^ -- ${shown}\`); nothing was changed.`,
      ]);
    }
    return undefined;
  }
  const { state, issues } = parseState(shown, readText(file, shown, 'the rollout state (JSON)', 'the rollout state is written by `fleet rollout`; restore it from git'));
  if (!state) throw issuesError(issues, `${issues.length} problem(s) in ${shown}; nothing was changed.`);
  return state;
}

export function loadDeployments(file: string, shown: string): Deployments {
  if (!existsSync(file)) return NO_DEPLOYMENTS;
  const { deployments, issues } = parseDeployments(shown, readText(file, shown, 'the deploy record (JSON)', 'it is written by `fleet rollout mark --deployed --commit`; restore it from git'));
  if (!deployments) throw issuesError(issues, `${issues.length} problem(s) in ${shown}; nothing was changed.`);
  return deployments;
}

/** Runs `body` under the rollout lock; input and store errors print and exit 1. */
export async function locked(io: RunIo, statePath: string, body: () => number): Promise<number> {
  try {
    return await withRolloutLock(statePath, (line) => io.out(`note: ${line}`), body);
  } catch (e) {
    if (e instanceof InputError) {
      for (const line of e.lines) io.err(line);
      return 1;
    }
    if (e instanceof StoreError) {
      io.err(`${e.message}`);
      return 1;
    }
    throw e;
  }
}
