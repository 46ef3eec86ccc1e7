/** `fleet rollout gate`: judge a deployed wave's metrics and record the verdict, under the lock. */
import { join } from 'node:path';
import { validateCustomerTexts } from '../../../customers/load';
import { stackId, type CustomerSpec } from '../../../customers/schema';
import { gatePrecheck, judgeWave, recordGate, renderJudgement } from '../gate';
import { parseMetrics } from '../metrics';
import { renderState } from '../state';
import { commitFiles } from '../store';
import { DEFAULT_CUSTOMERS, DEFAULT_STATE, issuesError, loadState, locked, pathsOf, readText, type Paths, type RunIo } from './io';

export interface GateOptions {
  readonly wave: number;
  readonly metrics: string;
  readonly customers?: string;
  readonly state?: string;
  readonly at: Date;
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

export function runGate(options: GateOptions, io: RunIo): Promise<number> {
  const paths = pathsOf(io);
  const metricsPath = paths.abs(options.metrics, '');
  const statePath = paths.abs(options.state, DEFAULT_STATE);
  return locked(io, statePath, () => {
    const shown = paths.show(metricsPath);
    const metricsText = readText(metricsPath, shown, 'a metrics file (JSON)', "export the wave's alarm metrics in the format upgrades/rollout/metrics.ts describes");
    const { metrics, issues } = parseMetrics(shown, metricsText);
    if (!metrics) throw issuesError(issues, `${issues.length} problem(s) in ${shown}; the wave was not judged and nothing was changed.`);
    const state = loadState(statePath, paths.show(statePath));
    const pre = gatePrecheck(state, options.wave, metrics.window, options.at);
    if (pre.kind === 'error') {
      io.err(`${pre.message} Nothing was changed.`);
      return 1;
    }
    const customers = loadWaveCustomers(paths.abs(options.customers, DEFAULT_CUSTOMERS), pre.wave.stacks, options.at, paths);
    const judgement = judgeWave(pre.wave, customers, metrics);
    const recorded = recordGate(state!, pre.wave, judgement, metrics.window, options.at);
    commitFiles(statePath, `fleet rollout gate --wave ${options.wave}`, [{ path: statePath, text: renderState(recorded.state) }]);
    for (const line of renderJudgement(pre.wave, judgement, recorded.gate)) io.out(line);
    io.out(`recorded the verdict in ${paths.show(statePath)}`);
    return judgement.verdict === 'healthy' ? 0 : 2;
  });
}
