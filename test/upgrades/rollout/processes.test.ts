/**
 * The rollout as separate processes, the way CI and people run it: the compiled CLI
 * (bin/fleet.js; `npm test` builds it first) killed at every rename of `rollout apply`, and
 * gate, mark and apply started at the same time.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseState } from '../../../upgrades/rollout/state';
import { pinOf, planJson, ROOT, type WaveSpec } from './fixtures';
import { metricsText } from './healthy';
import { scratch } from './scratch';

const CLI = join(ROOT, 'bin', 'fleet.js');
const STRACE = '/usr/bin/strace';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'fleet.js'))) throw new Error('the compiled CLI is missing: run `npm run build` (npm test does it first)');
});

/** Every file under customers/ and rollout/, dotfiles and the lock included: what a crash may leave. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of ['customers', 'rollout']) {
    const base = join(dir, sub);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const path = join(base, name);
      out[`${sub}/${name}`] = statSync(path).isDirectory() ? '<dir>' : readFileSync(path, 'utf8');
    }
  }
  return out;
}

/** Three customer files and the state: a wave whose apply renames five files (journal included). */
const WIDE: readonly WaveSpec[] = [
  {
    name: 'canary',
    members: [
      { stack: 'acme-retail-staging', components: ['collector', 'enrich'] },
      { stack: 'globex-games-dev', components: ['collector'] },
      { stack: 'helios-media-staging', components: ['enrich'] },
    ],
  },
  { name: 'prod', members: [{ stack: 'acme-retail-prod', components: ['enrich'] }] },
];

function setup(waves: readonly WaveSpec[]): string {
  const { dir } = scratch();
  mkdirSync(join(dir, 'plan'));
  writeFileSync(join(dir, 'plan', 'upgrade-plan.json'), planJson(waves, join(dir, 'customers')));
  return dir;
}

function fleet(dir: string, args: string[], prefix: string[] = []): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const [cmd, ...rest] = prefix.length > 0 ? [...prefix, process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const r = spawnSync(cmd, rest, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const APPLY = ['rollout', 'apply', '--wave', 'next', '--at', '2026-11-27'];

describe('rollout apply killed at every rename', () => {
  test('leaves either nothing changed or a journal, and the next run ends exactly where an uninterrupted one does', () => {
    // The uninterrupted run, traced: how many renames it makes, and what it leaves.
    const reference = setup(WIDE);
    const log = join(reference, 'strace.log');
    const clean = fleet(reference, APPLY, [STRACE, '-f', '-qq', '-e', 'trace=rename,renameat,renameat2', '-o', log]);
    expect(clean).toMatchObject({ status: 0, stderr: '' });
    const renames = readFileSync(log, 'utf8').split('\n').filter((l) => /rename(at2?)?\(/.test(l) && !/resumed>/.test(l)).length;
    expect(renames).toBe(5); // journal, three customer files, state
    const expected = tree(reference);
    expect(Object.keys(expected).filter((f) => f.startsWith('rollout/'))).toEqual(['rollout/state.json']);

    const outcomes: string[] = [];
    for (let n = 1; n <= renames; n++) {
      const dir = setup(WIDE);
      const before = tree(dir);
      const killed = fleet(dir, APPLY, [STRACE, '-f', '-qq', '-o', '/dev/null', '-e', 'trace=rename,renameat,renameat2', '-e', `inject=rename,renameat,renameat2:signal=KILL:when=${n}`]);
      expect(killed.signal ?? killed.status).not.toBe(0);
      const after = tree(dir);
      const journal = existsSync(join(dir, 'rollout', '.state.json.journal'));
      // No half state without a journal: the customer files and the state are as before, or the journal says what to finish.
      const changed = Object.keys({ ...before, ...after }).filter((f) => !f.startsWith('rollout/.') && f !== 'rollout/state.json.lock' && before[f] !== after[f] && !/\.json\.\d+$/.test(f));
      if (!journal) expect(changed).toEqual([]);
      outcomes.push(`kill at rename ${n}: ${journal ? `journal, ${changed.length} file(s) already written` : 'nothing written'}`);

      // The killed process could not release its lock; the next one takes it over once stale
      // (10 s). Waiting that out once is enough to show it; the other runs remove it, as time would.
      if (n !== renames) rmSync(join(dir, 'rollout', 'state.json.lock'), { recursive: true, force: true });
      // The same command again (wave 1, as CI retries it): it completes the journal, then finds the wave applied.
      const next = fleet(dir, ['rollout', 'apply', '--wave', '1', '--at', '2026-11-27']);
      expect({ n, status: next.status, stderr: next.stderr }).toEqual({ n, status: 0, stderr: '' });
      if (journal) expect(next.stdout).toMatch(/^note: completed an interrupted `fleet rollout apply --wave 1`/);
      expect(tree(dir)).toEqual(expected);
    }
    // Kill points before the journal change nothing; from the journal on, the next run completes the write.
    expect(outcomes[0]).toBe('kill at rename 1: nothing written');
    expect(outcomes.slice(1).every((o) => o.includes('journal'))).toBe(true);
  }, 180_000);
});

describe('gate, mark and apply at the same time', () => {
  test('every verdict is recorded, and the wave is pending or applied with its pins, never between', async () => {
    const dir = setup(WIDE);
    const run = (args: string[]) => fleet(dir, args);
    expect(run(APPLY).status).toBe(0);
    expect(run(['rollout', 'mark', '--deployed', '--stacks', 'acme-retail-staging globex-games-dev helios-media-staging', '--at', '2026-11-27']).status).toBe(0);
    const members = WIDE[0].members.map((m) => m.stack);
    const gates = 5;
    for (let i = 0; i < gates; i++) {
      // Healthy windows from the deploy; the ones that reach 11-30 cover the 3-day bake.
      writeFileSync(join(dir, `m${i}.json`), metricsText(members, '2026-11-27T00:00:00Z', `2026-11-${String(28 + (i % 3)).padStart(2, '0')}T0${i}:00:00Z`));
    }
    const prodFile = join(dir, 'customers', 'acme-retail-prod.json');
    const prodBefore = readFileSync(prodFile, 'utf8');

    const started = [
      ...Array.from({ length: gates }, (_, i) => ['rollout', 'gate', '--wave', '1', '--metrics', `m${i}.json`, '--at', '2026-12-01']),
      ['rollout', 'apply', '--wave', '2', '--at', '2026-12-01'],
      ['rollout', 'apply', '--wave', '2', '--at', '2026-12-01'],
      ['rollout', 'mark', '--deployed', '--stacks', 'acme-retail-staging', '--commit', 'd'.repeat(40), '--at', '2026-12-01'],
    ].map(
      (args) =>
        new Promise<{ args: string[]; code: number | null; err: string }>((done) => {
          const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
          let err = '';
          child.stderr.on('data', (d) => (err += d));
          child.on('close', (code) => done({ args, code, err }));
        }),
    );
    const results = await Promise.all(started);
    const gateCodes = results.filter((r) => r.args[1] === 'gate').map((r) => r.code);
    expect(gateCodes).toEqual(Array(gates).fill(0));
    expect(results.filter((r) => r.args[1] === 'mark').map((r) => r.code)).toEqual([0]);
    const applyCodes = results.filter((r) => r.args[1] === 'apply').map((r) => r.code);
    for (const code of applyCodes) expect([0, 2]).toContain(code);

    const { state } = parseState('state.json', readFileSync(join(dir, 'rollout', 'state.json'), 'utf8'));
    expect(state!.waves['1'].gates).toHaveLength(gates);
    const wave2 = state!.waves['2'];
    const prodNow = readFileSync(prodFile, 'utf8');
    if (wave2.status === 'in-progress') {
      expect(pinOf(prodNow, 'enrich')).toBe(wave2.changes[0].to);
      expect(applyCodes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(1);
    } else {
      expect(wave2.status).toBe('pending');
      expect(prodNow).toBe(prodBefore);
    }
    expect(JSON.parse(readFileSync(join(dir, 'rollout', 'deployments.json'), 'utf8')).stacks['acme-retail-staging'].commit).toBe('d'.repeat(40));
    expect(readdirSync(join(dir, 'rollout')).sort()).toEqual(['deployments.json', 'state.json']);
    expect(execFileSync('ls', ['-a', join(dir, 'customers')], { encoding: 'utf8' })).not.toMatch(/\.json\.\d+/);
  }, 180_000);
});
