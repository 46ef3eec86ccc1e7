/**
 * Output folders through the built CLI: fleet replaces only folders it made (or new or empty
 * ones), never the working directory, a parent of it, or the input folders; on every run the
 * output is complete, old or new.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet, outputFiles, scratchRepo, tree } from './built-cli';

const AT = ['--at', '2026-11-27'];

describe('fleet never replaces a folder it did not make', () => {
  test('synth --out . and --out .. are refused and the checkout (.git included) is untouched', () => {
    const dir = scratchRepo();
    mkdirSync(join(dir, 'sub'));
    const before = tree(dir);
    const here = fleet(dir, ['synth', '--out', '.', ...AT]);
    expect(here).toMatchObject({ code: 1, out: '' });
    expect(here.err).toContain('fleet synth: --out . is the working directory or one of its parents');
    expect(here.err).toContain('nothing was written');
    const parent = fleet(join(dir, 'sub'), ['synth', '--customers', '../customers', '--out', '..', ...AT]);
    expect(parent.code).toBe(1);
    expect(parent.err).toContain('--out .. is the working directory or one of its parents');
    expect(tree(dir)).toEqual(before);
  });

  test('upgrades stage --out customers is refused: every customer file stays', () => {
    const dir = scratchRepo();
    const before = tree(dir);
    const r = fleet(dir, ['upgrades', 'stage', '--out', 'customers', ...AT]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('fleet upgrades stage: --out customers is, holds or sits inside customers (the customer files)');
    expect(tree(dir)).toEqual(before);
  });

  test('folders around or inside the inputs are refused too: upgrades (holds the catalog), customers/x, rollout', () => {
    const dir = scratchRepo();
    const before = tree(dir);
    expect(fleet(dir, ['synth', '--out', 'upgrades', ...AT]).err).toContain('upgrades/catalog (the release catalog)');
    expect(fleet(dir, ['synth', '--out', 'customers/out', ...AT]).err).toContain('(the customer files)');
    expect(fleet(dir, ['synth', '--out', 'rollout', ...AT]).err).toContain('(the rollout state)');
    expect(tree(dir)).toEqual(before);
  });

  test('a folder holding files fleet did not write, a file, or a foreign symlink is refused and left as it was', () => {
    const dir = scratchRepo();
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'mine\n');
    writeFileSync(join(dir, 'report.txt'), 'mine\n');
    symlinkSync('notes', join(dir, 'link'));
    const before = tree(dir);
    const r = fleet(dir, ['synth', '--out', 'notes', ...AT]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--out notes exists and holds files fleet did not write (no .fleet-output marker)');
    expect(fleet(dir, ['synth', '--out', 'report.txt', ...AT]).err).toContain('--out report.txt is a file, not a folder');
    expect(fleet(dir, ['synth', '--out', 'link', ...AT]).err).toContain('--out link is a symlink fleet did not make');
    expect(tree(dir)).toEqual(before);
  });

  test('a new folder (parents created), then the same folder again: replaced whole, byte-identical, one generation left', () => {
    const dir = scratchRepo();
    const first = fleet(dir, ['synth', '--out', 'build/out/cdktf', ...AT]);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out.split('\n')[0]).toBe('synthesized 6 stack(s) into build/out/cdktf: 4 aws, 2 gcp; 1 dev, 3 prod, 2 staging');
    const out = join(dir, 'build', 'out', 'cdktf');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    const files = outputFiles(out);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['.fleet-output', 'manifest.json', 'stacks/acme-retail-prod/cdk.tf.json']));
    const link = readlinkSync(out);

    expect(fleet(dir, ['synth', '--out', 'build/out/cdktf', ...AT]).code).toBe(0);
    expect(readlinkSync(out)).not.toBe(link);
    expect(outputFiles(out)).toEqual(files);
    expect(readdirSync(join(dir, 'build', 'out')).sort()).toEqual([readlinkSync(out), 'cdktf']);
  });

  test('an empty folder and a marked plain folder (as `cdktf synth` leaves) are taken over; other files in a marked one go', () => {
    const dir = scratchRepo();
    mkdirSync(join(dir, 'empty'));
    expect(fleet(dir, ['synth', '--out', 'empty', '--stack', 'globex-games-dev', ...AT]).code).toBe(0);
    expect(existsSync(join(dir, 'empty', 'stacks', 'globex-games-dev', 'cdk.tf.json'))).toBe(true);
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'gone'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', '.fleet-output'), 'fleet\n');
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'gone', 'cdk.tf.json'), '{}');
    expect(fleet(dir, ['synth', '--stack', 'globex-games-dev', ...AT]).code).toBe(0);
    expect(Object.keys(outputFiles(join(dir, 'cdktf.out'))).sort()).toEqual(['.fleet-output', 'manifest.json', 'stacks/globex-games-dev/cdk.tf.json']);
    expect(readFileSync(join(dir, 'cdktf.out', '.fleet-output'), 'utf8')).toMatch(/^Written by fleet/);
  });
});
