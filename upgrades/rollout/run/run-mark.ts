/** `fleet rollout mark --deployed`: record what CI deployed, under the lock, state and deploy record together. */
import { isCommitId, recordDeploys, renderDeployments } from '../deployments';
import { decideMark, type MarkTarget } from '../mark';
import { renderState } from '../state';
import { commitFiles } from '../store';
import { DEFAULT_DEPLOYMENTS, DEFAULT_STATE, InputError, loadDeployments, loadState, locked, pathsOf, type RunIo } from './io';

export interface MarkOptions {
  readonly wave: MarkTarget;
  /** The stacks whose deploy succeeded in this run. */
  readonly stacks: readonly string[];
  /** The commit they were deployed from; recorded per stack in the deploy record. */
  readonly commit?: string;
  readonly state?: string;
  readonly deployments?: string;
  readonly at: Date;
}

/** "a b,c" and repeated values -> ["a", "b", "c"]: the matrix entry's `stacks` field is space-separated. */
export function stackList(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((v) => v.split(/[\s,]+/)).filter((s) => s !== ''))];
}

export function runMark(options: MarkOptions, io: RunIo): Promise<number> {
  const paths = pathsOf(io);
  const statePath = paths.abs(options.state, DEFAULT_STATE);
  const deploymentsPath = paths.abs(options.deployments, DEFAULT_DEPLOYMENTS);
  return locked(io, statePath, () => {
    if (options.commit !== undefined && !isCommitId(options.commit)) {
      throw new InputError([`--commit: expected a full commit id (40 lowercase hex digits, e.g. \${{ github.sha }}), got ${JSON.stringify(options.commit)}; nothing was changed.`]);
    }
    const bad = options.stacks.filter((s) => !/^[a-z][a-z0-9-]*$/.test(s));
    if (bad.length > 0) throw new InputError([`--stacks: expected stack ids such as acme-retail-prod, got ${bad.map((s) => JSON.stringify(s)).join(', ')}; nothing was changed.`]);
    const state = loadState(statePath, paths.show(statePath));
    const decision = decideMark(state, options.wave, options.at, options.stacks);
    if (decision.kind === 'error') {
      io.err(`${decision.message} Nothing was changed.`);
      return 1;
    }
    const files: { path: string; text: string }[] = [];
    if (decision.kind === 'marked') files.push({ path: statePath, text: renderState(decision.state) });
    if (options.commit !== undefined) {
      const before = loadDeployments(deploymentsPath, paths.show(deploymentsPath));
      files.push({ path: deploymentsPath, text: renderDeployments(recordDeploys(before, options.stacks, options.commit, options.at)) });
    }
    if (files.length > 0) commitFiles(statePath, 'fleet rollout mark --deployed', files);
    io.out(decision.message);
    if (options.commit !== undefined) io.out(`recorded ${options.stacks.length} stack(s) as deployed at ${options.commit.slice(0, 12)} in ${paths.show(deploymentsPath)}`);
    return 0;
  });
}
