/**
 * Drift and stale rollouts, driven for real: the pull request's and the drift job's plan steps
 * (taken from the YAML) plan as the stack's plan identity; a drifted stack is found with
 * -detailed-exitcode and reviewed; drift-report.sh opens, updates and closes ONE issue (a gh
 * stub records what it is asked); stale-rollouts.sh reads a real rollout state through fleet.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planJson, WAVES } from '../upgrades/rollout/fixtures';
import { metricsText } from '../upgrades/rollout/healthy';
import { NPX, ROOT, SCRIPTS, runScript, step, stubs, workflow } from './workflow-files';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

function scratch(): { dir: string; work: string; stubDir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drift-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  cpSync(join(ROOT, 'customers'), join(work, 'customers'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  cpSync(join(ROOT, 'upgrades'), join(work, 'upgrades'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  cpSync(SCRIPTS, join(work, '.github', 'scripts'), { recursive: true });
  writeFileSync(join(work, '.gitignore'), 'node_modules\ncdktf.out\nplans\n.fleet-base\nresults\nreviews\n');
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '-qm', 'fleet');
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const stubDir = stubs(join(dir, 'bin'), {
    npx: NPX,
    terraform: `exec node ${JSON.stringify(join(__dirname, 'terraform-stub.js'))} "$@"`,
    // gh: records each call; "issue list" answers with $OPEN_ISSUE (empty: no open issue).
    gh: `printf '%s\\n' "gh $*" >> "$STUB_LOG"
if [ "$1 $2" = "issue list" ]; then printf '%s\\n' "\${OPEN_ISSUE:-}"; fi
if [ "$1 $2" = "issue edit" ] || [ "$1 $2" = "issue create" ]; then
  for ((i = 1; i <= $#; i++)); do if [ "\${!i}" = --body-file ]; then j=$((i + 1)); cp "\${!j}" "$STUB_LOG.body"; fi; done
fi`,
  });
  return { dir, work, stubDir, log };
}

describe('plans as the plan identity (pull request and drift jobs)', () => {
  const s = scratch();
  const head = git(s.work, 'rev-parse', 'HEAD');
  const bases = JSON.stringify({ 'acme-retail-prod': head, 'helios-media-prod': head });

  test("the pull request's plan step plans as each stack's plan identity, keeping the stack's own session name", () => {
    const plan = step('pull-request.yml', 'plan', /plan identity/);
    const r = runScript(plan.run!, {
      cwd: s.work,
      stubDir: s.stubDir,
      env: { STACKS: 'acme-retail-prod helios-media-prod', BASES: bases, IDENTITY: 'plan', JOB_INDEX: '0', GITHUB_STEP_SUMMARY: join(s.dir, 'summary'), STUB_LOG: s.log, RUNNER_TEMP: s.dir },
    });
    expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });
    const aws = JSON.parse(readFileSync(join(s.work, 'cdktf.out/stacks/acme-retail-prod/plan_identity_override.tf.json'), 'utf8'));
    expect(aws.provider.aws[0].assume_role).toEqual([{ role_arn: 'arn:aws:iam::210987654321:role/acme-retail-prod-plan', session_name: 'fleet-acme-retail-prod' }]);
    expect(aws.terraform.backend.s3).toMatchObject({ bucket: 'fleet-tfstate-acme-retail', key: 'acme-retail/prod/terraform.tfstate', dynamodb_table: 'fleet-tfstate-locks', assume_role: { role_arn: 'arn:aws:iam::210987654321:role/acme-retail-prod-plan' } });
    const gcp = JSON.parse(readFileSync(join(s.work, 'cdktf.out/stacks/helios-media-prod/plan_identity_override.tf.json'), 'utf8'));
    expect(gcp.provider.google[0]).toEqual({ impersonate_service_account: 'helios-media-prod-plan@helios-media-pipeline-prod.iam.gserviceaccount.com' });
    expect(gcp.terraform.backend.gcs).toMatchObject({ bucket: 'fleet-tfstate-helios-media', prefix: 'pipelines/helios-media/prod', impersonate_service_account: 'helios-media-prod-plan@helios-media-pipeline-prod.iam.gserviceaccount.com' });
    // The review's Markdown reached the job summary.
    expect(readFileSync(join(s.dir, 'summary'), 'utf8')).toMatch(/acme-retail-prod/);
  }, 90_000);

  test('the drift step finds a drifted stack with -detailed-exitcode, and a clean one', () => {
    const d = step('drift.yml', 'drift', /detailed-exitcode/);
    rmSync(join(s.work, 'results'), { recursive: true, force: true });
    const env = workflow('drift.yml').jobs.drift.env!;
    const r = runScript(d.run!, {
      cwd: s.work,
      stubDir: s.stubDir,
      env: { STACKS: 'acme-retail-prod helios-media-prod', BASES: bases, IDENTITY: env.IDENTITY, DETAILED_EXITCODE: env.DETAILED_EXITCODE, JOB_INDEX: '3', GITHUB_STEP_SUMMARY: join(s.dir, 'summary'), STUB_LOG: s.log, STUB_DRIFT: 'helios-media-prod=google_pubsub_topic.raw', RUNNER_TEMP: s.dir },
    });
    expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });
    expect(readFileSync(join(s.work, 'results/helios-media-prod.status'), 'utf8')).toBe('drift\n');
    expect(readFileSync(join(s.work, 'results/acme-retail-prod.status'), 'utf8')).toBe('none\n');
    expect(readFileSync(join(s.work, 'results/review-3.md'), 'utf8')).toMatch(/google_pubsub_topic\.raw/);
    expect(readFileSync(s.log, 'utf8')).toMatch(/^plan helios-media-prod -input=false -lock-timeout=10m -detailed-exitcode -out=plan$/m);
  }, 90_000);
});

describe('drift-report.sh: one issue', () => {
  function report(results: Record<string, string>, stale: string, openIssue: string): { code: number; calls: string[]; body: string } {
    const s = scratch();
    mkdirSync(join(s.dir, 'results'));
    for (const [stack, status] of Object.entries(results)) writeFileSync(join(s.dir, 'results', `${stack}.status`), `${status}\n`);
    writeFileSync(join(s.dir, 'stale.md'), stale);
    const r = runScript('bash .github/scripts/drift-report.sh', {
      cwd: s.work,
      stubDir: s.stubDir,
      env: { RESULTS: join(s.dir, 'results'), STALE: join(s.dir, 'stale.md'), RUN_URL: 'https://example.test/run/1', STUB_LOG: s.log, OPEN_ISSUE: openIssue },
    });
    const body = existsSync(`${s.log}.body`) ? readFileSync(`${s.log}.body`, 'utf8') : '';
    return { code: r.code, calls: readFileSync(s.log, 'utf8').split('\n').filter(Boolean), body };
  }

  test('drift and no open issue: one issue is created listing the drifted stacks and the stale rollouts', () => {
    const r = report({ 'acme-retail-prod': 'none', 'helios-media-prod': 'drift', 'nordic-news-prod': 'error' }, '- wave 2 (non-prod) is halted by the health gate: ...\n', '');
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => /issue (create|edit|close)/.test(c))).toEqual([expect.stringMatching(/^gh issue create --title Drift and stale rollouts --label fleet-drift --body-file /)]);
    expect(r.body).toMatch(/## Drifted stacks \(1\)\n\n[^\n]*\n\n- helios-media-prod\n/);
    expect(r.body).toMatch(/could not be planned \(1\)\n\n- nordic-news-prod/);
    expect(r.body).toMatch(/## Stale rollouts\n\n- wave 2 \(non-prod\) is halted/);
  });

  test('an open issue is updated, never a second one opened', () => {
    const r = report({ 'helios-media-prod': 'drift' }, '', '42');
    expect(r.calls.filter((c) => /issue (create|edit|close)/.test(c))).toEqual([expect.stringMatching(/^gh issue edit 42 --title Drift and stale rollouts --body-file /)]);
  });

  test('all clean: the open issue is closed; with none open, nothing is filed', () => {
    expect(report({ 'helios-media-prod': 'none' }, '', '42').calls.filter((c) => /issue (create|edit|close)/.test(c))).toEqual([expect.stringMatching(/^gh issue close 42 --comment No drift in 1 stack\(s\)/)]);
    expect(report({ 'helios-media-prod': 'none' }, '', '').calls.filter((c) => /issue (create|edit|close)/.test(c))).toEqual([]);
  });
});

describe('stale-rollouts.sh', () => {
  function withState(prepare: (fleet: (...args: string[]) => void) => void, now: string): string {
    const s = scratch();
    writeFileSync(join(s.work, 'plan.json'), planJson(WAVES));
    const fleet = (...args: string[]) => {
      const r = runScript(`npx fleet ${args.map((a) => `'${a}'`).join(' ')}`, { cwd: s.work, stubDir: s.stubDir });
      if (r.code !== 0 && r.code !== 2) throw new Error(r.out);
    };
    prepare(fleet);
    const r = runScript('bash .github/scripts/stale-rollouts.sh', { cwd: s.work, stubDir: s.stubDir, env: { NOW: now, RUNNER_TEMP: s.dir } });
    if (r.code !== 0) throw new Error(r.out);
    return r.out;
  }
  const head = 'a'.repeat(40);

  test('a wave applied and never deployed past its bake plus the margin is reported; within it, not', () => {
    const apply = (fleet: (...a: string[]) => void) => fleet('rollout', 'apply', '--wave', '1', '--plan', 'plan.json', '--at', '2026-11-20');
    expect(withState(apply, '2026-11-30T00:00:00Z')).toMatch(/^- wave 1 \(canary\) was applied 10 day\(s\) ago and is not recorded as deployed/);
    expect(withState(apply, '2026-11-21T00:00:00Z')).toBe('');
  }, 60_000);

  test('a wave deployed and baked without a healthy verdict is reported, and a halted wave is', () => {
    const deployed = (fleet: (...a: string[]) => void) => {
      fleet('rollout', 'apply', '--wave', '1', '--plan', 'plan.json', '--at', '2026-11-20');
      fleet('rollout', 'mark', '--deployed', '--stacks', 'globex-games-dev', '--commit', head, '--at', '2026-11-20');
    };
    expect(withState(deployed, '2026-11-30T00:00:00Z')).toMatch(/^- wave 1 \(canary\)'s bake ended \d+ day\(s\) ago and no gate has judged it/);
    const halted = (fleet: (...a: string[]) => void) => {
      deployed(fleet);
      const metrics = metricsText(['globex-games-dev'], '2026-11-20T01:00:00Z', '2026-11-25T00:00:00Z', (m) => ({ ...m, maxConsumerLagSeconds: 99_999 }));
      fleet('rollout', 'gate', '--wave', '1', '--metrics', writeTemp(metrics));
    };
    expect(withState(halted, '2026-11-26T00:00:00Z')).toMatch(/^- wave 1 \(canary\) is halted since the gate of /);
  }, 60_000);
});

function writeTemp(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
  writeFileSync(file, text);
  return file;
}
