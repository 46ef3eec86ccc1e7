/**
 * Runs the real, built `fleet` (node bin/fleet.js; `npm test` builds dist first) in scratch copies
 * of the repository's inputs, as a person or CI would.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'fleet.js');

export interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** A scratch checkout: customers, catalog, policy and a stand-in .git with one file. */
export function scratchRepo(prefix = 'fleet-cli-'): string {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'fleet.js'))) throw new Error('dist/cli/fleet.js is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(ROOT, 'customers'), join(dir, 'customers'), { recursive: true });
  mkdirSync(join(dir, 'upgrades'));
  cpSync(join(ROOT, 'upgrades', 'catalog'), join(dir, 'upgrades', 'catalog'), { recursive: true });
  cpSync(join(ROOT, 'upgrades', 'policy.json'), join(dir, 'upgrades', 'policy.json'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

/** Environment of a plain, non-interactive run (no CI variable, no colors forced). */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['CI', 'FORCE_COLOR', 'NO_COLOR', 'FLEET_DEBUG']) delete env[name];
  return { ...env, ...extra };
}

export function fleet(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = plainEnv()): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** strace, which injects SIGKILL at the N-th rename (../shared/reference/toolchain.md); tests that need it skip without it. */
export const STRACE = '/usr/bin/strace';

/** Runs fleet under strace, killed at its n-th rename; returns true when it was killed, false when it ran to the end. */
export function killedAtRename(cwd: string, n: number, args: readonly string[]): boolean {
  const r = spawnSync(STRACE, ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=rename', '-e', `inject=rename:signal=KILL:when=${n}`, process.execPath, BIN, ...args], {
    cwd,
    env: plainEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  if (r.status === 0) return false;
  // strace ends itself with the signal that killed the tracee.
  expect({ n, signal: r.signal, err: r.stderr }).toEqual({ n, signal: 'SIGKILL', err: '' });
  return true;
}

/** Every file and link under `dir` (links shown as "-> target", not followed), with its content. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = lstatSync(path);
      const key = relative(dir, path);
      if (st.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
      else if (st.isDirectory()) walk(path);
      else out[key] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The files of an output folder, read through its link. */
export function outputFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (lstatSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}
