/**
 * The GitHub workflows, checked for structure: the jobs exist and depend on each other as the
 * rollout needs, matrices come from `fleet affected`, deploys run in approval-gated environments
 * with the deploy identity and everything else with the plan identity, every fleet command (and
 * option) they call exists, and actionlint and shellcheck report nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandUsages } from '../../cli/fleet';
import { affectedStacks, matrixOf } from '../../upgrades/rollout/affected';
import { ROOT, WORKFLOWS, files, runScript, scriptTexts, step, stubs, texts, workflow, workflows, type Job, type Step } from './workflow-files';

function needs(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function runs(job: Job): string {
  return job.steps.map((s) => s.run ?? '').join('\n');
}

function allSteps(): { file: string; job: string; step: Step }[] {
  return [...workflows].flatMap(([file, w]) => Object.entries(w.jobs).flatMap(([job, j]) => j.steps.map((step) => ({ file, job, step }))));
}

/** Every shell text CI runs: the run: scripts and the scripts they call. */
function shellTexts(): { where: string; text: string }[] {
  return [
    ...allSteps().filter(({ step }) => step.run).map(({ file, job, step }) => ({ where: `${file} ${job} "${step.name ?? step.run!.split('\n')[0]}"`, text: step.run! })),
    ...[...scriptTexts].map(([f, text]) => ({ where: `.github/scripts/${f}`, text })),
  ];
}

/** `npx fleet a b --x` / `node bin/fleet.js a b --x` in a script, with the options it passes (also through an args array). */
function fleetCalls(script: string): { words: string[]; options: string[] }[] {
  const arrayOptions = [...script.matchAll(/[a-z_]+\+?=\(([^)]*)\)/g)].flatMap((m) => m[1].match(/--[a-z][a-z-]*/g) ?? []);
  const joined = script.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/(?:npx fleet|node bin\/fleet\.js)((?: [^|;>&\n]+)?)/g)].map((m) => {
    const tokens = m[1].trim().split(/\s+/).filter(Boolean);
    const words = tokens.slice(0, tokens.findIndex((t) => !/^[a-z][a-z-]*$/.test(t)) >>> 0);
    const options = tokens.filter((t) => t.startsWith('--')).map((t) => t.split('=')[0]);
    return { words, options: /"\$\{[a-z_]+\[@\]\}"/.test(m[1]) ? [...options, ...arrayOptions] : options };
  });
}

const CLOUD_LOGIN = /configure-aws-credentials|google-github-actions\/auth/;

describe('every workflow', () => {
  test('the four workflows exist and parse', () => {
    expect(files).toEqual(['deploy.yml', 'drift.yml', 'pull-request.yml', 'rollout.yml']);
    for (const w of workflows.values()) {
      expect(typeof w.name).toBe('string');
      expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    }
  });

  test('each says in its header which secrets and credentials its jobs need', () => {
    const undocumented = [...texts].filter(([, text]) => !(text.startsWith('#') && /Secrets and credentials/.test(text.split('\nname:')[0])));
    expect(undocumented.map(([file]) => file)).toEqual([]);
  });

  test('every fleet command the workflows and their scripts call exists, with the options they pass', async () => {
    const COMMANDS = await commandUsages();
    const calls = shellTexts().flatMap(({ where, text }) => fleetCalls(text).map((c) => ({ where, ...c })));
    expect(calls.length).toBeGreaterThan(15);
    const byLength = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
    const commandOf = (words: string[]) => byLength.find((c) => c.name.split(' ').every((w, i) => words[i] === w));
    expect(calls.filter((c) => !commandOf(c.words)).map((c) => `${c.where}: fleet ${c.words.join(' ')}`)).toEqual([]);
    const unknownOptions = calls.flatMap((c) => {
      const command = commandOf(c.words)!;
      return c.options.filter((o) => !new RegExp(`${o}(?![\\w-])`).test(command.usage)).map((o) => `${c.where}: fleet ${command.name} ${o}`);
    });
    expect(unknownOptions).toEqual([]);
    const called = new Set(calls.map((c) => commandOf(c.words)!.name));
    expect([...called].sort()).toEqual(['affected', 'predict', 'review', 'rollout apply', 'rollout gate', 'rollout mark', 'rollout status', 'synth', 'upgrades plan', 'upgrades stage', 'validate']);
  });

  test('no ${{ }} expression inside a run script: values reach scripts through env (no script injection)', () => {
    const injected = allSteps().filter(({ step }) => (step.run ?? '').includes('${{'));
    expect(injected.map(({ file, job, step }) => `${file} ${job}: ${step.name ?? step.run}`)).toEqual([]);
  });

  test('every action is pinned to a full commit SHA with its release tag in a comment, the same SHA everywhere', () => {
    const lines = [...texts].flatMap(([file, text]) => text.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l)).map((l) => ({ file, line: l.trim() })));
    expect(lines.length).toBe(allSteps().filter(({ step }) => step.uses).length);
    const bad = lines.filter(({ line }) => !/^-?\s*uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line));
    expect(bad).toEqual([]);
    const shaOf = new Map<string, Set<string>>();
    for (const { line } of lines) {
      const [, action, pin] = /uses: ([^@]+)@(.+)$/.exec(line)!;
      shaOf.set(action, (shaOf.get(action) ?? new Set()).add(pin));
    }
    expect([...shaOf].filter(([, pins]) => pins.size > 1)).toEqual([]);
  });

  test('Node 22 LTS wherever node is set up', () => {
    const nodes = allSteps().filter(({ step }) => step.uses?.startsWith('actions/setup-node@'));
    expect(nodes.length).toBeGreaterThanOrEqual(8);
    expect(nodes.filter(({ step }) => step.with?.['node-version'] !== 22).map(({ file, job }) => `${file} ${job}`)).toEqual([]);
  });

  test('jobs that take cloud credentials may mint an OIDC token, and only those', () => {
    const wrong = [...workflows].flatMap(([file, w]) =>
      Object.entries(w.jobs).flatMap(([name, job]) => {
        const cloud = job.steps.some((s) => CLOUD_LOGIN.test(s.uses ?? ''));
        return cloud === (job.permissions?.['id-token'] === 'write') ? [] : [`${file} ${name}`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  test('the deploy identity only in deploy jobs of the protected class environments; every other cloud job plans as the plan identity', () => {
    const cloudJobs = [...workflows].flatMap(([file, w]) => Object.entries(w.jobs).filter(([, j]) => j.steps.some((s) => CLOUD_LOGIN.test(s.uses ?? ''))).map(([name, j]) => ({ file, name, j })));
    expect(cloudJobs.map((c) => `${c.file} ${c.name}`).sort()).toEqual(['deploy.yml deploy-nonprod', 'deploy.yml deploy-prod', 'drift.yml drift', 'pull-request.yml plan']);
    for (const { file, name, j } of cloudJobs) {
      const logins = JSON.stringify(j.steps.filter((s) => CLOUD_LOGIN.test(s.uses ?? '')).map((s) => s.with));
      const deploying = file === 'deploy.yml';
      expect({ job: `${file} ${name}`, environment: j.environment, identity: j.env?.IDENTITY }).toEqual({
        job: `${file} ${name}`,
        environment: deploying ? '${{ matrix.environment }}' : 'plan',
        identity: deploying ? 'deploy' : 'plan',
      });
      expect(logins).toMatch(deploying ? /vars\.AWS_DEPLOY_ROLE_ARN.*vars\.GCP_DEPLOY_SERVICE_ACCOUNT/ : /vars\.AWS_PLAN_ROLE_ARN.*vars\.GCP_PLAN_SERVICE_ACCOUNT/);
      expect(logins).not.toMatch(deploying ? /PLAN/ : /DEPLOY/);
    }
    // The matrix can name only the environments the header documents as protected.
    expect(texts.get('deploy.yml')).toMatch(/per GitHub environment \(dev, staging, prod;/);
  });

  test('matrix fields the jobs read are the ones fleet affected writes', () => {
    const keys = Object.keys(matrixOf([{ stack: 'a-prod', file: '', environment: 'prod', cloud: 'aws' }])[0]).sort();
    expect(keys).toEqual(['cloud', 'environment', 'name', 'stacks']);
    for (const text of texts.values()) for (const m of text.matchAll(/(?<![.\w])matrix\.([a-z-]+)/g)) expect(keys).toContain(m[1]);
  });

  test('terraform init, plan and apply wait for a held state lock rather than fail', () => {
    const calls = shellTexts().flatMap(({ where, text }) => [...text.matchAll(/terraform -chdir="[^"]+" (init|plan|apply)\b[^\n]*/g)].map((m) => ({ where, call: m[0] })));
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.filter((c) => !c.call.includes('-lock-timeout="$lock_timeout"'))).toEqual([]);
    // Any other invocation (without -chdir, or through cdktf) would escape the check above.
    const code = (text: string) => text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
    const other = shellTexts().flatMap(({ where, text }) => [...code(text).matchAll(/(?:^|[;&|(]\s*|then\s+|if\s+)(terraform (?!-chdir)\S+|(?:npx )?cdktf (?:diff|deploy|plan))/gm)].map((m) => `${where}: ${m[1]}`));
    expect(other).toEqual([]);
    for (const [file, w] of workflows) if (/terraform/.test(texts.get(file)!) && file !== 'rollout.yml') expect({ file, timeout: w.env?.LOCK_TIMEOUT }).toEqual({ file, timeout: '10m' });
  });

  test('push and pull request path filters cover every path fleet affected counts as changing a stack', () => {
    const glob = (g: string) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
    const stacks = [{ stack: 'acme-prod', file: 'customers/acme-prod.json', environment: 'prod' as const, cloud: 'aws' as const }];
    const candidates = ['customers/acme-prod.json', 'customers/load.ts', 'customers/schema.ts', 'constructs/aws/plan-role.ts', 'stacks/app.ts', 'package.json', 'package-lock.json', 'cdktf.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'test/x.test.ts', 'cli/review.ts', 'docs/a.md'];
    const counted = candidates.filter((p) => affectedStacks([p], stacks, 'customers').stacks.length > 0);
    expect(counted).toEqual(expect.arrayContaining(['customers/acme-prod.json', 'tsconfig.json', 'tsconfig.build.json', 'constructs/aws/plan-role.ts']));
    for (const [file, event] of [['deploy.yml', 'push'], ['pull-request.yml', 'pull_request']] as const) {
      const filters: string[] = workflow(file).on[event].paths;
      const missed = counted.filter((p) => !filters.some((f) => glob(f).test(p)));
      expect({ file, missed }).toEqual({ file, missed: [] });
      const extra = candidates.filter((p) => !counted.includes(p) && filters.some((f) => glob(f).test(p)));
      expect({ file, extra }).toEqual({ file, extra: [] });
    }
    expect(workflow('pull-request.yml').on.pull_request.paths).toContain('upgrades/**');
  });

  test('actionlint reports nothing on each workflow, and does report a broken one', () => {
    const lint = (file: string) => spawnSync(process.execPath, [join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js'), file], { encoding: 'utf8' });
    for (const file of files) {
      const r = lint(join(WORKFLOWS, file));
      expect({ file, code: r.status, findings: r.status === 0 ? '' : `${r.stdout}${r.stderr}` }).toEqual({ file, code: 0, findings: '' });
    }
    const broken = join(mkdtempSync(join(tmpdir(), 'actionlint-')), 'broken.yml');
    writeFileSync(broken, texts.get('deploy.yml')!.replace('needs.affected.outputs.nonprod-count', 'needs.afected.outputs.nonprod-count'));
    expect(lint(broken).status).not.toBe(0);
  });

  const shellcheck = spawnSync('sh', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim();
  // .ci/run installs shellcheck, so CI always runs this; elsewhere it runs when shellcheck is there.
  (shellcheck || process.env.CI ? test : test.skip)('shellcheck reports nothing on any run script or .github/scripts script', () => {
    expect(shellcheck).not.toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
    const findings = shellTexts().flatMap(({ where, text }, i) => {
      const file = join(dir, `${i}.sh`);
      writeFileSync(file, text.startsWith('#!') ? text : `#!/usr/bin/env bash\n${text}`);
      const r = spawnSync(shellcheck, ['--shell=bash', file], { encoding: 'utf8' });
      return r.status === 0 ? [] : [`${where}:\n${r.stdout}`];
    });
    expect(findings).toEqual([]);
  });
});

describe('pull-request.yml', () => {
  const w = workflow('pull-request.yml');

  test('validates, synthesizes, computes the affected stacks from the merge base and stages the plan into the summary', () => {
    const v = w.jobs.validate;
    const script = runs(v);
    expect(script).toMatch(/npx fleet validate/);
    expect(script).toMatch(/npx fleet synth/);
    expect(script).toMatch(/npx fleet upgrades stage --out staged/);
    expect(v.steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/checkout@/), with: { 'fetch-depth': 0 } });
    const affected = v.steps.find((s) => s.id === 'affected')!;
    expect(affected.run).toMatch(/npx fleet affected --base "origin\/\$BASE_REF" --json > affected\.json/);
    expect(affected.run).toMatch(/git merge-base "origin\/\$BASE_REF" HEAD/);
    expect(Object.keys(v.outputs!).sort()).toEqual(['bases', 'count', 'matrix']);
  });

  test('the plan job fans out over the affected matrix and runs the same plan-and-review script as the deploy, as the plan identity', () => {
    const p = w.jobs.plan;
    expect(needs(p)).toEqual(['validate']);
    expect(p.if).toBe("needs.validate.outputs.count != '0'");
    expect(p.strategy).toMatchObject({ 'fail-fast': false, matrix: '${{ fromJSON(needs.validate.outputs.matrix) }}' });
    expect(p.env).toMatchObject({ STACKS: '${{ matrix.stacks }}', BASES: '${{ needs.validate.outputs.bases }}', IDENTITY: 'plan' });
    expect(runs(p)).toMatch(/bash \.github\/scripts\/plan-stacks\.sh/);
    expect(runs(p)).toMatch(/cat "reviews\/\$JOB_INDEX\.md" >> "\$GITHUB_STEP_SUMMARY"/);
    expect(p.steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform'))?.with).toMatchObject({ terraform_wrapper: false });
  });

  test('plan-review is one stable check that passes only when every review passed (or nothing was to plan)', () => {
    const job = w.jobs['plan-review'];
    expect(job).toMatchObject({ name: 'plan-review', if: 'always()' });
    expect(needs(job)).toEqual(['validate', 'plan']);
    const s = job.steps[0];
    const dir = mkdtempSync(join(tmpdir(), 'plan-review-'));
    const run = (VALIDATE: string, PLAN: string, COUNT: string) => runScript(s.run!, { cwd: dir, stubDir: stubs(join(dir, 'bin'), {}), env: { VALIDATE, PLAN, COUNT } }).code;
    expect(run('success', 'success', '3')).toBe(0);
    expect(run('success', 'skipped', '0')).toBe(0);
    expect(run('success', 'failure', '3')).toBe(1);
    expect(run('success', 'cancelled', '3')).toBe(1);
    expect(run('success', 'skipped', '3')).toBe(1);
    expect(run('failure', 'skipped', '')).toBe(1);
    expect(s.env).toEqual({ VALIDATE: '${{ needs.validate.result }}', PLAN: '${{ needs.plan.result }}', COUNT: '${{ needs.validate.outputs.count }}' });
  });

  test('posts the plans and plan.md on the pull request', () => {
    const c = w.jobs.comment;
    expect(needs(c)).toEqual(['validate', 'plan']);
    expect(c.permissions).toMatchObject({ 'pull-requests': 'write' });
    expect(runs(c)).toMatch(/cat staged\/plan\.md/);
    expect(c.steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'))?.with).toMatchObject({ path: 'comment.md' });
  });
});

describe('plan-stacks.sh: the one plan-and-review script of pull requests, deploys and drift checks', () => {
  const text = scriptTexts.get('plan-stacks.sh')!;

  test('saved plan, terraform show -json of it, predicted change, fleet review --expect with Markdown', () => {
    expect(text).toMatch(/terraform -chdir="\$dir" plan -input=false -lock-timeout="\$lock_timeout" -out=plan/);
    expect(text).toMatch(/terraform -chdir="\$dir" show -json plan > "plans\/\$s\.plan\.json"/);
    expect(text).toMatch(/npx fleet predict --base "\$base_out" --head cdktf\.out --out plans\/predicted\.json/);
    expect(text).toMatch(/npx fleet review "\$\{plan_files\[@\]\}" --expect plans\/predicted\.json --md "\$review_md"/);
    expect(text).toMatch(/-detailed-exitcode -out=plan/);
  });

  test('as the plan identity, provider and backend assume the stack output, and a stack without one is refused', () => {
    expect(text).toMatch(/\.output\["plan-role-arn"\]\.value/);
    expect(text).toMatch(/\.output\["plan-service-account"\]\.value/);
    expect(text).toMatch(/plan_identity_override\.tf\.json/);
    expect(text).toMatch(/refusing to plan it with other credentials"\n\s+exit 1/);
  });
});

describe('deploy.yml', () => {
  const w = workflow('deploy.yml');

  test('runs on merges to main, and a manual run deploys only the stacks it names', () => {
    expect(w.on.push.branches).toEqual(['main']);
    expect(w.on.workflow_dispatch.inputs).toEqual({ stacks: expect.objectContaining({ required: true, type: 'string' }) });
    const affected = step('deploy.yml', 'affected', 'affected').run!;
    expect(affected).toMatch(/npx fleet affected --since-deployed --json > since\.json/);
    expect(affected).not.toMatch(/github\.event\.before|--base "\$BEFORE"/);
  });

  test('no workflow-level group that could drop a queued run; each stack queues its own deploys and is never cancelled', () => {
    expect(w.concurrency).toBeUndefined();
    for (const job of ['deploy-nonprod', 'deploy-prod']) {
      expect(w.jobs[job].concurrency).toEqual({ group: 'deploy-${{ matrix.name }}', 'cancel-in-progress': false });
    }
  });

  test('deploys in the approval-gated environment of each class, non-prod before prod: plan, review, then apply exactly the saved plan', () => {
    for (const [job, output] of [['deploy-nonprod', 'nonprod'], ['deploy-prod', 'prod']] as const) {
      const j = w.jobs[job];
      expect(j.environment).toBe('${{ matrix.environment }}');
      expect(j.strategy).toMatchObject({ 'fail-fast': false, matrix: `\${{ fromJSON(needs.affected.outputs.${output}) }}` });
      expect(j.env).toMatchObject({ STACKS: '${{ matrix.stacks }}', BASES: '${{ needs.affected.outputs.bases }}', IDENTITY: 'deploy' });
      const names = j.steps.map((s) => s.run ?? '');
      const plan = names.findIndex((r) => r.includes('bash .github/scripts/plan-stacks.sh'));
      const apply = names.findIndex((r) => r.includes('bash .github/scripts/apply-stacks.sh'));
      expect(plan).toBeGreaterThan(0);
      expect(apply).toBeGreaterThan(plan);
      expect(names[plan]).toMatch(/cat "\$REVIEW_MD" >> "\$GITHUB_STEP_SUMMARY"/);
      expect(runs(j)).not.toMatch(/cdktf deploy|auto-approve/);
      expect(j.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))).toMatchObject({ if: 'always()', with: { name: `deployed-${output}-\${{ strategy.job-index }}` } });
    }
    expect(scriptTexts.get('apply-stacks.sh')).toMatch(/terraform -chdir="cdktf\.out\/stacks\/\$s" apply -input=false -lock-timeout="\$lock_timeout" plan;/);
    expect(needs(w.jobs['deploy-prod'])).toEqual(['affected', 'deploy-nonprod']);
    expect(w.jobs['deploy-prod'].if).toMatch(/needs\.deploy-nonprod\.result == 'success' \|\| needs\.deploy-nonprod\.result == 'skipped'/);
  });

  test('record marks the stacks really applied, with the commit deployed, through the retrying writer, in no concurrency group', () => {
    const r = w.jobs.record;
    expect(needs(r)).toEqual(['affected', 'deploy-nonprod', 'deploy-prod']);
    expect(r.if).toBe("always() && needs.affected.result == 'success'");
    expect(r.concurrency).toBeUndefined();
    expect(r.permissions).toEqual({ contents: 'write' });
    const mark = step('deploy.yml', 'record', 'fleet rollout mark');
    expect(mark.env).toEqual({ DEPLOYED_COMMIT: '${{ github.sha }}' });
    expect(mark.run).toMatch(/if \[ -z "\$stacks" \]; then[\s\S]*exit 0/);
    expect(mark.run).toMatch(/bash \.github\/scripts\/commit-to-main\.sh [^\n]* 0 -- \\\n\s+npx fleet rollout mark --deployed --stacks "\$stacks" --commit "\$DEPLOYED_COMMIT"/);
    expect(step('deploy.yml', 'record', 'A failed deploy fails the run').if).toBe("contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')");
  });
});

describe('rollout.yml', () => {
  const w = workflow('rollout.yml');

  test("a schedule re-plans and opens the next wave's pull request", () => {
    expect(w.on.schedule).toEqual([{ cron: expect.stringMatching(/^[\d*,/ -]+$/) }]);
    const job = w.jobs['next-wave'];
    const script = runs(job);
    expect(script).toMatch(/npx fleet upgrades plan --json --out plan\/upgrade-plan\.json/);
    expect(script).toMatch(/npx fleet rollout apply "\$\{args\[@\]\}"/);
    const pr = job.steps.find((s) => s.uses?.startsWith('peter-evans/create-pull-request'))!;
    expect(pr.if).toBe("steps.apply.outputs.changed == 'true'");
    expect(pr.with).toMatchObject({ token: '${{ secrets.ROLLOUT_PR_TOKEN }}', 'add-paths': 'customers/*.json\nrollout/state.json\n' });
  });

  test('the gate shares no concurrency group with anything (a pending gate run is never cancelled) and commits through the retrying writer', () => {
    expect(w.on.repository_dispatch).toEqual({ types: ['rollout-metrics'] });
    expect(w.concurrency).toBeUndefined();
    expect(w.jobs.gate.concurrency).toBeUndefined();
    expect(w.jobs['next-wave'].concurrency?.group).toBe('rollout-next-wave');
    const gate = step('rollout.yml', 'gate', 'gate');
    expect(gate.run).toMatch(/bash \.github\/scripts\/commit-to-main\.sh "[^"]+" "0 2" -- \\\n\s+npx fleet rollout gate --wave "\$WAVE" --metrics metrics\.json/);
    expect(w.jobs.gate.env).toMatchObject({ METRICS: '${{ toJSON(github.event.client_payload.metrics) }}' });
  });
});

describe('drift.yml', () => {
  const w = workflow('drift.yml');

  test('a schedule plans every stack as the plan identity with -detailed-exitcode, reviewed against no change, into one issue', () => {
    expect(w.on.schedule).toEqual([{ cron: expect.stringMatching(/^[\d*,/ -]+$/) }]);
    expect(step('drift.yml', 'stacks', 'stacks').run).toMatch(/npx fleet affected --all --json > all\.json[\s\S]*git rev-parse HEAD/);
    const d = w.jobs.drift;
    expect(d.env).toMatchObject({ IDENTITY: 'plan', DETAILED_EXITCODE: '1', BASES: '${{ needs.stacks.outputs.bases }}' });
    expect(runs(d)).toMatch(/bash \.github\/scripts\/plan-stacks\.sh/);
    const report = w.jobs.report;
    expect(needs(report)).toEqual(['stacks', 'drift']);
    expect(report.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(step('drift.yml', 'report', 'The drift issue').run!.trim()).toBe('bash .github/scripts/drift-report.sh');
    expect(runs(w.jobs.stacks)).toMatch(/bash \.github\/scripts\/stale-rollouts\.sh > stale\/stale\.md/);
  });
});
