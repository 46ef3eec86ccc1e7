/**
 * `fleet rollout apply|mark|status|gate`: the I/O around upgrades/rollout, which decides.
 * Exit codes: 0 done (or nothing to do), 1 bad input (nothing written), 2 the rollout says stop:
 * apply refused by the ordering rules, or the gate halted the wave.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatIssue, validateCustomerTexts, type ValidationIssue } from '../customers/load';
import { stackId, type CustomerSpec } from '../customers/schema';
import { applyWave, decideApply, type WaveArg } from '../upgrades/rollout/apply';
import { gatePrecheck, judgeWave, recordGate, renderJudgement } from '../upgrades/rollout/gate';
import { decideMark, type MarkTarget } from '../upgrades/rollout/mark';
import { parseMetrics } from '../upgrades/rollout/metrics';
import { parsePlan, type RolloutPlan } from '../upgrades/rollout/plan-input';
import { parseState, renderState, type RolloutState } from '../upgrades/rollout/state';
import { renderStatus, statusView } from '../upgrades/rollout/status';
import { parseAt, showPath, UsageError, type CommandContext, type FleetCommand } from './command';
import { writeFilesAtomically } from '../files/atomic-write';
import { atOption, customersOption, jsonOption, outFileOption, repeatable } from './options';
import { writeOutput } from './output';

const DEFAULT_PLAN = 'plan/upgrade-plan.json';
const DEFAULT_STATE = 'rollout/state.json';

/** A failure that names the file and what to do; the command prints it and exits 1. */
class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

interface Paths {
  readonly cwd: string;
  abs(option: unknown, fallback: string): string;
  /** Paths as people and the state file see them: relative to where the command runs. */
  show(path: string): string;
}

function pathsOf(ctx: CommandContext): Paths {
  return {
    cwd: ctx.cwd,
    abs: (option, fallback) => resolve(ctx.cwd, (option as string | undefined) ?? fallback),
    show: (path) => showPath(ctx.cwd, path),
  };
}

function readText(file: string, shown: string, what: string, fix: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError([`${shown}: expected ${what}, got ${code === 'ENOENT' ? 'no such file' : (e as Error).message} (hint: ${fix})`]);
  }
}

function issuesError(issues: readonly ValidationIssue[], tail: string): InputError {
  return new InputError([...issues.map(formatIssue), tail]);
}

function loadPlan(file: string, shown: string): RolloutPlan {
  const text = readText(file, shown, 'an upgrade plan (JSON)', 'write one with `fleet upgrades plan --json --out plan/upgrade-plan.json` (or `fleet main`), or pass --plan FILE');
  const { plan, issues } = parsePlan(shown, text);
  if (!plan) throw issuesError(issues, `${issues.length} problem(s) in ${shown}; nothing was changed.`);
  return plan;
}

/** undefined when there is no state file yet: nothing has been rolled out. */
function loadState(file: string, shown: string): RolloutState | undefined {
  if (!existsSync(file)) return undefined;
  const { state, issues } = parseState(shown, readFileSync(file, 'utf8'));
  if (!state) throw issuesError(issues, `${issues.length} problem(s) in ${shown}; nothing was changed.`);
  return state;
}

function writeAll(files: { path: string; text: string }[], statePath: string): void {
  try {
    mkdirSync(dirname(statePath), { recursive: true });
    writeFilesAtomically(files);
  } catch (e) {
    throw new InputError([`could not write ${files.map((f) => f.path).join(', ')}: ${(e as Error).message}; nothing was written.`]);
  }
}

function waveNumber(value: unknown, allowed: readonly string[]): number | string {
  if (typeof value !== 'string') throw new UsageError(`--wave is required${allowed.length > 0 ? ` (a number from 1, or ${allowed.join(' or ')})` : ' (a number from 1)'}`);
  if (allowed.includes(value)) return value;
  if (!/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`--wave expects a wave number from 1${allowed.length > 0 ? ` or ${allowed.join(' or ')}` : ''}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The customer files of some stacks, by the loader's rules (file name = stack id), validated. */
function loadWaveCustomers(dir: string, stacks: readonly string[], at: Date, paths: Paths): Map<string, { file: string; spec: CustomerSpec }> {
  const inputs = stacks.map((stack) => {
    const file = join(dir, `${stack}.json`);
    const shown = paths.show(file);
    return { file: shown, text: readText(file, shown, `the customer file of wave member ${stack}`, 'restore the file, or re-plan if the customer was removed') };
  });
  const { customers, issues } = validateCustomerTexts(inputs, { now: at });
  if (issues.length > 0) throw issuesError(issues, `${issues.length} problem(s) in the wave's customer files; nothing was changed.`);
  return new Map(customers.map((c) => [stackId(c.spec), { file: c.file, spec: c.spec }]));
}

/** Runs a command body; input errors print and exit 1. */
function guarded(body: (ctx: CommandContext) => number): (ctx: CommandContext) => number {
  return (ctx) => {
    try {
      return body(ctx);
    } catch (e) {
      if (e instanceof InputError) {
        for (const line of e.lines) ctx.err(line);
        return 1;
      }
      throw e;
    }
  };
}

export const rolloutApplyCommand: FleetCommand = {
  name: 'rollout apply',
  summary: "Rewrite one wave's version pins in its customer files (minimal diff) and record it; wave N waits for wave N-1 to be deployed and healthy.",
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
    const reason = (options.reason as string | undefined)?.trim();
    if (options.force && !reason) throw new UsageError('--force needs --reason "why the rollout rules are overridden"; the reason is recorded in the state');
    if (reason !== undefined && !options.force) throw new UsageError('--reason goes with --force');
    const at = parseAt(options.at as string | undefined);
    const paths = pathsOf(ctx);
    const planPath = paths.abs(options.plan, DEFAULT_PLAN);
    const statePath = paths.abs(options.state, DEFAULT_STATE);
    const customersDir = paths.abs(options.customers, 'customers');
    const plan = loadPlan(planPath, paths.show(planPath));
    const state = loadState(statePath, paths.show(statePath));
    const force = options.force ? { reason: reason! } : undefined;

    const decision = decideApply({ plan, state, wave, at, force });
    switch (decision.kind) {
      case 'nothing':
      case 'already':
        ctx.out(decision.message);
        return 0;
      case 'invalid':
        ctx.err(decision.message);
        return 1;
      case 'refused':
        ctx.err(`refused: wave ${decision.wave} of the plan for ${plan.generatedFor} (${plan.digest}) cannot be applied yet; nothing was changed.`);
        for (const r of decision.reasons) ctx.err(`  - ${r}`);
        ctx.err('Wait for the gate, or override with --force --reason "..." (the reason is recorded).');
        return 2;
      case 'go':
        break;
    }
    const files = decision.wave.stacks.map((stack) => {
      const path = join(customersDir, `${stack}.json`);
      return { stack, file: paths.show(path), text: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
    });
    const result = applyWave(decision, files, at, force);
    if (result.kind === 'stale') {
      for (const p of result.problems) ctx.err(formatIssue(p));
      ctx.err(`${result.problems.length} pin(s) no longer match ${paths.show(planPath)}; nothing was changed.`);
      return 1;
    }
    if (result.kind === 'invalid') {
      for (const p of result.problems) ctx.err(p);
      ctx.err(`the rewritten customer files would not pass \`fleet validate\`; nothing was changed.`);
      return 1;
    }
    writeAll(
      [...result.files.map((f) => ({ path: resolve(ctx.cwd, f.file), text: f.text })), { path: statePath, text: renderState(result.state) }],
      statePath,
    );
    for (const line of result.lines) ctx.out(line);
    for (const note of decision.notes) ctx.out(`note: ${note}`);
    if (decision.overrode.length > 0) ctx.out(`forced (recorded): ${force!.reason}; overrode: ${decision.overrode.join('; ')}`);
    ctx.out(`recorded wave ${decision.wave.number} as in progress in ${paths.show(statePath)}`);
    return 0;
  }),
};

export const rolloutMarkCommand: FleetCommand = {
  name: 'rollout mark',
  summary: "Record a wave as deployed (CI, after the deploy jobs succeed); with --stack, only when the wave's stacks were all deployed.",
  define: (c) =>
    c
      .option('--wave <n>', 'the wave: a number from 1, or in-progress')
      .option('--deployed', 'record the wave as deployed')
      .addOption(repeatable('--stack <id>', "only when the wave's stacks are all among these; repeat for more"))
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .addOption(atOption()),
  run: guarded((ctx) => {
    const { options } = ctx;
    const target = waveNumber(options.wave, ['in-progress']) as MarkTarget;
    if (!options.deployed) throw new UsageError('say what to record: --deployed');
    const at = parseAt(options.at as string | undefined);
    const paths = pathsOf(ctx);
    const statePath = paths.abs(options.state, DEFAULT_STATE);
    const state = loadState(statePath, paths.show(statePath));
    const decision = decideMark(state, target, at, options.stack as string[] | undefined);
    if (decision.kind === 'error') {
      ctx.err(`${decision.message} Nothing was changed.`);
      return 1;
    }
    if (decision.kind === 'marked') writeAll([{ path: statePath, text: renderState(decision.state) }], statePath);
    ctx.out(decision.message);
    return 0;
  }),
};

export const rolloutStatusCommand: FleetCommand = {
  name: 'rollout status',
  summary: 'Each wave of the rollout: pending, in progress, deployed or halted (with the failed metrics), and what comes next.',
  define: (c) =>
    c
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .option('--plan <file>', `the upgrade plan (default: ${DEFAULT_PLAN} when there is no state yet)`)
      .addOption(atOption())
      .addOption(jsonOption())
      .addOption(outFileOption()),
  run: guarded((ctx) => {
    const { options } = ctx;
    const at = parseAt(options.at as string | undefined);
    const paths = pathsOf(ctx);
    const statePath = paths.abs(options.state, DEFAULT_STATE);
    const state = loadState(statePath, paths.show(statePath));
    // Without a state the default plan shows what the first apply would start.
    const planPath = paths.abs(options.plan, DEFAULT_PLAN);
    const plan = options.plan !== undefined || (state === undefined && existsSync(planPath)) ? loadPlan(planPath, paths.show(planPath)) : undefined;
    const view = statusView(state, plan, at);
    writeOutput(ctx, options.json ? JSON.stringify(view, null, 2) : renderStatus(view, paths.show(statePath)).join('\n'));
    return 0;
  }),
};

export const rolloutGateCommand: FleetCommand = {
  name: 'rollout gate',
  summary: "Judge a deployed wave's exported alarm metrics against each customer's thresholds; record healthy (exit 0) or halted (exit 2).",
  define: (c) =>
    c
      .option('--wave <n>', 'the deployed wave to judge')
      .option('--metrics <file>', "the wave's exported alarm metrics (format: upgrades/rollout/metrics.ts)")
      .addOption(customersOption())
      .option('--state <file>', `the rollout state (default: ${DEFAULT_STATE})`)
      .addOption(atOption()),
  run: guarded((ctx) => {
    const { options } = ctx;
    const number = waveNumber(options.wave, []) as number;
    if (options.metrics === undefined) throw new UsageError('--metrics FILE is required (the format is in upgrades/rollout/metrics.ts)');
    const at = parseAt(options.at as string | undefined);
    const paths = pathsOf(ctx);
    const metricsPath = paths.abs(options.metrics, '');
    const statePath = paths.abs(options.state, DEFAULT_STATE);
    const metricsText = readText(metricsPath, paths.show(metricsPath), 'a metrics file (JSON)', 'export the wave\'s alarm metrics in the format upgrades/rollout/metrics.ts describes');
    const { metrics, issues } = parseMetrics(paths.show(metricsPath), metricsText);
    if (!metrics) throw issuesError(issues, `${issues.length} problem(s) in ${paths.show(metricsPath)}; the wave was not judged and nothing was changed.`);
    const state = loadState(statePath, paths.show(statePath));
    const pre = gatePrecheck(state, number, metrics.window);
    if (pre.kind === 'error') {
      ctx.err(`${pre.message} Nothing was changed.`);
      return 1;
    }
    const customers = loadWaveCustomers(paths.abs(options.customers, 'customers'), pre.wave.stacks, at, paths);
    const judgement = judgeWave(pre.wave, customers, metrics);
    const recorded = recordGate(state!, pre.wave, judgement, metrics.window, at);
    writeAll([{ path: statePath, text: renderState(recorded.state) }], statePath);
    for (const line of renderJudgement(pre.wave, judgement, recorded.gate)) ctx.out(line);
    ctx.out(`recorded the verdict in ${paths.show(statePath)}`);
    return judgement.verdict === 'healthy' ? 0 : 2;
  }),
};

export const ROLLOUT_COMMANDS: readonly FleetCommand[] = [rolloutApplyCommand, rolloutMarkCommand, rolloutStatusCommand, rolloutGateCommand];
