/**
 * The command line itself, through the built CLI: help never runs a command, every command and
 * group has help, unknown options and stray arguments are refused with the usage, --json means
 * one thing, files are written atomically and through symlinks, dates are real dates, and a closed
 * pipe ends the output quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BIN, fleet, plainEnv, ROOT, scratchRepo, tree } from './built-cli';

const AT = ['--at', '2026-11-27'];
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A scratch checkout with today's upgrade plan written where rollout reads it. */
function withPlan(): string {
  const dir = scratchRepo();
  const r = fleet(dir, ['upgrades', 'plan', '--json', '--out', 'plan/upgrade-plan.json', ...AT]);
  expect(r).toMatchObject({ code: 0, out: 'wrote plan/upgrade-plan.json\n', err: '' });
  return dir;
}

describe('help never runs the command', () => {
  test('rollout apply --wave next -h prints the usage, exits 0 and rewrites nothing', () => {
    const dir = withPlan();
    const before = tree(dir);
    for (const flag of ['-h', '--help']) {
      const r = fleet(dir, ['rollout', 'apply', '--wave', 'next', flag, ...AT]);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(/^Usage: fleet rollout apply \[options\]/);
      expect(r.out).toContain('--force');
    }
    expect(tree(dir)).toEqual(before);
    expect(existsSync(join(dir, 'rollout'))).toBe(false);
  });

  test('the groups have help (upgrades, rollout), a bare group prints it as an error, and --version works', () => {
    const dir = scratchRepo();
    const upgrades = fleet(dir, ['upgrades', '--help']);
    expect(upgrades.code).toBe(0);
    expect(upgrades.out).toMatch(/^Usage: fleet upgrades \[options\] \[command\]/);
    expect(upgrades.out).toMatch(/\n {2}plan +Plan component upgrades/);
    expect(upgrades.out).toMatch(/\n {2}stage +Turn the upgrade plan/);
    const rollout = fleet(dir, ['rollout', '-h']);
    expect(rollout.code).toBe(0);
    for (const c of ['apply', 'mark', 'status', 'gate']) expect(rollout.out).toMatch(new RegExp(`\\n {2}${c} +[A-Z]`));
    expect(fleet(dir, ['rollout'])).toMatchObject({ code: 1, out: '', err: expect.stringMatching(/^Usage: fleet rollout/) });
    expect(fleet(dir, ['--version'])).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
    expect(fleet(dir, ['-V']).out).toBe(`${VERSION}\n`);
  });

  test('fleet --help lists every command and documents the exit codes', () => {
    const r = fleet(scratchRepo(), ['--help']);
    expect(r.code).toBe(0);
    for (const c of ['main', 'validate', 'synth', 'upgrades', 'review', 'rollout', 'affected', 'schema']) expect(r.out).toMatch(new RegExp(`\\n {2}${c} `));
    expect(r.out).toContain('Exit codes:\n  0  done (or nothing to do)\n  1  bad input or usage: nothing was written\n  2  a safety gate said no');
  });
});

describe('each command loads only its own modules', () => {
  /** The project modules (under dist/) and packages a run loaded, as paths relative to the repository. */
  function loaded(args: readonly string[]): string[] {
    const dir = scratchRepo();
    const preload = join(dir, 'loaded.js');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(join(dir, 'loaded.json'))}, JSON.stringify(Object.keys(require.cache))));`);
    const r = spawnSync(process.execPath, ['-r', preload, BIN, ...args], { cwd: dir, env: plainEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    return (JSON.parse(readFileSync(join(dir, 'loaded.json'), 'utf8')) as string[]).map((f) => relative(ROOT, f));
  }

  test('help loads neither the customer schema (zod), the planner nor cdktf', () => {
    for (const args of [['--help'], ['upgrades', '--help'], ['rollout', '--help'], ['help', 'rollout']]) {
      const files = loaded(args);
      expect(files.filter((f) => /node_modules\/(zod|cdktf)\/|dist\/customers\/schema\.js|dist\/upgrades\/planner\//.test(f))).toEqual([]);
    }
  });

  test('a command run loads its module, and `fleet help <command>` prints its options', () => {
    expect(loaded(['validate', '--help'])).toContain(join('dist', 'cli', 'validate.js'));
    for (const args of [['help', 'validate'], ['rollout', 'help', 'status']]) {
      const r = fleet(scratchRepo(), args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/\n {2}--(customers|plan) </);
    }
  });
});

describe('strict arguments', () => {
  test('a single-dash flag is refused with the usage on stderr, and nothing is built', () => {
    const dir = scratchRepo();
    const r = fleet(dir, ['synth', '-stack', 'acme-retail-prod', ...AT]);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/^error: unknown option '-stack'/);
    expect(r.err).toContain('Usage: fleet synth [options]');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  test('a stray positional is refused (synth acme-retail-prod does not build every stack)', () => {
    const dir = scratchRepo();
    const r = fleet(dir, ['synth', 'acme-retail-prod', ...AT]);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/^error: too many arguments for 'synth'\. Expected 0 arguments but got 1\./);
    expect(r.err).toContain('Usage: fleet synth [options]');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  test('dates must be real: --at 2026-02-31 and --at 2026-13-01 are errors, not March 3', () => {
    const dir = scratchRepo();
    const feb = fleet(dir, ['validate', '--at', '2026-02-31']);
    expect(feb.code).toBe(1);
    expect(feb.err).toContain(`argument '2026-02-31' is invalid. --at expects a real date as YYYY-MM-DD, got "2026-02-31" (that month has 28 days)`);
    expect(fleet(dir, ['validate', '--at', '2026-13-01']).err).toContain('(months run 01 to 12)');
    expect(fleet(dir, ['validate', '--at', '2028-02-29']).err).not.toContain('is invalid'); // a leap day is a date
  });
});

describe('--json means JSON on stdout; --out FILE writes it', () => {
  test('upgrades plan --json prints the plan JSON; the old --json FILE spelling is refused and writes nothing', () => {
    const dir = scratchRepo();
    const r = fleet(dir, ['upgrades', 'plan', '--json', ...AT]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out).waves[0]).toMatchObject({ number: 1, name: 'canary' });
    const old = fleet(dir, ['upgrades', 'plan', '--json', 'plan.json', ...AT]);
    expect(old.code).toBe(1);
    expect(old.err).toMatch(/^error: too many arguments for 'plan'/);
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });

  test('--json - is refused instead of writing a file named "-"; --out - is stdout', () => {
    const dir = scratchRepo();
    const dash = fleet(dir, ['upgrades', 'plan', '--json', '-', ...AT]);
    expect(dash.code).toBe(1);
    expect(existsSync(join(dir, '-'))).toBe(false);
    const stdout = fleet(dir, ['upgrades', 'plan', '--json', '--out', '-', ...AT]);
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.out).generatedFor).toBe('2026-11-27');
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  test('rollout status --json and validate --json are JSON on stdout, one document', () => {
    const dir = withPlan();
    const status = fleet(dir, ['rollout', 'status', '--json', ...AT]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toHaveProperty('waves');
    const valid = fleet(dir, ['validate', '--json', ...AT]);
    expect(JSON.parse(valid.out)).toEqual({ valid: true, environments: 6, problems: [] });
  });

  test('review --json is the review as JSON on stdout, with the verdict and exit code; --md notes go to stderr', () => {
    const dir = scratchRepo();
    cpSync(join(ROOT, 'test', 'fixtures', 'terraform', 'mixed.plan.json'), join(dir, 'mixed.plan.json'));
    const r = fleet(dir, ['review', 'mixed.plan.json', '--json', '--md', 'review/review.md']);
    expect(r).toMatchObject({ code: 0, err: 'wrote review/review.md\n' });
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ verdict: 'pass', exitCode: 0, unreadable: [] });
    expect(json.reviews[0]).toMatchObject({ file: 'mixed.plan.json', stack: 'mixed', counts: { create: 1, update: 1, replace: 1, delete: 1 } });
  });
});

describe('files are written atomically, through symlinks, never over a non-file', () => {
  test('a symlink to a file: the file gets the output and the link stays a link', () => {
    const dir = scratchRepo();
    mkdirSync(join(dir, 'real'));
    // An earlier `fleet schema` output: fleet replaces only its own output of the same kind.
    writeFileSync(join(dir, 'real', 'schema.json'), readFileSync(join(dir, 'customers', 'customer.schema.json'), 'utf8'));
    symlinkSync(join('real', 'schema.json'), join(dir, 'schema.json'));
    const r = fleet(dir, ['schema', '--out', 'schema.json']);
    expect(r).toEqual({ code: 0, out: 'wrote schema.json\n', err: '' });
    expect(lstatSync(join(dir, 'schema.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'schema.json'))).toBe(join('real', 'schema.json'));
    expect(JSON.parse(readFileSync(join(dir, 'real', 'schema.json'), 'utf8'))).toHaveProperty('$schema');
  });

  test('a symlink to a device (as /dev/stdout is), a dangling link and a folder are refused with a clear error', () => {
    const dir = scratchRepo();
    symlinkSync('/dev/null', join(dir, 'device.json'));
    symlinkSync(join(dir, 'missing', 'x.json'), join(dir, 'dangling.json'));
    mkdirSync(join(dir, 'folder.json'));
    const before = tree(dir);
    const device = fleet(dir, ['upgrades', 'plan', '--json', '--out', 'device.json', ...AT]);
    expect(device).toMatchObject({ code: 1, out: '' });
    expect(device.err).toContain('device.json is a symlink to something that is not a regular file (a device, pipe or folder); give a file path (or - for standard output); nothing was written.');
    expect(fleet(dir, ['schema', '--out', 'dangling.json']).err).toContain('dangling.json is a symlink to a file that does not exist');
    expect(fleet(dir, ['schema', '--out', 'folder.json']).err).toContain('folder.json is a folder; give a file path');
    expect(tree(dir)).toEqual(before);
  });

  test('--out and --md are both written or neither: a refused --md leaves --out unwritten', () => {
    const dir = scratchRepo();
    mkdirSync(join(dir, 'plan.md'));
    const r = fleet(dir, ['upgrades', 'plan', '--json', '--out', 'plan.json', '--md', 'plan.md', ...AT]);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });

  test('reports never go into the input folders: --out customers/plan.json and --md upgrades/catalog/x.md are refused', () => {
    const dir = scratchRepo();
    const before = tree(dir);
    const out = fleet(dir, ['upgrades', 'plan', '--json', '--out', 'customers/plan.json', ...AT]);
    expect(out).toMatchObject({ code: 1, out: '' });
    expect(out.err).toContain('--out customers/plan.json is inside customers (the customer files); write it elsewhere; nothing was written.');
    expect(fleet(dir, ['upgrades', 'plan', '--md', 'upgrades/catalog/plan.md', ...AT]).err).toContain('is inside upgrades/catalog (the release catalog)');
    expect(fleet(dir, ['rollout', 'status', '--out', 'rollout/status.txt', ...AT]).err).toContain('is inside rollout (the rollout state)');
    expect(tree(dir)).toEqual(before);
  });
});

describe('output that scales', () => {
  test('synth of a large fleet prints counts and a summary; --json lists every id', () => {
    const dir = scratchRepo();
    const examples = ['acme-retail-prod', 'globex-games-dev', 'helios-media-prod'].map((f) => JSON.parse(readFileSync(join(dir, 'customers', `${f}.json`), 'utf8')));
    expect(examples.map((e) => `${e.cloud} ${e.environment}`)).toEqual(['aws prod', 'aws dev', 'gcp prod']);
    for (let i = 0; i < 12; i++) {
      const raw = structuredClone(examples[i % examples.length]);
      raw.id = `gen-${String(i).padStart(2, '0')}`;
      writeFileSync(join(dir, 'customers', `${raw.id}-${raw.environment}.json`), JSON.stringify(raw, null, 2));
    }
    const text = fleet(dir, ['synth', ...AT]);
    expect(text).toMatchObject({ code: 0, err: '' });
    expect(text.out).toBe('synthesized 18 stack(s) into cdktf.out: 12 aws, 6 gcp; 5 dev, 11 prod, 2 staging\n  (18 ids: fleet synth --json lists them)\n');
    const json = JSON.parse(fleet(dir, ['synth', '--json', ...AT]).out);
    expect(json).toMatchObject({ outDir: 'cdktf.out', count: 18, clouds: { aws: 12, gcp: 6 } });
    expect(json.stacks).toHaveLength(18);
    expect(json.stacks).toContain('gen-11-prod');
  });
});

describe('a closed pipe', () => {
  test('fleet ... | head -1: the reader goes away, fleet stops writing and exits quietly', async () => {
    const dir = scratchRepo();
    const child = spawn(process.execPath, [BIN, 'upgrades', 'plan', ...AT], { cwd: dir, env: plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    }, 60_000);
});
