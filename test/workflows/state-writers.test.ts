/**
 * The writers of the rollout state on main (deploy.yml's record job, rollout.yml's gate job)
 * share no concurrency group, so GitHub can never cancel a pending one; commit-to-main.sh makes
 * them safe together. Driven for real: a scratch repository with a bare origin, the real fleet
 * CLI and git, and the gate step's script taken from rollout.yml.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planJson, WAVES } from '../upgrades/rollout/fixtures';
import { metricsText } from '../upgrades/rollout/healthy';
import { NPX, ROOT, SCRIPTS, runScript, step, stubs, workflow } from './workflow-files';

const sh = (cwd: string, cmd: string, ...args: string[]) => execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();

function scratch(): { dir: string; work: string; stubDir: string; clone: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'state-writers-'));
  sh(dir, 'git', 'init', '-q', '--bare', '-b', 'main', 'origin.git');
  const clone = (name: string) => {
    sh(dir, 'git', 'clone', '-q', join(dir, 'origin.git'), name);
    return join(dir, name);
  };
  const work = clone('work');
  cpSync(join(ROOT, 'customers'), join(work, 'customers'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  cpSync(SCRIPTS, join(work, '.github', 'scripts'), { recursive: true });
  writeFileSync(join(work, '.gitignore'), 'node_modules\nmetrics.json\ngate.txt\nplan.json\n');
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  sh(work, 'git', 'add', '.');
  sh(work, 'git', 'commit', '-qm', 'fleet');
  sh(work, 'git', 'push', '-q', 'origin', 'HEAD:main');
  return { dir, work, stubDir: stubs(join(dir, 'bin'), { npx: NPX }), clone };
}

function recorded(work: string): Record<string, string> {
  sh(work, 'git', 'fetch', '-q', 'origin', 'main');
  const json = JSON.parse(sh(work, 'git', 'show', 'origin/main:rollout/deployments.json')) as { stacks: Record<string, { commit: string }> };
  return Object.fromEntries(Object.entries(json.stacks).map(([s, r]) => [s, r.commit]));
}

describe('commit-to-main.sh', () => {
  test('when another writer pushes first, it starts again from the new main: both records survive', () => {
    const { dir, work, stubDir, clone } = scratch();
    const head = sh(work, 'git', 'rev-parse', 'HEAD');
    const other = clone('other');
    // The other writer pushes its record at the moment this one is about to push (once).
    const hook = join(work, '.git', 'hooks', 'pre-push');
    writeFileSync(
      hook,
      `#!/usr/bin/env bash
set -e
if [ -e "${dir}/raced" ]; then exit 0; fi
touch "${dir}/raced"
cd "${other}"
git pull -q origin main
PATH="${stubDir}:$PATH" npx fleet rollout mark --deployed --stacks helios-media-prod --commit ${head} > /dev/null
git add rollout/deployments.json && git -c user.name=o -c user.email=o@example.com commit -qm "other writer"
git push -q origin HEAD:main
`,
    );
    chmodSync(hook, 0o755);
    const r = runScript(`bash .github/scripts/commit-to-main.sh "rollout: deployed" 0 -- npx fleet rollout mark --deployed --stacks "acme-retail-prod nordic-news-prod" --commit ${head}`, {
      cwd: work,
      stubDir,
      env: { RETRY_SLEEP_SECONDS: '0' },
    });
    expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });
    expect(r.out).toMatch(/main moved while recording \(attempt 1 of 8\)/);
    expect(recorded(work)).toEqual({ 'acme-retail-prod': head, 'helios-media-prod': head, 'nordic-news-prod': head });
    expect(sh(work, 'git', 'log', '--format=%s', 'origin/main')).toBe('rollout: deployed\nother writer\nfleet');
  }, 60_000);

  test('a command that fails commits nothing and the script exits with its code', () => {
    const { work, stubDir } = scratch();
    const r = runScript('bash .github/scripts/commit-to-main.sh "rollout: deployed" 0 -- npx fleet rollout mark --deployed --stacks "" --commit 0000000000000000000000000000000000000000', { cwd: work, stubDir });
    expect(r.code).toBe(1);
    expect(sh(work, 'git', 'log', '--format=%s', 'origin/main')).toBe('fleet');
  }, 60_000);
});

describe('rollout.yml gate step', () => {
  const gate = step('rollout.yml', 'gate', 'gate');
  const w = workflow('rollout.yml');

  /** Wave 1 applied and deployed in the scratch repository, as CI would have left main. */
  function waveOneDeployed(): { work: string; stubDir: string; metrics: object } {
    const s = scratch();
    writeFileSync(join(s.work, 'plan.json'), planJson(WAVES));
    const run = (...args: string[]) => runScript(`npx fleet ${args.map((a) => `'${a}'`).join(' ')}`, { cwd: s.work, stubDir: s.stubDir });
    expect(run('rollout', 'apply', '--wave', '1', '--plan', 'plan.json', '--at', '2026-11-20')).toMatchObject({ code: 0 });
    const head = sh(s.work, 'git', 'rev-parse', 'HEAD');
    expect(run('rollout', 'mark', '--deployed', '--stacks', 'globex-games-dev', '--commit', head, '--at', '2026-11-20')).toMatchObject({ code: 0 });
    sh(s.work, 'git', 'add', '-A');
    sh(s.work, 'git', 'commit', '-qm', 'wave 1 deployed');
    sh(s.work, 'git', 'push', '-q', 'origin', 'HEAD:main');
    return { ...s, metrics: JSON.parse(metricsText(['globex-games-dev'], '2026-11-20T01:00:00Z', '2026-11-25T00:00:00Z')) };
  }

  const gateRun = (work: string, stubDir: string, metricsEnv: string) =>
    runScript(gate.run!, { cwd: work, stubDir, env: { WAVE: '1', METRICS: metricsEnv, GITHUB_OUTPUT: join(work, '..', 'out'), GITHUB_STEP_SUMMARY: join(work, '..', 'summary'), RETRY_SLEEP_SECONDS: '0' } });

  test.each([
    ['a JSON object (the body sent with gh api --input, as the README says)', (m: object) => JSON.stringify(m)],
    ['a JSON string holding the metrics (gh api -F client_payload[metrics]=@file)', (m: object) => JSON.stringify(JSON.stringify(m))],
  ])('metrics sent as %s are judged and the verdict is committed to main', (_, encode) => {
    const { work, stubDir, metrics } = waveOneDeployed();
    // toJSON(github.event.client_payload.metrics) is what reaches METRICS.
    expect(w.jobs.gate.env?.METRICS).toBe('${{ toJSON(github.event.client_payload.metrics) }}');
    const r = gateRun(work, stubDir, encode(metrics));
    expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });
    expect(readFileSync(join(work, '..', 'out'), 'utf8')).toBe('code=0\n');
    sh(work, 'git', 'fetch', '-q', 'origin', 'main');
    expect(sh(work, 'git', 'log', '-1', '--format=%s', 'origin/main')).toBe('rollout: health gate for wave 1');
    const state = JSON.parse(sh(work, 'git', 'show', 'origin/main:rollout/state.json'));
    expect(JSON.stringify(state)).toMatch(/"verdict":"healthy"/);
  }, 90_000);

  test('a payload that is not JSON fails the step and commits nothing', () => {
    const { work, stubDir } = waveOneDeployed();
    const before = sh(work, 'git', 'rev-parse', 'origin/main');
    const r = gateRun(work, stubDir, '{not json');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/client_payload\.metrics is not JSON/);
    sh(work, 'git', 'fetch', '-q', 'origin', 'main');
    expect(sh(work, 'git', 'rev-parse', 'origin/main')).toBe(before);
  }, 90_000);
});
