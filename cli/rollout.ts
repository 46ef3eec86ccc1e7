/**
 * `fleet rollout apply|mark|status|gate`: options on commander; the I/O and the rules are in
 * upgrades/rollout (run/ does the reading, locking and journaled writing; the rest decides).
 * Exit codes: 0 done (or nothing to do), 1 bad input (nothing written), 2 the rollout says stop:
 * apply refused by the ordering rules, or the gate halted the wave.
 */
import { existsSync } from 'node:fs';
import type { WaveArg } from '../upgrades/rollout/apply';
import type { MarkTarget } from '../upgrades/rollout/mark';
import { DEFAULT_DEPLOYMENTS, DEFAULT_PLAN, DEFAULT_STATE, InputError, loadPlan, loadState, pathsOf } from '../upgrades/rollout/run/io';
import { runApply } from '../upgrades/rollout/run/run-apply';
import { runGate } from '../upgrades/rollout/run/run-gate';
import { runMark, stackList } from '../upgrades/rollout/run/run-mark';
import { renderStatus, statusView } from '../upgrades/rollout/status';
import { pendingJournal } from '../upgrades/rollout/store';
import { parseAt, showPath, UsageError, type CommandContext, type FleetCommand } from './command';
import { atOption, customersOption, forceOption, jsonOption, outFileOption, repeatable } from './options';
import { writeOutput } from './output';

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

const str = (value: unknown) => value as string | undefined;

export const rolloutApplyCommand: FleetCommand = {
  define: (c) =>
    c
      .option('--wave <n>', 'the wave: a number from 1, or next')
      .option('--plan <file>', `the upgrade plan (default: ${DEFAULT_PLAN})`)
      .addOption(customersOption())
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .addOption(atOption())
      .option('--force', 'apply although the rollout rules say wait (needs --reason)')
      .option('--reason <text>', 'why the rules are overridden; recorded in the state'),
  run: guarded((ctx) => {
    const { options } = ctx;
    const wave = waveNumber(options.wave, ['next']) as WaveArg;
    const reason = str(options.reason)?.trim();
    if (options.force && !reason) throw new UsageError('--force needs --reason "why the rollout rules are overridden"; the reason is recorded in the state');
    if (reason !== undefined && !options.force) throw new UsageError('--reason goes with --force');
    const at = parseAt(options.at as Date | undefined);
    return runApply({ wave, plan: str(options.plan), customers: str(options.customers), state: str(options.state), at, ...(options.force ? { force: { reason: reason! } } : {}) }, ctx);
  }),
};

export const rolloutMarkCommand: FleetCommand = {
  define: (c) =>
    c
      .option('--deployed', 'record a successful deploy')
      .addOption(repeatable('--stacks <ids>', 'the stacks whose deploy succeeded, space- or comma-separated (required; an empty list is refused)'))
      .addOption(repeatable('--stack <id>', 'one deployed stack; repeat for more (same as --stacks)'))
      .option('--commit <sha>', `the commit deployed; recorded per stack in the deploy record (default file: ${DEFAULT_DEPLOYMENTS})`)
      .option('--wave <n>', 'the wave to mark: a number from 1, or in-progress (default: in-progress)')
      .option('--deployments <file>', `the deploy record (default: ${DEFAULT_DEPLOYMENTS})`)
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .addOption(atOption()),
  run: guarded((ctx) => {
    const { options } = ctx;
    const target = (options.wave === undefined ? 'in-progress' : waveNumber(options.wave, ['in-progress'])) as MarkTarget;
    if (!options.deployed) throw new UsageError('say what to record: --deployed');
    if (options.stacks === undefined && options.stack === undefined) {
      throw new UsageError('--stacks "ID ..." is required: the stacks whose deploy succeeded in this run (skip the command when none was deployed)');
    }
    const stacks = stackList([...((options.stacks as string[] | undefined) ?? []), ...((options.stack as string[] | undefined) ?? [])]);
    const at = parseAt(options.at as Date | undefined);
    return runMark({ wave: target, stacks, commit: str(options.commit), state: str(options.state), deployments: str(options.deployments), at }, ctx);
  }),
};

export const rolloutStatusCommand: FleetCommand = {
  define: (c) =>
    c
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .option('--plan <file>', `the upgrade plan (default: ${DEFAULT_PLAN} when there is no state yet)`)
      .addOption(atOption())
      .addOption(jsonOption())
      .addOption(outFileOption())
      .addOption(forceOption()),
  run: guarded((ctx) => {
    const { options } = ctx;
    const at = parseAt(options.at as Date | undefined);
    const paths = pathsOf(ctx);
    const statePath = paths.abs(str(options.state), DEFAULT_STATE);
    // status takes no lock and writes nothing; the next apply, mark or gate completes the write.
    if (pendingJournal(statePath)) ctx.err('warning: a killed rollout command left a write unfinished; the next `fleet rollout apply|mark|gate` completes it, so this status may be behind');
    const state = loadState(statePath, paths.show(statePath));
    // Without a state the default plan shows what the first apply would start.
    const planPath = paths.abs(str(options.plan), DEFAULT_PLAN);
    const plan = options.plan !== undefined || (state === undefined && existsSync(planPath)) ? loadPlan(planPath, paths.show(planPath)) : undefined;
    const view = statusView(state, plan, at);
    writeOutput(ctx, options.json ? JSON.stringify(view, null, 2) : renderStatus(view, showPath(ctx.cwd, statePath)).join('\n'));
    return 0;
  }),
};

export const rolloutGateCommand: FleetCommand = {
  define: (c) =>
    c
      .option('--wave <n>', 'the deployed wave to judge')
      .option('--metrics <file>', "the wave's exported alarm metrics (format: upgrades/rollout/metrics.ts); the metrics object, or it as a JSON string")
      .addOption(customersOption())
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .addOption(atOption()),
  run: guarded((ctx) => {
    const { options } = ctx;
    const wave = waveNumber(options.wave, []) as number;
    if (options.metrics === undefined) throw new UsageError('--metrics FILE is required (the format is in upgrades/rollout/metrics.ts)');
    const at = parseAt(options.at as Date | undefined);
    return runGate({ wave, metrics: options.metrics as string, customers: str(options.customers), state: str(options.state), at }, ctx);
  }),
};
