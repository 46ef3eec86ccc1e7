import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/fleet';
import { applyPins } from '../../../upgrades/stage/apply-pins';
import { awsSpec, CUSTOMERS_DIR } from '../../support/specs';

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: join(__dirname, '..', '..', '..') });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** A customers folder holding only the named example files. */
function fleetOf(...files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'stage-fleet-'));
  for (const f of files) cpSync(join(CUSTOMERS_DIR, f), join(dir, f));
  return dir;
}

describe('applyPins', () => {
  test('moves a pin and leaves the original spec alone', () => {
    const spec = awsSpec('globex-games-dev.json');
    const after = applyPins(spec, [{ component: 'collector', from: '3.6.0', to: '3.7.0' }]);
    expect(after.components.collector.version).toBe('3.7.0');
    expect(spec.components.collector.version).toBe('3.6.0');
  });

  test('refuses a plan whose "from" is not the current pin', () => {
    expect(() => applyPins(awsSpec('globex-games-dev.json'), [{ component: 'collector', from: '3.5.0', to: '3.7.0' }])).toThrow(/pin is 3\.6\.0; re-plan/);
  });
});

describe('fleet upgrades stage', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'staged-')), 'staged');
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    first = await run(['upgrades', 'stage', '--out', out, '--at', '2026-11-27']);
  }, 120_000);

  test('writes plan.json, plan.md and each wave\'s target stacks', () => {
    expect(first.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(['plan.json', 'plan.md', 'wave-1']));
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(plan.waves.map((w: any) => w.number)).toEqual(plan.waves.map((_: unknown, i: number) => i + 1));
    for (const wave of plan.waves) {
      expect(wave.matrix).toEqual(wave.stacks.map((s: any) => s.stack));
      expect(readdirSync(join(out, `wave-${wave.number}`)).sort()).toEqual([...wave.matrix].sort());
    }
  });

  test('a version bump is an in-place update of the launch template that carries the new image', () => {
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const globex = plan.waves.flatMap((w: any) => w.stacks).find((s: any) => s.stack === 'globex-games-dev');
    expect(globex.pinChanges).toEqual([
      expect.objectContaining({ component: 'enrich', from: '6.5.0', to: '6.10.0' }),
      expect.objectContaining({ component: 'elasticsearch-loader', from: '2.0.1', to: '2.1.3' }),
    ]);
    const template = globex.changeSet.changes.find((c: any) => c.type === 'aws_launch_template');
    expect(template).toMatchObject({ action: 'update', paths: expect.arrayContaining(['user_data']) });
    expect(globex.changeSet.risks.filter((r: any) => r.level === 'blocking')).toEqual([]);
    const wave = plan.waves.find((w: any) => w.matrix.includes('globex-games-dev')).number;
    const target = readFileSync(join(out, `wave-${wave}`, 'globex-games-dev', 'cdk.tf.json'), 'utf8');
    expect(target).toContain('snowplow-enrich-kinesis:6.10.0');
    expect(target).not.toContain('snowplow-enrich-kinesis:6.5.0');
  });

  test('the same inputs give byte-identical plan.json and plan.md', async () => {
    const again = join(mkdtempSync(join(tmpdir(), 'staged-')), 'staged');
    expect((await run(['upgrades', 'stage', '--out', again, '--at', '2026-11-27'])).code).toBe(0);
    for (const f of ['plan.json', 'plan.md']) expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
  }, 120_000);

  test('needs --out, and writes nothing for invalid customers', async () => {
    expect((await run(['upgrades', 'stage', '--at', '2026-11-27'])).err).toMatch(/--out DIR is required/);
    const dir = fleetOf('globex-games-dev.json');
    cpSync(join(CUSTOMERS_DIR, 'globex-games-dev.json'), join(dir, 'wrong-name.json'));
    const target = join(mkdtempSync(join(tmpdir(), 'staged-')), 'staged');
    const r = await run(['upgrades', 'stage', '--customers', dir, '--out', target, '--at', '2026-11-27']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rename the file to globex-games-dev\.json/);
    expect(() => readdirSync(target)).toThrow();
    rmSync(dir, { recursive: true, force: true });
  });

  test('plan.md for a one-customer fleet (the whole report is the contract)', async () => {
    const dir = fleetOf('globex-games-dev.json');
    const target = join(mkdtempSync(join(tmpdir(), 'staged-')), 'staged');
    expect((await run(['upgrades', 'stage', '--customers', dir, '--out', target, '--at', '2026-11-27'])).code).toBe(0);
    expect(readFileSync(join(target, 'plan.md'), 'utf8')).toMatchSnapshot();
  }, 60_000);
});
