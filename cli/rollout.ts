/**
 * `fleet rollout apply|mark|status|gate`: the I/O around upgrades/rollout, which decides.
 * Exit codes: 0 done (or nothing to do), 1 bad input (nothing written), 2 the rollout says stop:
 * apply refused by the ordering rules, or the gate halted the wave.
 */
import { pendingJournal } from '../upgrades/rollout/store';
import type { WaveArg } from '../upgrades/rollout/apply';
import type { MarkTarget } from '../upgrades/rollout/mark';
import { DEFAULT_PLAN, DEFAULT_STATE, InputError, loadPlan, loadState, pathsOf } from '../upgrades/rollout/run/io';
import { runApply } from '../upgrades/rollout/run/run-apply';
import { runGate } from '../upgrades/rollout/run/run-gate';
import { runMark, stackList } from '../upgrades/rollout/run/run-mark';
import { renderStatus, statusView } from '../upgrades/rollout/status';
import { existsSync } from 'node:fs';
import { parseAt, parseOptions, UsageError, type Command, type CommandContext } from './command';

function waveNumber(value: unknown, allowed: readonly string[]): number | string {
  if (typeof value !== 'string') throw new UsageError(`--wave is required${allowed.length > 0 ? ` (a number from 1, or ${allowed.join(' or ')})` : ' (a number from 1)'}`);
  if (allowed.includes(value)) return value;
  if (!/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`--wave expects a wave number from 1${allowed.length > 0 ? ` or ${allowed.join(' or ')}` : ''}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Runs a command body; input errors print and exit 1. */
function guarded(body: (ctx: CommandContext) => number | Promise<number>): (ctx: CommandContext) => Promise<number> {
  return async (ctx) => {
    try {
      return await body(ctx);
    } catch (e) {
      if (e instanceof InputError) {
        for (const line of e.lines) ctx.err(line);
        return 1;
      }
      throw e;
    }
  };
}

export const rolloutApplyCommand: Command = {
  name: 'rollout apply',
  usage: 'rollout apply --wave N|next [--plan FILE] [--customers DIR] [--state FILE] [--at YYYY-MM-DD] [--force --reason TEXT]',
  summary: "Rewrite one wave's version pins in its customer files (minimal diff) and record it; wave N waits for wave N-1 to be deployed and healthy.",
  run: guarded((ctx) => {
    const { options } = parseOptions(ctx.args, { wave: 'string', plan: 'string', customers: 'string', state: 'string', at: 'string', force: 'boolean', reason: 'string' });
    const wave = waveNumber(options.wave, ['next']) as WaveArg;
    const reason = (options.reason as string | undefined)?.trim();
    if (options.force && !reason) throw new UsageError('--force needs --reason "why the rollout rules are overridden"; the reason is recorded in the state');
    if (reason !== undefined && !options.force) throw new UsageError('--reason goes with --force');
    const at = parseAt(options.at as string | undefined);
    return runApply(
      { wave, plan: options.plan as string | undefined, customers: options.customers as string | undefined, state: options.state as string | undefined, at, ...(options.force ? { force: { reason: reason! } } : {}) },
      ctx,
    );
  }),
};

export const rolloutMarkCommand: Command = {
  name: 'rollout mark',
  usage: 'rollout mark --deployed --stacks "ID ..." [--commit SHA] [--wave N|in-progress] [--deployments FILE] [--state FILE] [--at YYYY-MM-DD]',
  summary:
    "Record what CI deployed: each stack's commit (--commit, in rollout/deployments.json), and the wave (default: the one in progress or halted) as deployed when all its stacks are among --stacks; an empty --stacks is refused.",
  run: guarded((ctx) => {
    const { options } = parseOptions(ctx.args, { wave: 'string', deployed: 'boolean', stack: 'string[]', stacks: 'string[]', commit: 'string', deployments: 'string', state: 'string', at: 'string' });
    const target = (options.wave === undefined ? 'in-progress' : waveNumber(options.wave, ['in-progress'])) as MarkTarget;
    if (!options.deployed) throw new UsageError('say what to record: --deployed');
    if (options.stacks === undefined && options.stack === undefined) {
      throw new UsageError('--stacks "ID ..." is required: the stacks whose deploy succeeded in this run (skip the command when none was deployed)');
    }
    const stacks = stackList([...((options.stacks as string[] | undefined) ?? []), ...((options.stack as string[] | undefined) ?? [])]);
    const at = parseAt(options.at as string | undefined);
    return runMark(
      { wave: target, stacks, commit: options.commit as string | undefined, state: options.state as string | undefined, deployments: options.deployments as string | undefined, at },
      ctx,
    );
  }),
};

export const rolloutStatusCommand: Command = {
  name: 'rollout status',
  usage: 'rollout status [--state FILE] [--plan FILE] [--at YYYY-MM-DD] [--json]',
  summary: 'Each wave of the rollout: pending, in progress, deployed or halted (with the failed metrics), and what comes next.',
  run: guarded((ctx) => {
    const { options } = parseOptions(ctx.args, { state: 'string', plan: 'string', at: 'string', json: 'boolean' });
    const at = parseAt(options.at as string | undefined);
    const paths = pathsOf(ctx);
    const statePath = paths.abs(options.state as string | undefined, DEFAULT_STATE);
    // status takes no lock and writes nothing; the next apply, mark or gate completes the write.
    if (pendingJournal(statePath)) ctx.err(`warning: a killed rollout command left a write unfinished; the next \`fleet rollout apply|mark|gate\` completes it, so this status may be behind`);
    const state = loadState(statePath, paths.show(statePath));
    // Without a state the default plan shows what the first apply would start.
    const planPath = paths.abs(options.plan as string | undefined, DEFAULT_PLAN);
    const plan = options.plan !== undefined || (state === undefined && existsSync(planPath)) ? loadPlan(planPath, paths.show(planPath)) : undefined;
    const view = statusView(state, plan, at);
    if (options.json) ctx.out(JSON.stringify(view, null, 2));
    else for (const line of renderStatus(view, paths.show(statePath))) ctx.out(line);
    return 0;
  }),
};

export const rolloutGateCommand: Command = {
  name: 'rollout gate',
  usage: 'rollout gate --wave N --metrics FILE [--customers DIR] [--state FILE] [--at YYYY-MM-DD]',
  summary: "Judge a deployed wave's exported alarm metrics against each customer's thresholds; record healthy (exit 0) or halted (exit 2).",
  run: guarded((ctx) => {
    const { options } = parseOptions(ctx.args, { wave: 'string', metrics: 'string', customers: 'string', state: 'string', at: 'string' });
    const wave = waveNumber(options.wave, []) as number;
    if (options.metrics === undefined) throw new UsageError('--metrics FILE is required (the format is in upgrades/rollout/metrics.ts)');
    const at = parseAt(options.at as string | undefined);
    return runGate({ wave, metrics: options.metrics as string, customers: options.customers as string | undefined, state: options.state as string | undefined, at }, ctx);
  }),
};

export const ROLLOUT_COMMANDS: readonly Command[] = [rolloutApplyCommand, rolloutMarkCommand, rolloutStatusCommand, rolloutGateCommand];
