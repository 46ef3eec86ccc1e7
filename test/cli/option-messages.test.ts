/**
 * Messages for output paths and options that say what is wrong and how to fix it: an empty
 * --out, a path through a file, a symlink loop, a single-value option given twice, and --at dates
 * in the years 0000 to 0099 (real dates) or with day 00.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet, scratchRepo } from './built-cli';

const AT = ['--at', '2026-12-01'];

describe('output paths', () => {
  const dir = scratchRepo('fleet-messages-');
  writeFileSync(join(dir, 'file'), 'mine\n');
  symlinkSync('loop', join(dir, 'loop'));

  test.each([
    [['upgrades', 'plan', ...AT, '--out', ''], "fleet upgrades plan: --out was given an empty path; give a file path (or - for standard output); nothing was written.\n"],
    [['rollout', 'status', '--out', ''], 'fleet rollout status: --out was given an empty path; give a file path (or - for standard output); nothing was written.\n'],
    [['upgrades', 'plan', ...AT, '--md', ''], 'fleet upgrades plan: --md was given an empty path; give a file path (or - for standard output); nothing was written.\n'],
    [['upgrades', 'plan', ...AT, '--out', 'file/child'], expect.stringMatching(/^fleet upgrades plan: \S+\/file\/child: \S+\/file is a file, not a folder, so nothing can be written inside it; give a path whose folders are folders; nothing was written\.\n$/)],
    [['upgrades', 'plan', ...AT, '--out', 'file/a/b.txt'], expect.stringMatching(/: \S+\/file is a file, not a folder/)],
    [['upgrades', 'plan', ...AT, '--out', 'loop'], expect.stringMatching(/\/loop is a symlink that leads back to itself \(a loop\); point it at a file or remove the link; nothing was written\.\n$/)],
  ])('%j', (args, err) => {
    expect(fleet(dir, args)).toEqual({ code: 1, out: '', err });
  });
});

describe('options', () => {
  const dir = scratchRepo('fleet-messages-');

  test.each([
    [['upgrades', 'plan', '--at', '2026-12-01', '--at', '2026-12-02'], '--at was given more than once; give it once'],
    [['upgrades', 'plan', ...AT, '--out', 'a.txt', '--out', 'b.txt'], '--out was given more than once; give it once'],
    [['validate', '--customers', 'customers', '--customers', 'other'], '--customers was given more than once; give it once'],
  ])('%j is refused', (args, message) => {
    const r = fleet(dir, args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  test.each(['0001-01-01', '0099-12-31', '0004-02-29', '0000-01-01'])('--at %s is a real date', (at) => {
    const r = fleet(dir, ['upgrades', 'plan', '--at', at, '--json']);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(r.out).generatedFor).toBe(at);
  });

  test.each([
    ['2026-01-00', 'days start at 01'],
    ['0099-02-29', 'that month has 28 days'],
    ['0050-04-31', 'that month has 30 days'],
    ['2026-13-01', 'months run 01 to 12'],
  ])('--at %s is refused: %s', (at, why) => {
    const r = fleet(dir, ['upgrades', 'plan', '--at', at]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--at expects a real date as YYYY-MM-DD, got "${at}" (${why})`);
  });
});
