/**
 * --out FILE and --md FILE replace an existing file only when it is fleet's own output of the
 * same kind (or with --force): `--out package.json` is refused and the file is untouched, while a
 * re-run over its own previous output, as CI and `fleet main` do, succeeds.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet, ROOT, scratchRepo } from './built-cli';

const AT = ['--at', '2026-12-01'];
const plan = (...args: string[]) => ['upgrades', 'plan', ...AT, ...args];
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

/** A scratch checkout that is a real git repository (`fleet affected` asks git for its root). */
function gitRepo(): string {
  const dir = scratchRepo('fleet-own-');
  rmSync(join(dir, '.git'), { recursive: true });
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

describe('an existing file fleet did not write is never replaced', () => {
  test.each([
    ['package.json', ['--out', 'package.json']],
    ['bin/fleet.js', ['--out', 'bin/fleet.js']],
    ['.git/description', ['--out', '.git/description']],
    ['README.md', ['--md', 'README.md']],
    ['package.json', ['--json', '--out', 'package.json', '--md', 'new.md']],
  ])('upgrades plan ... %s: exit 1 naming the file and the fix, nothing written', (file, args) => {
    const dir = scratchRepo('fleet-own-');
    mkdirSync(join(dir, 'bin'));
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(join(ROOT, 'bin', 'fleet.js'), join(dir, 'bin', 'fleet.js'));
    cpSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
    writeFileSync(join(dir, '.git', 'description'), 'Unnamed repository\n');
    const before = read(dir, file);
    const r = fleet(dir, plan(...args));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`--(out|md) ${file.replace(/\./g, '\\.')} exists and is not an upgrade plan \\((text|JSON|Markdown)\\) that fleet wrote; remove it, choose another path, or pass --force to replace it; nothing was written\\.\\n$`));
    expect(read(dir, file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['.git', 'README.md', 'bin', 'customers', 'package.json', 'upgrades']);
    expect(readdirSync(join(dir, '.git')).sort()).toEqual(['HEAD', 'description']);
  });

  test('a symlink to a file fleet did not write is refused too (the file it names is what would be replaced)', () => {
    const dir = scratchRepo('fleet-own-');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    symlinkSync('notes.txt', join(dir, 'plan.txt'));
    expect(fleet(dir, plan('--out', 'plan.txt')).code).toBe(1);
    expect(read(dir, 'notes.txt')).toBe('mine\n');
  });

  test('another kind of fleet output is not replaced either: a plan JSON over a text plan needs --force', () => {
    const dir = scratchRepo('fleet-own-');
    expect(fleet(dir, plan('--out', 'plan.txt')).code).toBe(0);
    const text = read(dir, 'plan.txt');
    expect(fleet(dir, plan('--json', '--out', 'plan.txt')).err).toContain('--out plan.txt exists and is not an upgrade plan (JSON) that fleet wrote');
    expect(read(dir, 'plan.txt')).toBe(text);
  });

  test('--force replaces it', () => {
    const dir = scratchRepo('fleet-own-');
    writeFileSync(join(dir, 'plan.md'), 'my notes\n');
    expect(fleet(dir, plan('--md', 'plan.md', '--force'))).toMatchObject({ code: 0 });
    expect(read(dir, 'plan.md')).toMatch(/^# Upgrade plan for 2026-12-01\n/);
  });

  test('rollout status, affected and schema refuse a foreign file as well', () => {
    const dir = gitRepo();
    writeFileSync(join(dir, 'keep.txt'), 'mine\n');
    for (const args of [['rollout', 'status'], ['affected', '--all'], ['affected', '--all', '--json'], ['schema']]) {
      const r = fleet(dir, [...args, '--out', 'keep.txt']);
      expect({ args, code: r.code, err: r.err }).toEqual({ args, code: 1, err: expect.stringContaining('--out keep.txt exists and is not ') });
    }
    expect(read(dir, 'keep.txt')).toBe('mine\n');
  });
});

describe('a re-run over its own previous output needs no --force', () => {
  test('the rollout workflow, twice, on other dates (JSON and Markdown), and the text plan', () => {
    const dir = scratchRepo('fleet-own-');
    // .github/workflows/rollout.yml and the README: fleet upgrades plan --json --out plan/upgrade-plan.json --md plan/upgrade-plan.md
    const ci = ['--json', '--out', 'plan/upgrade-plan.json', '--md', 'plan/upgrade-plan.md'];
    expect(fleet(dir, ['upgrades', 'plan', '--at', '2026-11-27', ...ci]).code).toBe(0);
    const r = fleet(dir, ['upgrades', 'plan', '--at', '2026-12-01', ...ci]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(read(dir, 'plan/upgrade-plan.md')).toMatch(/^# Upgrade plan for 2026-12-01\n/);
    expect(JSON.parse(read(dir, 'plan/upgrade-plan.json')).generatedFor).toBe('2026-12-01');
    expect(fleet(dir, plan('--out', 'plan.txt')).code).toBe(0);
    expect(fleet(dir, ['upgrades', 'plan', '--at', '2026-12-02', '--out', 'plan.txt']).code).toBe(0);
    expect(read(dir, 'plan.txt')).toMatch(/^Upgrade plan for 2026-12-02\n/);
    expect(readdirSync(join(dir, 'plan')).sort()).toEqual(['upgrade-plan.json', 'upgrade-plan.md']);
  });

  test('rollout status and affected, text and JSON, and schema into customers/', () => {
    const dir = gitRepo();
    for (const args of [['rollout', 'status'], ['rollout', 'status', '--json'], ['affected', '--all'], ['affected', '--all', '--json']]) {
      for (let i = 0; i < 2; i++) expect({ args, i, code: fleet(dir, [...args, '--out', `${args.join('-')}.out`]).code }).toEqual({ args, i, code: 0 });
    }
    expect(fleet(dir, ['schema']).code).toBe(0);
  });
});
