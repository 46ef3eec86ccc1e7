/** `fleet review` through the CLI entry point: output and exit codes. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/fleet';
import type { ResourceChange } from '../../../upgrades/stage/types';
import { realPlan, save, withIdentity } from './plans';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const MIXED = join(FIXTURES, 'terraform', 'mixed.plan.json');

async function review(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['review', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fleet-review-'));
}

/** The real mixed plan with the identity a fleet stack's providers write (hand edit, see ./plans.ts). */
const STACK = 'acme-retail-prod';
function mixed(dir = tmp(), name = `${STACK}.plan.json`): string {
  return save(dir, name, withIdentity(realPlan('mixed'), 'acme-retail', 'prod'));
}

/** A staged plan.json predicting `changes` for `stack` in wave 1 (the shape `fleet upgrades stage` writes). */
function stagedPlan(dir: string, stack: string, changes: ResourceChange[], extraWaves: object[] = []): string {
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify({ generatedFor: '2026-11-27', waves: [{ number: 1, name: 'canary', matrix: [stack], stacks: [{ stack, changeSet: { stack, changes, risks: [] } }] }, ...extraWaves] }));
  return file;
}

const asPredicted: ResourceChange[] = [
  { address: 'terraform_data.added', type: 'terraform_data', action: 'create', paths: [] },
  { address: 'terraform_data.retired', type: 'terraform_data', action: 'delete', paths: [] },
  { address: 'terraform_data.settings', type: 'terraform_data', action: 'update', paths: ['input'] },
  { address: 'terraform_data.stream', type: 'terraform_data', action: 'replace', paths: ['triggers_replace.0'], replacePaths: ['triggers_replace.0'] },
];

describe('fleet review', () => {
  test('prints a summary table per stack; exit 0 when nothing protected is replaced or deleted', async () => {
    const r = await review([MIXED]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      'mixed  (mixed.plan.json; stack id from file name; terraform 1.11.4; format 1.2)',
      '  create 1 | update 1 | replace 1 | delete 1 | no-op 1 | read 0',
      '  ACTION   RESOURCE                 DETAILS',
      '  replace  terraform_data.stream    replace_because_cannot_update; forced by triggers_replace; destroy before create',
      '  delete   terraform_data.retired   delete_because_no_resource_config',
      '  update   terraform_data.settings  input; known after apply: output',
      '  create   terraform_data.added',
      '',
      '1 plan(s) reviewed: no protected resource replaced or deleted',
    ]);
  });

  test('exit 2 when a real plan replaces or deletes a protected (data-holding) resource', async () => {
    const dir = tmp();
    // The mixed plan with its replaced and deleted resources made a Kinesis stream and a Pub/Sub topic.
    const text = readFileSync(MIXED, 'utf8')
      .replace(/terraform_data\.stream/g, 'aws_kinesis_stream.raw')
      .replace(/terraform_data\.retired/g, 'google_pubsub_topic.bad');
    const plan = JSON.parse(text);
    for (const rc of plan.resource_changes) rc.type = rc.address.split('.')[0];
    writeFileSync(join(dir, 'acme-retail-prod.plan.json'), JSON.stringify(plan));
    const r = await review(['acme-retail-prod.plan.json'], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('  PROTECTED: aws_kinesis_stream.raw: replaces a Kinesis stream (forced by triggers_replace): records that not every consumer has read yet are lost');
    expect(r.out).toContain('  PROTECTED: google_pubsub_topic.bad: deletes a Pub/Sub topic: retained messages are lost and its subscriptions are detached from it');
    expect(r.out.split('\n').at(-1)).toBe('1 plan(s) reviewed: 1 need attention (acme-retail-prod)');
  });

  test('--expect: exit 0 when every real change was predicted', async () => {
    const dir = tmp();
    const r = await review([mixed(), '--expect', stagedPlan(dir, STACK, asPredicted)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('compared with plan.json wave 1');
    expect(r.out.split('\n').at(-1)).toBe('1 plan(s) reviewed: no protected resource replaced or deleted, nothing the stage did not predict');
  });

  test('--expect: exit 2 for a change the stage did not predict, or a replace where it predicted an update', async () => {
    const dir = tmp();
    const predicted = asPredicted.filter((c) => c.action !== 'delete').map((c) => (c.action === 'replace' ? { ...c, action: 'update' as const, uncertain: 'replacement not predicted: terraform_data is not in the force-new table' } : c));
    const r = await review([mixed(), '--expect', stagedPlan(dir, STACK, predicted)]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('  UNEXPECTED: terraform_data.retired: the plan deletes it; the stage predicted no change');
    expect(r.out).toContain(
      '  UNEXPECTED: terraform_data.stream: the plan replaces it; the stage predicted update (uncertain: replacement not predicted: terraform_data is not in the force-new table)',
    );
  });

  test('--expect: milder than predicted, or predicted but not planned, are notes (exit 0)', async () => {
    const dir = tmp();
    const predicted: ResourceChange[] = [
      { ...asPredicted[0] },
      { ...asPredicted[1] },
      { ...asPredicted[2], action: 'replace', replacePaths: ['input'] },
      { ...asPredicted[3] },
      { address: 'terraform_data.unchanged', type: 'terraform_data', action: 'update', paths: ['input'] },
    ];
    const r = await review([mixed(), '--expect', stagedPlan(dir, STACK, predicted)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  note: terraform_data.settings: the plan updates it; the stage predicted replace');
    expect(r.out).toContain('  note: terraform_data.unchanged: the stage predicted update; the plan does not change it');
  });

  test('--expect: a stack the staged plan does not stage has nothing predicted (exit 2); --wave picks the wave', async () => {
    const dir = tmp();
    const expect1 = stagedPlan(dir, 'other-stack', asPredicted);
    const missing = await review([mixed(), '--expect', expect1]);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain(`  UNEXPECTED: terraform_data.added: the plan creates it; plan.json stages no change for ${STACK}`);

    const twoWaves = stagedPlan(dir, STACK, [], [{ number: 2, stacks: [{ stack: STACK, changeSet: { stack: STACK, changes: asPredicted, risks: [] } }] }]);
    expect((await review([mixed(), '--expect', twoWaves])).code).toBe(2); // wave 1 predicts nothing
    const wave2 = await review([mixed(), '--expect', twoWaves, '--wave', '2']);
    expect(wave2.code).toBe(0);
    expect(wave2.out).toContain('compared with plan.json wave 2');
  });

  test('a generic file name takes the stack from the plan; a plan with no identity is reviewed under its name, but not compared (exit 1)', async () => {
    const dir = tmp();
    mixed(dir, 'plan.json');
    const named = await review(['plan.json', '--expect', stagedPlan(tmp(), STACK, asPredicted)], dir);
    expect(named.code).toBe(0);
    expect(named.out).toMatch(/^acme-retail-prod {2}\(plan\.json; stack id from provider session name, provider tags;/);
    copyFileSync(MIXED, join(dir, 'bare.plan.json'));
    const unnamed = await review(['bare.plan.json', '--stack', STACK, '--expect', stagedPlan(tmp(), STACK, asPredicted)], dir);
    expect(unnamed.code).toBe(1);
    expect(unnamed.err).toMatch(/^fleet review: bare\.plan\.json: the plan names no stack .*, so it cannot be compared with the staged plan/);
  });

  test('exit 1 on input that is not plan JSON: names the file, the problem and how to produce plan JSON; other files are still reviewed', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'garbage.plan.json'), 'Error: No configuration files');
    const r = await review(['garbage.plan.json', join(FIXTURES, 'terraform', 'not-a-plan.state.json'), MIXED], dir);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      expect.stringMatching(/^fleet review: garbage\.plan\.json: it is not JSON \(.*\); produce it with: terraform plan -out=PLANFILE && terraform show -json PLANFILE > FILE/),
      expect.stringMatching(/not-a-plan\.state\.json: it is state JSON \(`terraform show -json` without a plan file\).*; produce it with: terraform plan -out=PLANFILE/),
    ]);
    expect(r.out).toContain('mixed  (mixed.plan.json;');
    expect(r.out.split('\n').at(-1)).toBe('2 file(s) could not be reviewed (errors on stderr): the review is incomplete');
  });

  test('usage errors: no file, --stack with several files, --wave without --expect, a staged plan that is not one', async () => {
    expect((await review([])).err).toMatch(/^fleet review: give at least one plan JSON file/);
    expect((await review([MIXED, MIXED, '--stack', 'x'])).code).toBe(1);
    expect((await review([MIXED, '--wave', '1'])).err).toMatch(/--wave chooses a wave of the staged plan given with --expect/);
    const dir = tmp();
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ waves: [{ number: 1 }] }));
    const bad = await review([MIXED, '--expect', join(dir, 'plan.json')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/plan\.json: it is not a staged plan \(waves\[0\]\.stacks: .*\); `fleet upgrades stage --out DIR` writes one to DIR\/plan\.json$/);
  });

  test('two plans of the same stack are refused', async () => {
    const dir = tmp();
    copyFileSync(MIXED, join(dir, 'mixed.json'));
    const r = await review([MIXED, join(dir, 'mixed.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/mixed\.json: it is a second plan of stack mixed \(mixed\.plan\.json is the first\)/);
  });

  test('--md writes the summary as Markdown for a pull-request comment', async () => {
    const dir = tmp();
    save(dir, 'globex-games-dev.plan.json', withIdentity(realPlan('no-changes'), 'globex-games', 'dev'));
    const r = await review([mixed(dir), 'globex-games-dev.plan.json', '--expect', stagedPlan(dir, STACK, asPredicted.slice(1)), '--md', 'review.md'], dir);
    expect(r.code).toBe(2);
    expect(r.out.split('\n').at(-1)).toBe('wrote review.md'); // relative to where it runs
    expect(readFileSync(join(dir, 'review.md'), 'utf8')).toBe(
      [
        '## Terraform plan review',
        '',
        '⛔ **1 of 2 plan(s) need attention:** `acme-retail-prod`.',
        '',
        '### `acme-retail-prod` ⛔',
        '',
        'acme-retail-prod.plan.json; stack id from provider session name, provider tags; terraform 1.11.4; format 1.2; compared with plan.json wave 1',
        '',
        '| create | update | replace | delete | no-op | read |',
        '|---:|---:|---:|---:|---:|---:|',
        '| 1 | 1 | 1 | 1 | 1 | 0 |',
        '',
        '- ❗ **unexpected** `terraform_data.added`: the plan creates it; the stage predicted no change',
        '- ℹ️ `terraform_data.settings`: known only after apply and not predicted: output',
        '',
        '<details><summary>4 resource(s) in the plan</summary>',
        '',
        '| Action | Resource | Details |',
        '|---|---|---|',
        '| replace | `terraform_data.stream` | replace_because_cannot_update; forced by triggers_replace; destroy before create |',
        '| delete | `terraform_data.retired` | delete_because_no_resource_config |',
        '| update | `terraform_data.settings` | input; known after apply: output |',
        '| create | `terraform_data.added` | |',
        '',
        '</details>',
        '',
        '### `globex-games-dev` ✅',
        '',
        'globex-games-dev.plan.json; stack id from provider session name, provider tags; terraform 1.11.4; format 1.2; compared with plan.json',
        '',
        '| create | update | replace | delete | no-op | read |',
        '|---:|---:|---:|---:|---:|---:|',
        '| 0 | 0 | 0 | 0 | 2 | 0 |',
        '',
      ].join('\n'),
    );
  });
});
