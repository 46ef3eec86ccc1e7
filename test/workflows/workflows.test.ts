/**
 * The GitHub workflows, checked for structure: the jobs exist and depend on each other as the
 * rollout needs, the plan and deploy matrices come from `fleet affected`, deploys run in
 * approval-gated environments, and every fleet command (and option) they call exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMMANDS } from '../../cli/fleet';
import { matrixOf } from '../../upgrades/rollout/affected';

const DIR = join(__dirname, '..', '..', '.github', 'workflows');

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly if?: string;
}

interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly strategy?: { readonly matrix?: unknown; readonly 'fail-fast'?: boolean };
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly jobs: Record<string, Job>;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(DIR, f), 'utf8')]));
const workflows = new Map(files.map((f) => [f, parse(texts.get(f)!) as Workflow]));

function workflow(file: string): Workflow {
  const w = workflows.get(file);
  if (!w) throw new Error(`.github/workflows/${file} is missing`);
  return w;
}

function needs(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function runs(job: Job): string {
  return job.steps.map((s) => s.run ?? '').join('\n');
}

function allSteps(): { file: string; job: string; step: Step }[] {
  return [...workflows].flatMap(([file, w]) => Object.entries(w.jobs).flatMap(([job, j]) => j.steps.map((step) => ({ file, job, step }))));
}

/** `npx fleet a b --x` / `node bin/fleet.js a b --x` in a script, with the options it passes (also through an args array). */
function fleetCalls(script: string): { words: string[]; options: string[] }[] {
  const arrayOptions = [...script.matchAll(/args\+?=\(([^)]*)\)/g)].flatMap((m) => m[1].match(/--[a-z][a-z-]*/g) ?? []);
  return [...script.matchAll(/(?:npx fleet|node bin\/fleet\.js)((?: [^|;>&\n]+)?)/g)].map((m) => {
    const tokens = m[1].trim().split(/\s+/).filter(Boolean);
    const words = tokens.slice(0, tokens.findIndex((t) => !/^[a-z][a-z-]*$/.test(t)) >>> 0);
    const options = tokens.filter((t) => t.startsWith('--')).map((t) => t.split('=')[0]);
    return { words, options: m[1].includes('"${args[@]}"') ? [...options, ...arrayOptions] : options };
  });
}

describe('every workflow', () => {
  test('the three workflows exist and parse', () => {
    expect(files).toEqual(['deploy.yml', 'pull-request.yml', 'rollout.yml']);
    for (const w of workflows.values()) {
      expect(typeof w.name).toBe('string');
      expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    }
  });

  test('each says in its header which secrets and credentials its jobs need', () => {
    const undocumented = [...texts].filter(([, text]) => !(text.startsWith('#') && /Secrets and credentials/.test(text.split('\nname:')[0])));
    expect(undocumented.map(([file]) => file)).toEqual([]);
  });

  test('every fleet command the workflows call exists, with the options they pass', () => {
    const calls = allSteps().flatMap(({ file, job, step }) => fleetCalls(step.run ?? '').map((c) => ({ where: `${file} ${job}`, ...c })));
    expect(calls.length).toBeGreaterThan(10);
    const byLength = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
    const commandOf = (words: string[]) => byLength.find((c) => c.name.split(' ').every((w, i) => words[i] === w));
    expect(calls.filter((c) => !commandOf(c.words)).map((c) => `${c.where}: fleet ${c.words.join(' ')}`)).toEqual([]);
    const unknownOptions = calls.flatMap((c) => {
      const command = commandOf(c.words)!;
      return c.options.filter((o) => !new RegExp(`${o}(?![\\w-])`).test(command.usage)).map((o) => `${c.where}: fleet ${command.name} ${o}`);
    });
    expect(unknownOptions).toEqual([]);
    const called = new Set(calls.map((c) => commandOf(c.words)!.name));
    expect([...called].sort()).toEqual(['affected', 'review', 'rollout apply', 'rollout gate', 'rollout mark', 'rollout status', 'synth', 'upgrades plan', 'upgrades stage', 'validate']);
  });

  test('no ${{ }} expression inside a run script: values reach scripts through env (no script injection)', () => {
    const injected = allSteps().filter(({ step }) => (step.run ?? '').includes('${{'));
    expect(injected.map(({ file, job, step }) => `${file} ${job}: ${step.name ?? step.run}`)).toEqual([]);
  });

  test('actions are pinned to a major version', () => {
    const unpinned = allSteps().filter(({ step }) => step.uses !== undefined && !/^[\w.-]+\/[\w.-]+@v\d+$/.test(step.uses));
    expect(unpinned.map(({ step }) => step.uses)).toEqual([]);
  });

  test('jobs that take cloud credentials may mint an OIDC token, and only those', () => {
    const wrong = [...workflows].flatMap(([file, w]) =>
      Object.entries(w.jobs).flatMap(([name, job]) => {
        const cloud = job.steps.some((s) => /configure-aws-credentials|google-github-actions\/auth/.test(s.uses ?? ''));
        return cloud === (job.permissions?.['id-token'] === 'write') ? [] : [`${file} ${name}`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  test('matrix fields the jobs read are the ones fleet affected writes', () => {
    const keys = Object.keys(matrixOf([{ stack: 'a-prod', file: '', environment: 'prod', cloud: 'aws' }])[0]).sort();
    expect(keys).toEqual(['cloud', 'environment', 'name', 'stacks']);
    for (const text of texts.values()) for (const m of text.matchAll(/(?<![.\w])matrix\.([a-z-]+)/g)) expect(keys).toContain(m[1]);
  });
});

describe('pull-request.yml', () => {
  const w = workflow('pull-request.yml');

  test('runs on pull requests touching customers/, constructs/, stacks/ or upgrades/', () => {
    expect(w.on.pull_request.paths).toEqual(expect.arrayContaining(['customers/**', 'constructs/**', 'stacks/**', 'upgrades/**']));
  });

  test('validates, synthesizes, computes the affected stacks and stages the plan into the summary', () => {
    const v = w.jobs.validate;
    const script = runs(v);
    expect(script).toMatch(/npx fleet validate/);
    expect(script).toMatch(/npx fleet synth/);
    expect(script).toMatch(/npx fleet upgrades stage --out staged/);
    expect(script).toMatch(/cat staged\/plan\.md >> "\$GITHUB_STEP_SUMMARY"/);
    expect(v.steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    const affected = v.steps.find((s) => s.id === 'affected')!;
    expect(affected.run).toMatch(/npx fleet affected --base "origin\/\$BASE_REF" --json > affected\.json/);
    expect(affected.run).toMatch(/echo "matrix=\$\(jq -c \.matrix affected\.json\)" >> "\$GITHUB_OUTPUT"/);
    expect(v.outputs).toEqual({ matrix: '${{ steps.affected.outputs.matrix }}', count: '${{ steps.affected.outputs.count }}' });
  });

  test('the diff job fans out over the affected matrix: cdktf diff, terraform show -json, fleet review', () => {
    const d = w.jobs.diff;
    expect(needs(d)).toEqual(['validate']);
    expect(d.if).toBe("needs.validate.outputs.count != '0'");
    expect(d.strategy).toMatchObject({ 'fail-fast': false, matrix: '${{ fromJSON(needs.validate.outputs.matrix) }}' });
    const script = runs(d);
    expect(script).toMatch(/npx cdktf diff "\$s" --skip-synth/);
    expect(script).toMatch(/terraform -chdir="cdktf\.out\/stacks\/\$s" show -json plan > "plans\/\$s\.plan\.json"/);
    expect(script).toMatch(/npx fleet review plans\/\*\.plan\.json --md/);
    expect(d.steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform'))?.with).toMatchObject({ terraform_wrapper: false });
  });

  test('posts the plans and plan.md on the pull request', () => {
    const c = w.jobs.comment;
    expect(needs(c)).toEqual(['validate', 'diff']);
    expect(c.permissions).toMatchObject({ 'pull-requests': 'write' });
    expect(runs(c)).toMatch(/cat staged\/plan\.md/);
    expect(c.steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'))?.with).toMatchObject({ path: 'comment.md' });
  });
});

describe('deploy.yml', () => {
  const w = workflow('deploy.yml');

  test('runs on merges to main and never cancels a deploy halfway', () => {
    expect(w.on.push.branches).toEqual(['main']);
    expect(w.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
  });

  test('deploys in the approval-gated environment of each customer environment class, non-prod before prod', () => {
    const nonprod = w.jobs['deploy-nonprod'];
    const prod = w.jobs['deploy-prod'];
    for (const [job, output] of [
      [nonprod, 'nonprod'],
      [prod, 'prod'],
    ] as const) {
      expect(job.environment).toBe('${{ matrix.environment }}');
      expect(job.strategy).toMatchObject({ 'fail-fast': false, matrix: `\${{ fromJSON(needs.affected.outputs.${output}) }}` });
      expect(runs(job)).toMatch(/npx cdktf deploy \$STACKS --skip-synth --auto-approve/);
    }
    expect(needs(prod)).toEqual(['affected', 'deploy-nonprod']);
    expect(prod.if).toMatch(/needs\.deploy-nonprod\.result == 'success' \|\| needs\.deploy-nonprod\.result == 'skipped'/);
    const affected = w.jobs.affected.steps.find((s) => s.id === 'affected')!.run!;
    expect(affected).toMatch(/npx fleet affected --base "\$BEFORE" --json/);
    expect(affected).toMatch(/select\(\.environment != "prod"\)/);
    // The environments the matrix can name are the GitHub environments the header documents.
    expect(texts.get('deploy.yml')).toMatch(/per GitHub environment \(dev, staging, prod/);
  });

  test('records the wave as deployed only after every deploy succeeded, one state writer at a time', () => {
    const r = w.jobs.record;
    expect(needs(r)).toEqual(['affected', 'deploy-nonprod', 'deploy-prod']);
    expect(r.if).toMatch(/!contains\(needs\.\*\.result, 'failure'\)/);
    expect(r.concurrency).toEqual({ group: 'rollout-state', 'cancel-in-progress': false });
    expect(r.permissions).toEqual({ contents: 'write' });
    expect(runs(r)).toMatch(/npx fleet rollout mark --wave in-progress --deployed "\$\{args\[@\]\}"/);
  });
});

describe('rollout.yml', () => {
  const w = workflow('rollout.yml');

  test('a schedule re-plans and opens the next wave\'s pull request', () => {
    expect(w.on.schedule).toEqual([{ cron: expect.stringMatching(/^[\d*,/ -]+$/) }]);
    const job = w.jobs['next-wave'];
    const script = runs(job);
    expect(script).toMatch(/npx fleet upgrades plan --json --out plan\/upgrade-plan\.json/);
    expect(script).toMatch(/npx fleet rollout apply "\$\{args\[@\]\}"/);
    expect(script).toMatch(/if \[ "\$code" -eq 2 \]; then echo "changed=false"/);
    const pr = job.steps.find((s) => s.uses?.startsWith('peter-evans/create-pull-request'))!;
    expect(pr.if).toBe("steps.apply.outputs.changed == 'true'");
    expect(pr.with).toMatchObject({ token: '${{ secrets.ROLLOUT_PR_TOKEN }}', 'add-paths': 'customers/*.json\nrollout/state.json\n' });
  });

  test('metrics sent by the monitoring side are judged by the gate, and the verdict committed', () => {
    expect(w.on.repository_dispatch).toEqual({ types: ['rollout-metrics'] });
    const gate = w.jobs.gate;
    expect(gate.if).toBe("github.event_name == 'repository_dispatch'");
    expect(runs(gate)).toMatch(/npx fleet rollout gate --wave "\$WAVE" --metrics metrics\.json/);
    expect(gate.env).toMatchObject({ METRICS: '${{ toJSON(github.event.client_payload.metrics) }}' });
    expect(w.concurrency).toEqual({ group: 'rollout-state', 'cancel-in-progress': false });
  });
});
