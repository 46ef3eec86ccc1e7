/** Which stacks a change touches, and the CI matrix over them. */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { affectedStacks, matrixOf, type StackRef } from '../../../upgrades/rollout/affected';
import { scratch } from './scratch';

const FLEET: StackRef[] = [
  { stack: 'acme-retail-prod', file: 'customers/acme-retail-prod.json', environment: 'prod', cloud: 'aws' },
  { stack: 'acme-retail-staging', file: 'customers/acme-retail-staging.json', environment: 'staging', cloud: 'aws' },
  { stack: 'helios-media-prod', file: 'customers/helios-media-prod.json', environment: 'prod', cloud: 'gcp' },
];

describe('affectedStacks', () => {
  test('a customer file touches its own stack only; upgrades/ and docs touch none', () => {
    const a = affectedStacks(['customers/acme-retail-staging.json', 'upgrades/policy.json', 'README.md', 'customers/customer.schema.json'], FLEET, 'customers');
    expect(a).toEqual({
      all: false,
      allReasons: [],
      stacks: [{ ...FLEET[1], because: 'customers/acme-retail-staging.json changed' }],
      removed: [],
    });
  });

  test.each([['constructs/aws/streams.ts'], ['stacks/pipeline-stack.ts'], ['customers/schema.ts'], ['package-lock.json'], ['cdktf.json']])('%s touches every stack', (path) => {
    const a = affectedStacks([path, 'customers/acme-retail-prod.json'], FLEET, 'customers');
    expect(a.all).toBe(true);
    expect(a.stacks.map((s) => [s.stack, s.because])).toEqual([
      ['acme-retail-prod', 'customers/acme-retail-prod.json changed'],
      ['acme-retail-staging', expect.stringMatching(new RegExp(`^${path.replace('.', '\\.')}: `))],
      ['helios-media-prod', expect.stringMatching(new RegExp(`^${path.replace('.', '\\.')}: `))],
    ]);
  });

  test('a deleted customer file is reported as removed, not planned', () => {
    expect(affectedStacks(['customers/old-customer-prod.json'], FLEET, 'customers')).toMatchObject({ stacks: [], removed: ['old-customer-prod'] });
  });
});

describe('matrixOf', () => {
  test('one job per stack while they fit', () => {
    expect(matrixOf(FLEET)).toEqual([
      { name: 'acme-retail-prod', environment: 'prod', cloud: 'aws', stacks: 'acme-retail-prod' },
      { name: 'acme-retail-staging', environment: 'staging', cloud: 'aws', stacks: 'acme-retail-staging' },
      { name: 'helios-media-prod', environment: 'prod', cloud: 'gcp', stacks: 'helios-media-prod' },
    ]);
  });

  test('a fleet larger than the job limit is batched, never mixing environment class or cloud', () => {
    const big: StackRef[] = Array.from({ length: 1000 }, (_, i) => ({
      stack: `c${String(i).padStart(4, '0')}-${i % 10 === 0 ? 'staging' : 'prod'}`,
      file: '',
      environment: i % 10 === 0 ? 'staging' : 'prod',
      cloud: i % 3 === 0 ? 'gcp' : 'aws',
    }));
    const m = matrixOf(big, 256);
    expect(m.length).toBeLessThanOrEqual(256);
    const all = m.flatMap((e) => e.stacks.split(' '));
    expect(all.sort()).toEqual(big.map((s) => s.stack).sort());
    for (const e of m) {
      for (const s of e.stacks.split(' ')) expect(big.find((b) => b.stack === s)).toMatchObject({ environment: e.environment, cloud: e.cloud });
    }
  });
});

describe('fleet affected', () => {
  test('reads git: a changed customer file gives its stack and a one-line JSON matrix', async () => {
    const { dir, run } = scratch();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    const file = join(dir, 'customers', 'acme-retail-staging.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"name": "Acme Retail"', '"name": "Acme Retail Ltd"'));
    rmSync(join(dir, 'customers', 'nordic-news-prod.json'));
    git('commit', '-qam', 'change');

    const r = await run('affected', '--base', 'HEAD~1', '--json', '--at', '2026-11-27');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      all: false,
      stacks: [{ stack: 'acme-retail-staging', environment: 'staging', cloud: 'aws', file: 'customers/acme-retail-staging.json' }],
      removed: ['nordic-news-prod'],
      matrix: { include: [{ name: 'acme-retail-staging', environment: 'staging', cloud: 'aws', stacks: 'acme-retail-staging' }] },
    });
    const every = JSON.parse((await run('affected', '--all', '--json', '--at', '2026-11-27')).out);
    expect(every.stacks.length).toBeGreaterThanOrEqual(5);
    expect(await run('affected', '--base', 'no-such-ref')).toMatchObject({ code: 1, err: expect.stringContaining('fetch-depth: 0') });
    expect(await run('affected')).toMatchObject({ code: 1, err: expect.stringContaining('give one of --base REF') });
  });
});
