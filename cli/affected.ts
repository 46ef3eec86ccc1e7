/**
 * `fleet affected`: the stacks a change touches, for CI's plan and deploy matrices. The mapping
 * lives in upgrades/rollout/affected.ts; this reads git and the customer files.
 */
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { loadCustomers } from '../customers/load';
import { stackId } from '../customers/schema';
import { affectedSinceDeployed, affectedStacks, GITHUB_MATRIX_LIMIT, matrixOf, type StackRef } from '../upgrades/rollout/affected';
import { DEFAULT_DEPLOYMENTS, InputError, loadDeployments } from '../upgrades/rollout/run/io';
import { Option } from 'commander';
import { issueLine, parseAt, showPath, UsageError, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { atOption, customersOption, forceOption, jsonOption, outFileOption } from './options';
import { writeOutput } from './output';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`git ${args.join(' ')} failed: ${stderr || (e as Error).message}`);
  }
}

export const affectedCommand: FleetCommand = {
  define: (c) =>
    c
      .addOption(new Option('--base <ref>', 'compare with this commit (through its merge base with --head)').conflicts('all'))
      .option('--head <ref>', 'the change (default: HEAD)')
      .addOption(new Option('--all', 'every stack'))
      .option('--since-deployed', "each stack against its last commit in the deploy record (a failed or cancelled deploy loses nothing)")
      .option('--deployments <file>', `the deploy record for --since-deployed (default: ${DEFAULT_DEPLOYMENTS})`)
      .addOption(customersOption())
      .addOption(atOption())
      .option('--max-jobs <n>', `most matrix jobs, 6 to ${GITHUB_MATRIX_LIMIT} (default: ${GITHUB_MATRIX_LIMIT})`)
      .addOption(jsonOption())
      .addOption(outFileOption())
      .addOption(forceOption()),
  run(ctx) {
    const { options } = ctx;
    if ([options.base, options.all, options.sinceDeployed].filter((o) => o !== undefined).length !== 1) {
      throw new UsageError('give one of --base REF (compare with a commit), --since-deployed (each stack against its last deployed commit) or --all (every stack)');
    }
    if (options.deployments !== undefined && !options.sinceDeployed) throw new UsageError('--deployments goes with --since-deployed');
    const maxJobs = Number((options.maxJobs as string | undefined) ?? GITHUB_MATRIX_LIMIT);
    if (!Number.isInteger(maxJobs) || maxJobs < 6 || maxJobs > GITHUB_MATRIX_LIMIT) {
      throw new UsageError(`--max-jobs expects a whole number from 6 to ${GITHUB_MATRIX_LIMIT}, got ${JSON.stringify(options.maxJobs)}`);
    }
    const dir = resolve(ctx.cwd, (options.customers as string | undefined) ?? 'customers');
    const { customers, issues } = loadCustomers(dir, { now: parseAt(options.at as Date | undefined) });
    if (issues.length > 0) {
      for (const issue of issues) ctx.err(issueLine(ctx.cwd, issue));
      ctx.err(`${issues.length} problem(s) in ${showPath(ctx.cwd, dir)}; run \`fleet validate\` and fix them first.`);
      return EXIT.input;
    }

    let top: string;
    let changed: string[] = [];
    let base: string | null = null;
    const head = (options.head as string | undefined) ?? 'HEAD';
    try {
      top = git(ctx.cwd, ['rev-parse', '--show-toplevel']);
      if (options.base !== undefined) {
        // Against the merge base, as a pull request's diff is: commits that landed on the base
        // branch meanwhile are not this change's.
        base = git(ctx.cwd, ['merge-base', options.base as string, head]);
        const out = git(ctx.cwd, ['diff', '--name-only', '--no-renames', base, head]);
        changed = out === '' ? [] : out.split('\n');
      }
    } catch (e) {
      ctx.err(`fleet affected: ${(e as Error).message} (hint: in CI, check out with fetch-depth: 0 so the base commit is there)`);
      return EXIT.input;
    }
    const refs: StackRef[] = customers.map((c) => ({
      stack: stackId(c.spec),
      file: relative(top, c.file),
      environment: c.spec.environment,
      cloud: c.spec.cloud,
    }));
    const customersDir = relative(top, dir) || '.';
    let sinceDeployed: ReturnType<typeof affectedSinceDeployed> | undefined;
    if (options.sinceDeployed) {
      const file = resolve(ctx.cwd, (options.deployments as string | undefined) ?? DEFAULT_DEPLOYMENTS);
      try {
        const record = loadDeployments(file, relative(ctx.cwd, file));
        const changedSince = (commit: string) => {
          // The record names commits of the main branch; a shallow clone does not have them.
          git(ctx.cwd, ['cat-file', '-e', `${commit}^{commit}`]);
          const out = git(ctx.cwd, ['diff', '--name-only', '--no-renames', commit, head]);
          return out === '' ? [] : out.split('\n');
        };
        sinceDeployed = affectedSinceDeployed(changedSince, refs, record.stacks, customersDir);
      } catch (e) {
        for (const line of e instanceof InputError ? e.lines : [`fleet affected: ${(e as Error).message} (hint: a commit in the deploy record must be in the clone: check out with fetch-depth: 0)`]) ctx.err(line);
        return 1;
      }
    }
    const result = options.all
      ? { all: true, allReasons: ['--all'], stacks: refs.map((r) => ({ ...r, because: '--all' })).sort((a, b) => a.stack.localeCompare(b.stack)), removed: [] }
      : sinceDeployed
        ? { all: sinceDeployed.stacks.length === refs.length, allReasons: [], ...sinceDeployed }
        : affectedStacks(changed, refs, customersDir);
    const matrix = { include: matrixOf(result.stacks, maxJobs) };

    if (options.json) {
      // One line: CI stores it in a step output.
      writeOutput(ctx, JSON.stringify({ base, ...result, matrix }));
      return EXIT.ok;
    }
    const lines = [`${result.stacks.length} affected stack(s)${base ? ` since ${base.slice(0, 12)}` : sinceDeployed ? " since each stack's last recorded deploy" : ''}${result.all ? ` (all: ${result.allReasons.join('; ')})` : ''}`];
    const width = Math.max(0, ...result.stacks.map((s) => s.stack.length));
    for (const s of result.stacks) lines.push(`  ${s.stack.padEnd(width)}  ${s.environment.padEnd(7)}  ${s.cloud}  ${s.because}`);
    for (const r of result.removed) lines.push(`  ${r}: customer file deleted; nothing to plan (destroying the stack is a manual \`cdktf destroy ${r}\`)`);
    writeOutput(ctx, lines.join('\n'));
    return EXIT.ok;
  },
};
