/**
 * The workflows as the tests read them (parsed with yaml), and a way to run a step's `run:`
 * script the way a GitHub runner does (bash -eo pipefail) with commands on PATH that the tests
 * control: `npx fleet` is the real compiled CLI, `npx tsc` the real compiler; `terraform`,
 * `gh` and anything else a test puts in its stub folder stand in for what needs a cloud or GitHub.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const WORKFLOWS = join(ROOT, '.github', 'workflows');
export const SCRIPTS = join(ROOT, '.github', 'scripts');

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly if?: string;
}

export interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly strategy?: { readonly matrix?: unknown; readonly 'fail-fast'?: boolean };
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

export interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml')).sort();
export const texts = new Map(files.map((f) => [f, readFileSync(join(WORKFLOWS, f), 'utf8')]));
export const workflows = new Map(files.map((f) => [f, parse(texts.get(f)!) as Workflow]));
export const scriptFiles = readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh')).sort();
export const scriptTexts = new Map(scriptFiles.map((f) => [f, readFileSync(join(SCRIPTS, f), 'utf8')]));

export function workflow(file: string): Workflow {
  const w = workflows.get(file);
  if (!w) throw new Error(`.github/workflows/${file} is missing`);
  return w;
}

export function step(file: string, job: string, name: string | RegExp): Step {
  const found = workflow(file).jobs[job]?.steps.find((s) => (typeof name === 'string' ? s.name === name || s.id === name : name.test(s.name ?? s.run ?? '')));
  if (!found?.run) throw new Error(`${file} ${job}: no run step ${String(name)}`);
  return found;
}

/** A folder of executable stubs; each is a bash script body. */
export function stubs(dir: string, commands: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(commands)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

/** `npx fleet ...` runs this checkout's compiled CLI; `npx tsc ...` the installed compiler. */
export const NPX = `case "$1" in
  fleet) shift; exec node ${JSON.stringify(join(ROOT, 'bin', 'fleet.js'))} "$@" ;;
  tsc) shift; exec node ${JSON.stringify(join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'))} "$@" ;;
  *) echo "npx stub: $1 is not available in tests" >&2; exit 127 ;;
esac`;

export interface RunResult {
  readonly code: number;
  readonly out: string;
}

/** Runs a script as a runner does: bash -e -o pipefail, in `cwd`, with the stub folder first on PATH. */
export function runScript(script: string, opts: { cwd: string; stubDir: string; env?: Record<string, string> }): RunResult {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: opts.cwd,
    encoding: 'utf8',
    env: {
      PATH: `${opts.stubDir}:${process.env.PATH}`,
      HOME: process.env.HOME ?? '/tmp',
      CHECKPOINT_DISABLE: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      ...opts.env,
    },
  });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}
