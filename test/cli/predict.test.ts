/**
 * `fleet predict`: the resource changes between two synthesized fleets, in the staged-plan shape
 * `fleet review --expect` reads; a stack missing from the base is created whole.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/fleet';
import { readExpectations } from '../../upgrades/review/expected';
import { CUSTOMERS_DIR } from '../support/specs';

async function fleet(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fleet predict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'predict-'));
  cpSync(CUSTOMERS_DIR, join(dir, 'customers'), { recursive: true });

  test('a sizing change is one update of the right attribute; a stack the base lacks is created whole', async () => {
    expect((await fleet(dir, 'synth', '--stack', 'acme-retail-staging', '--out', 'base', '--at', '2026-11-27')).code).toBe(0);
    const file = join(dir, 'customers', 'acme-retail-staging.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"maxSize": 2', '"maxSize": 9'));
    expect((await fleet(dir, 'synth', '--stack', 'acme-retail-staging', '--stack', 'globex-games-dev', '--out', 'head', '--at', '2026-11-27')).code).toBe(0);
    const r = await fleet(dir, 'predict', '--base', 'base', '--head', 'head', '--out', 'predicted.json');
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^acme-retail-staging: 1 to update\nglobex-games-dev: \d+ to create\n/) });
    const read = readExpectations(join(dir, 'predicted.json'));
    if (!read.ok) throw new Error(read.problem);
    expect(read.expectations.get('acme-retail-staging')![0].changeSet.changes).toEqual([
      expect.objectContaining({ type: 'aws_autoscaling_group', action: 'update', paths: ['max_size'] }),
    ]);
    expect(read.expectations.get('globex-games-dev')![0].changeSet.changes.every((c) => c.action === 'create')).toBe(true);
  }, 120_000);

  test('a missing base or head folder, or a stack not synthesized, is a usage error and writes nothing', async () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    expect(await fleet(dir, 'predict', '--base', 'nowhere', '--head', 'head', '--out', 'x.json')).toMatchObject({ code: 1, err: expect.stringMatching(/nowhere does not exist/) });
    expect(await fleet(dir, 'predict', '--base', 'empty', '--head', 'empty', '--out', 'x.json')).toMatchObject({ code: 1, err: expect.stringMatching(/fleet synth --out empty/) });
    expect(await fleet(dir, 'predict', '--base', 'empty', '--head', 'head', '--out', 'x.json', '--stack', 'nordic-news-prod')).toMatchObject({ code: 1, err: expect.stringMatching(/no synthesized stack nordic-news-prod/) });
    expect(await fleet(dir, 'predict', '--head', 'head', '--out', 'x.json')).toMatchObject({ code: 1, err: expect.stringMatching(/--base is required/) });
    expect(() => readFileSync(join(dir, 'x.json'))).toThrow();
  }, 60_000);
});
