/**
 * The Deploy workflow driven for real: its jobs' `run:` scripts, taken from deploy.yml, run in
 * order against a scratch repository (with a bare origin, so the record job really pushes to
 * main), with the real fleet CLI and git, and a terraform stub that plays the cloud. It shows
 * that a merge whose run is dropped in the queue is deployed by the next run, that a failed
 * apply leaves its stack for the next run, that a no-op merge records nothing, that a plan
 * changing more than the merged code explains is never applied, and that what is applied is
 * the saved plan that was reviewed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NPX, ROOT, runScript, stubs, workflow, type Job } from './workflow-files';

const W = workflow('deploy.yml');

interface Ctx {
  readonly dir: string;
  readonly work: string;
  readonly stubDir: string;
  readonly log: string;
}

function setup(): Ctx {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-run-'));
  const work = join(dir, 'work');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
  git(dir, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
  git(dir, 'clone', '-q', join(dir, 'origin.git'), 'work');
  cpSync(join(ROOT, 'customers'), join(work, 'customers'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  cpSync(join(ROOT, 'upgrades'), join(work, 'upgrades'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  cpSync(join(ROOT, '.github'), join(work, '.github'), { recursive: true });
  writeFileSync(join(work, '.gitignore'), 'node_modules\ncdktf.out\nplans\n.fleet-base\ndeployed\n*.json.tmp\n/since.json\n/all.json\n/affected.json\n/review.md\n');
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  git(work, 'add', '.');
  git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'the fleet');
  git(work, 'push', '-q', 'origin', 'HEAD:main');
  const log = join(dir, 'terraform.log');
  writeFileSync(log, '');
  const stubDir = stubs(join(dir, 'bin'), {
    npx: NPX,
    // npm ci: node_modules is already there (a symlink to this checkout's).
    npm: 'exit 0',
    terraform: `exec node ${JSON.stringify(join(__dirname, 'terraform-stub.js'))} "$@"`,
  });
  return { dir, work, stubDir, log };
}

function git(ctx: Ctx, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd: ctx.work, encoding: 'utf8' }).trim();
}

/** A merge to main: edit files, commit, push; returns the commit. */
function merge(ctx: Ctx, message: string, edit: () => void): string {
  git(ctx, 'fetch', '-q', 'origin', 'main');
  git(ctx, 'reset', '-q', '--hard', 'origin/main');
  edit();
  git(ctx, 'add', '-A');
  git(ctx, 'commit', '-qm', message);
  git(ctx, 'push', '-q', 'origin', 'HEAD:main');
  return git(ctx, 'rev-parse', 'HEAD');
}

function editCustomer(ctx: Ctx, stack: string, from: RegExp, to: string): void {
  const file = join(ctx.work, 'customers', `${stack}.json`);
  const text = readFileSync(file, 'utf8');
  if (!from.test(text)) throw new Error(`${stack}: ${from} not found`);
  writeFileSync(file, text.replace(from, to));
}

/** Resolves the few ${{ }} expressions the jobs' env blocks use, from what the test knows. */
function resolveEnv(env: Record<string, string> | undefined, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env ?? {}).map(([k, v]) => [
      k,
      String(v).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
        if (!(expr in values)) throw new Error(`test does not know the value of ${expr} (env ${k})`);
        return values[expr];
      }),
    ]),
  );
}

interface JobRun {
  readonly code: number;
  readonly out: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Runs a job's run: steps in order, as a runner does: each step's exit code ends the job on failure. */
function runJob(ctx: Ctx, job: Job, values: Record<string, string>, only?: (name: string | undefined) => boolean): JobRun {
  const files = mkdtempSync(join(ctx.dir, 'job-'));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  let out = '';
  for (const s of job.steps) {
    if (!s.run || (s.if !== undefined && !(only?.(s.name) ?? false))) continue;
    if (only && !only(s.name)) continue;
    const env = {
      ...resolveEnv(W.env, values),
      ...resolveEnv(job.env, values),
      ...resolveEnv(s.env, values),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_RUN_ID: '1',
      STUB_LOG: ctx.log,
      RUNNER_TEMP: files,
      RETRY_SLEEP_SECONDS: '0',
      ...(values.STUB_FAIL_APPLY ? { STUB_FAIL_APPLY: values.STUB_FAIL_APPLY } : {}),
      ...(values.STUB_DRIFT ? { STUB_DRIFT: values.STUB_DRIFT } : {}),
    };
    const r = runScript(s.run, { cwd: ctx.work, stubDir: ctx.stubDir, env });
    out += `--- ${s.name ?? s.run.split('\n')[0]} (exit ${r.code})\n${r.out}`;
    if (r.code !== 0) return { code: r.code, out, outputs: outputsOf(outputFile), summary: readFileSync(summaryFile, 'utf8') };
  }
  return { code: 0, out, outputs: outputsOf(outputFile), summary: readFileSync(summaryFile, 'utf8') };
}

function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

interface Run {
  readonly affected: JobRun;
  readonly deploys: { readonly name: string; readonly job: JobRun }[];
  readonly record?: JobRun;
}

/** One run of the Deploy workflow for the push of `sha`: affected, every matrix entry's deploy job, record. */
function deployRun(ctx: Ctx, sha: string, before: string, extra: Record<string, string> = {}, opts: { cancelledAfterAffected?: boolean } = {}): Run {
  git(ctx, 'checkout', '-q', '--detach', sha);
  const base = { 'github.event_name': 'push', 'inputs.stacks': '', 'github.event.before': before, 'github.sha': sha, ...extra };
  const affected = runJob(ctx, W.jobs.affected, base);
  if (affected.code !== 0 || opts.cancelledAfterAffected) return { affected, deploys: [] };
  const artifacts = join(ctx.dir, `artifacts-${sha}`);
  const deploys: Run['deploys'] = [];
  let nonprodOk = true;
  for (const kind of ['nonprod', 'prod'] as const) {
    const entries: { name: string; stacks: string }[] = JSON.parse(affected.outputs[kind]).include;
    if (kind === 'prod' && !nonprodOk) break;
    entries.forEach((entry, i) => {
      rmSync(join(ctx.work, 'deployed'), { recursive: true, force: true });
      const job = runJob(ctx, W.jobs[`deploy-${kind}`], { ...base, 'matrix.stacks': entry.stacks, 'needs.affected.outputs.bases': affected.outputs.bases });
      deploys.push({ name: entry.name, job });
      if (job.code !== 0) nonprodOk = kind !== 'nonprod' ? nonprodOk : false;
      // upload-artifact (if: always()) of deployed/ as deployed-<kind>-<i>
      if (existsSync(join(ctx.work, 'deployed'))) cpSync(join(ctx.work, 'deployed'), join(artifacts, `deployed-${kind}-${i}`), { recursive: true });
    });
  }
  // The record job checks out main and downloads the artifacts into deployed/<artifact>/.
  git(ctx, 'fetch', '-q', 'origin', 'main');
  git(ctx, 'checkout', '-q', '--detach', 'origin/main');
  rmSync(join(ctx.work, 'deployed'), { recursive: true, force: true });
  mkdirSync(join(ctx.work, 'deployed'));
  if (existsSync(artifacts)) cpSync(artifacts, join(ctx.work, 'deployed'), { recursive: true });
  const record = runJob(ctx, W.jobs.record, base, (name) => name === 'fleet rollout mark');
  return { affected, deploys, record };
}

/** The job's exit code, with its log in the failure message when it is not the expected one. */
function exitOf(job: JobRun | undefined): { code: number | undefined; log?: string } {
  return job?.code === 0 ? { code: 0 } : { code: job?.code, log: job?.out };
}

function stacksOf(run: Run): string[] {
  return [...JSON.parse(run.affected.outputs.nonprod).include, ...JSON.parse(run.affected.outputs.prod).include].map((e: { stacks: string }) => e.stacks).sort();
}

function deployments(ctx: Ctx): Record<string, string> {
  const text = execFileSync('git', ['show', 'origin/main:rollout/deployments.json'], { cwd: ctx.work, encoding: 'utf8' });
  const json = JSON.parse(text) as { stacks: Record<string, { commit: string }> };
  return Object.fromEntries(Object.entries(json.stacks).map(([s, r]) => [s, r.commit]));
}

function applied(ctx: Ctx): string[] {
  return readFileSync(ctx.log, 'utf8').split('\n').filter((l) => l.startsWith('applied ')).map((l) => l.split(' ')[1]);
}

const ALL = ['acme-retail-prod', 'acme-retail-staging', 'globex-games-dev', 'helios-media-prod', 'helios-media-staging', 'nordic-news-prod'];

describe('the Deploy workflow, run against a scratch repository', () => {
  const ctx = setup();
  let c0 = '';

  test('the first run deploys every stack (none recorded yet) and records each at the deployed commit', () => {
    c0 = git(ctx, 'rev-parse', 'HEAD');
    const run = deployRun(ctx, c0, '');
    expect(exitOf(run.affected)).toEqual({ code: 0 });
    expect(stacksOf(run)).toEqual(ALL);
    expect(run.deploys.map((d) => [d.name, d.job.code])).toEqual(expect.arrayContaining(ALL.map((s) => [s, 0])));
    for (const d of run.deploys) expect({ name: d.name, ...exitOf(d.job) }).toEqual({ name: d.name, code: 0 });
    expect(exitOf(run.record)).toEqual({ code: 0 });
    expect(applied(ctx).sort()).toEqual(ALL);
    expect(deployments(ctx)).toEqual(Object.fromEntries(ALL.map((s) => [s, c0])));
    // What was applied is the saved plan that was shown and reviewed: apply names it, nothing re-plans.
    const log = readFileSync(ctx.log, 'utf8');
    expect(log).toMatch(/^apply acme-retail-prod -input=false -lock-timeout=10m plan$/m);
    expect(log).toMatch(/^plan acme-retail-prod -input=false -lock-timeout=10m -out=plan$/m);
  }, 240_000);

  test("a merge whose run was dropped in the queue is deployed by the next merge's run; a failed apply is retried by the run after", () => {
    writeFileSync(ctx.log, '');
    const a = merge(ctx, 'acme staging: bigger collector', () => editCustomer(ctx, 'acme-retail-staging', /"maxSize": 2/, '"maxSize": 9'));
    // Run A finds its stack, then waits for approval and is cancelled by a newer pending run.
    const runA = deployRun(ctx, a, c0, {}, { cancelledAfterAffected: true });
    expect(stacksOf(runA)).toEqual(['acme-retail-staging']);

    const b = merge(ctx, 'globex dev: bigger enrich', () => editCustomer(ctx, 'globex-games-dev', /"maxSize": (\d+)/, '"maxSize": 7'));
    const runB = deployRun(ctx, b, a, { STUB_FAIL_APPLY: 'globex-games-dev' });
    // B deploys A's change too: both stacks changed since the commit they were last deployed from.
    expect(stacksOf(runB)).toEqual(['acme-retail-staging', 'globex-games-dev']);
    expect(JSON.parse(runB.affected.outputs.bases)).toEqual({ 'acme-retail-staging': c0, 'globex-games-dev': c0 });
    const acme = runB.deploys.find((d) => d.name === 'acme-retail-staging')!.job;
    expect(exitOf(acme)).toEqual({ code: 0 });
    // Its review compared the saved plan with A's predicted change (the collector group's max_size).
    expect(acme.summary).toMatch(/aws_autoscaling_group\.pipeline_collector_service_asg/);
    expect(runB.deploys.find((d) => d.name === 'globex-games-dev')!.job.code).not.toBe(0);
    expect(exitOf(runB.record)).toEqual({ code: 0 });
    expect(applied(ctx)).toEqual(['acme-retail-staging']);
    expect(deployments(ctx)).toMatchObject({ 'acme-retail-staging': b, 'globex-games-dev': c0, 'nordic-news-prod': c0 });

    // The next run (a merge that touches no stack itself) still deploys the stack whose apply failed.
    writeFileSync(ctx.log, '');
    const c = merge(ctx, 'docs', () => writeFileSync(join(ctx.work, 'NOTES.md'), 'notes\n'));
    const runC = deployRun(ctx, c, b);
    expect(stacksOf(runC)).toEqual(['globex-games-dev']);
    expect(exitOf(runC.record)).toEqual({ code: 0 });
    expect(applied(ctx)).toEqual(['globex-games-dev']);
    expect(deployments(ctx)).toMatchObject({ 'acme-retail-staging': b, 'globex-games-dev': c });
  }, 240_000);

  test('a merge that changes no stack deploys nothing and records nothing: no commit, no wave marked', () => {
    writeFileSync(ctx.log, '');
    const before = deployments(ctx);
    const d = merge(ctx, 'schema description', () => editCustomer(ctx, 'customer.schema', /"\$schema"/, '"$comment": "docs", "$schema"'));
    const run = deployRun(ctx, d, d);
    expect(exitOf(run.affected)).toEqual({ code: 0 });
    expect(run.affected.outputs).toMatchObject({ 'nonprod-count': '0', 'prod-count': '0' });
    expect(run.deploys).toEqual([]);
    expect(exitOf(run.record)).toEqual({ code: 0 });
    expect(run.record!.summary).toMatch(/No stack was applied by this run; nothing recorded/);
    expect(git(ctx, 'rev-parse', 'origin/main')).toBe(d);
    expect(deployments(ctx)).toEqual(before);
    expect(readFileSync(ctx.log, 'utf8')).toBe('');
  }, 120_000);

  test('a plan that changes more than the merged code explains is not applied, and nothing is recorded', () => {
    writeFileSync(ctx.log, '');
    const e = merge(ctx, 'nordic: bigger enrich', () => editCustomer(ctx, 'nordic-news-prod', /"maxSize": 6/, '"maxSize": 8'));
    const drifted = 'aws_sns_topic.pipeline_alerts_topic';
    const run = deployRun(ctx, e, e, { STUB_DRIFT: `nordic-news-prod=${drifted}` });
    expect(stacksOf(run)).toEqual(['nordic-news-prod']);
    const job = run.deploys[0].job;
    expect(job.code).toBe(2);
    expect(job.summary).toMatch(/aws_sns_topic\.pipeline_alerts_topic/);
    expect(readFileSync(ctx.log, 'utf8')).not.toMatch(/^appl/m);
    expect(exitOf(run.record)).toEqual({ code: 0 });
    expect(deployments(ctx)['nordic-news-prod']).toBe(c0);
  }, 120_000);

  test('a manual run deploys exactly the stacks it names (or "all"), and refuses an unknown id', () => {
    git(ctx, 'fetch', '-q', 'origin', 'main');
    git(ctx, 'checkout', '-q', '--detach', 'origin/main');
    const head = git(ctx, 'rev-parse', 'HEAD');
    const dispatch = (stacks: string) => runJob(ctx, W.jobs.affected, { 'github.event_name': 'workflow_dispatch', 'inputs.stacks': stacks, 'github.event.before': '' });
    const two = dispatch('globex-games-dev, nordic-news-prod');
    expect(exitOf(two)).toEqual({ code: 0 });
    expect(JSON.parse(two.outputs.nonprod).include.map((e: { stacks: string }) => e.stacks)).toEqual(['globex-games-dev']);
    expect(JSON.parse(two.outputs.prod).include.map((e: { stacks: string }) => e.stacks)).toEqual(['nordic-news-prod']);
    // nordic-news-prod has an undeployed change (the blocked run above): its base is its last deploy; globex has none: HEAD.
    expect(JSON.parse(two.outputs.bases)).toEqual({ 'globex-games-dev': head, 'nordic-news-prod': c0 });
    const all = dispatch('all');
    expect([...JSON.parse(all.outputs.nonprod).include, ...JSON.parse(all.outputs.prod).include].map((e: { stacks: string }) => e.stacks).sort()).toEqual(ALL);
    const unknown = dispatch('globex-games-dev no-such-stack');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/unknown stack id\(s\): no-such-stack/);
  }, 120_000);
});
