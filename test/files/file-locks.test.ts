/**
 * The per-output locks: a killed run's lock is taken over at once, by one run only; nothing
 * planted beside or in place of a lock is written through; a lock left without its pid goes.
 * Concurrency is tested with real processes (the built dist), as two CI jobs would run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockOf, withFileLocks } from '../../files/file-locks';

const ROOT = join(__dirname, '..', '..');
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
const scratch = () => mkdtempSync(join(tmpdir(), 'file-locks-'));

test('a symlink planted as the pid file is unlinked, never written through', () => {
  const dir = scratch();
  const target = join(dir, 'plan.json');
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, `${lockOf(target)}.pid`);
  withFileLocks([target], () => 'plan.json', () => writeFileSync(target, '{}'));
  expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  expect(existsSync(lockOf(target))).toBe(false);
});

test('a lock folder that is a symlink is refused with the fix, and what it points at is kept', () => {
  const dir = scratch();
  const target = join(dir, 'plan.json');
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'keep'), 'x');
  symlinkSync(elsewhere, lockOf(target));
  expect(() => withFileLocks([target], () => 'plan.json', () => undefined)).toThrow(/is a symbolic link, which fleet never makes there: remove it/);
  expect(readdirSync(elsewhere)).toEqual(['keep']);
  expect(lstatSync(lockOf(target)).isSymbolicLink()).toBe(true);
});

test('a dead run\'s lock is taken over at once; one without a pid only once stale (a live holder may be between its mkdir and its pid)', () => {
  const dir = scratch();
  const target = join(dir, 'plan.json');
  mkdirSync(lockOf(target));
  writeFileSync(`${lockOf(target)}.pid`, `${deadPid()}\n`);
  const started = Date.now();
  withFileLocks([target], () => 'plan.json', () => undefined);
  expect(Date.now() - started).toBeLessThan(2000);
  // Killed between its mkdir and its pid, ten minutes ago and more: stale, so proper-lockfile takes it.
  mkdirSync(lockOf(target));
  const old = new Date(Date.now() - 11 * 60_000);
  utimesSync(lockOf(target), old, old);
  withFileLocks([target], () => 'plan.json', () => undefined);
  expect(existsSync(lockOf(target))).toBe(false);
});

test('runs racing to take over a dead run\'s lock hold it one at a time', async () => {
  const dir = scratch();
  const target = join(dir, 'plan.txt');
  mkdirSync(lockOf(target));
  writeFileSync(`${lockOf(target)}.pid`, `${deadPid()}\n`);
  const log = join(dir, 'log');
  const child = `
    const { appendFileSync } = require('node:fs');
    const { withFileLocks } = require(${JSON.stringify(join(ROOT, 'dist', 'files', 'file-locks.js'))});
    withFileLocks([${JSON.stringify(target)}], () => 'plan.txt', () => {
      appendFileSync(${JSON.stringify(log)}, 'in ' + process.pid + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
      appendFileSync(${JSON.stringify(log)}, 'out ' + process.pid + '\\n');
    });`;
  const runs = Array.from({ length: 8 }, () => new Promise<number | null>((done) => spawn(process.execPath, ['-e', child], { stdio: 'ignore' }).on('exit', done)));
  expect(await Promise.all(runs)).toEqual(Array(8).fill(0));
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(16);
  // Strictly alternating: every "in" is followed by the same run's "out".
  for (let i = 0; i < lines.length; i += 2) expect(lines[i + 1]).toBe(lines[i].replace(/^in/, 'out'));
  expect(readdirSync(dir).sort()).toEqual(['log']);
}, 60_000);

test('a take-over guard that is not fleet\'s folder is refused with the fix, not waited on', () => {
  const dir = scratch();
  const target = join(dir, 'plan.json');
  mkdirSync(lockOf(target));
  writeFileSync(`${lockOf(target)}.pid`, `${deadPid()}\n`);
  writeFileSync(join(dir, 'victim'), 'x');
  symlinkSync(join(dir, 'victim'), `${lockOf(target)}.takeover`);
  const started = Date.now();
  expect(() => withFileLocks([target], () => 'plan.json', () => undefined)).toThrow(/plan\.json\.fleet-lock\.takeover is a symbolic link, which fleet never makes there: remove it/);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('x');
});
