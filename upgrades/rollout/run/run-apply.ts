/** `fleet rollout apply`: rewrite one wave's pins and record it, under the lock, all or nothing. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatIssue } from '../../../customers/load';
import { applyWave, decideApply, pinsAheadOfPlan, type WaveArg } from '../apply';
import { renderState } from '../state';
import { commitFiles } from '../store';
import { DEFAULT_CUSTOMERS, DEFAULT_PLAN, DEFAULT_STATE, InputError, loadPlan, loadState, locked, pathsOf, type RunIo } from './io';

export interface ApplyOptions {
  readonly wave: WaveArg;
  readonly plan?: string;
  readonly customers?: string;
  readonly state?: string;
  readonly at: Date;
  readonly force?: { readonly reason: string };
}

export function runApply(options: ApplyOptions, io: RunIo): Promise<number> {
  const paths = pathsOf(io);
  const planPath = paths.abs(options.plan, DEFAULT_PLAN);
  const statePath = paths.abs(options.state, DEFAULT_STATE);
  const customersDir = paths.abs(options.customers, DEFAULT_CUSTOMERS);
  return locked(io, statePath, () => {
    const { at, force } = options;
    const plan = loadPlan(planPath, paths.show(planPath));
    const state = loadState(statePath, paths.show(statePath));
    const customerFiles = (stacks: readonly string[]) =>
      stacks.map((stack) => {
        const path = join(customersDir, `${stack}.json`);
        return { stack, file: paths.show(path), text: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
      });
    if (state === undefined) {
      const ahead = pinsAheadOfPlan(plan, customerFiles(plan.waves.flatMap((w) => w.stacks)));
      if (ahead.length > 0) {
        throw new InputError([
          ...ahead,
          `${paths.show(statePath)} does not exist, but ${ahead.length} pin(s) differ from ${paths.show(planPath)}: a wave was applied and its record is gone. The state is committed with the pins: restore it from git rather than starting afresh (a fresh start would skip that wave's gate); nothing was changed.`,
        ]);
      }
    }

    const decision = decideApply({ plan, state, wave: options.wave, at, force });
    switch (decision.kind) {
      case 'nothing':
      case 'already':
        io.out(decision.message);
        return 0;
      case 'invalid':
        io.err(decision.message);
        return 1;
      case 'refused':
        io.err(`refused: wave ${decision.wave} of the plan for ${plan.generatedFor} (${plan.digest}) cannot be applied yet; nothing was changed.`);
        for (const r of decision.reasons) io.err(`  - ${r}`);
        io.err('Wait for the gate, or override with --force --reason "..." (the reason is recorded).');
        return 2;
      case 'go':
        break;
    }
    const result = applyWave(decision, customerFiles(decision.wave.stacks), at, force);
    if (result.kind === 'stale') {
      for (const p of result.problems) io.err(formatIssue(p));
      io.err(`${result.problems.length} pin(s) no longer match ${paths.show(planPath)}; nothing was changed.`);
      return 1;
    }
    if (result.kind === 'invalid') {
      for (const p of result.problems) io.err(p);
      io.err(`the rewritten customer files would not pass \`fleet validate\`; nothing was changed.`);
      return 1;
    }
    commitFiles(statePath, `fleet rollout apply --wave ${decision.wave.number}`, [
      ...result.files.map((f) => ({ path: resolve(io.cwd, f.file), text: f.text })),
      { path: statePath, text: renderState(result.state) },
    ]);
    for (const line of result.lines) io.out(line);
    for (const note of decision.notes) io.out(`note: ${note}`);
    if (decision.overrode.length > 0) io.out(`forced (recorded): ${force!.reason}; overrode: ${decision.overrode.join('; ')}`);
    io.out(`recorded wave ${decision.wave.number} as in progress in ${paths.show(statePath)}`);
    return 0;
  });
}
