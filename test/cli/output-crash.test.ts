/**
 * kill -9 at every rename of `fleet synth` (strace injects SIGKILL at the N-th rename, as
 * ../shared/reference/toolchain.md describes): afterwards cdktf.out is the complete old output or
 * the complete new one, and the next run finishes the job and leaves one generation, no litter.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet, killedAtRename, outputFiles, scratchRepo, STRACE } from './built-cli';

const AT = ['--at', '2026-11-27'];

/** Edits one customer so the new output differs from the old in a known stack. */
function changeCustomer(dir: string): void {
  const file = join(dir, 'customers', 'acme-retail-prod.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  raw.components.collector.sizing.maxSize += 1;
  writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
}

/** Old and new outputs, and a checkout whose cdktf.out holds the old one. */
function setup(extraStacks = 0): { dir: string; before: Record<string, string>; after: Record<string, string> } {
  const dir = scratchRepo('fleet-crash-');
  const examples = readdirSync(join(dir, 'customers')).filter((f) => f.endsWith('.json') && f !== 'customer.schema.json');
  for (let i = 0; i < extraStacks; i++) {
    const raw = JSON.parse(readFileSync(join(dir, 'customers', examples[i % examples.length]), 'utf8'));
    raw.id = `crash-${String(i).padStart(2, '0')}`;
    writeFileSync(join(dir, 'customers', `${raw.id}-${raw.environment}.json`), JSON.stringify(raw, null, 2));
  }
  expect(fleet(dir, ['synth', ...AT]).code).toBe(0);
  const before = outputFiles(join(dir, 'cdktf.out'));
  changeCustomer(dir);
  expect(fleet(dir, ['synth', '--out', 'reference', ...AT]).code).toBe(0);
  const after = outputFiles(join(dir, 'reference'));
  expect(after).not.toEqual(before);
  return { dir, before, after };
}

/** cdktf.out is exactly one of the complete outputs (never missing, never a mix). */
function expectComplete(dir: string, outputs: Record<string, string>[], n: number): void {
  expect({ n, exists: existsSync(join(dir, 'cdktf.out', 'manifest.json')) }).toEqual({ n, exists: true });
  const now = outputFiles(join(dir, 'cdktf.out'));
  expect({ n, complete: outputs.some((o) => JSON.stringify(o) === JSON.stringify(now)) }).toEqual({ n, complete: true });
}

function expectTidy(dir: string): void {
  const hidden = readdirSync(dir).filter((e) => e.startsWith('.cdktf.out'));
  expect(hidden).toHaveLength(1);
  expect(hidden[0]).toMatch(/^\.cdktf\.out\.fleet-[0-9a-f]{12}$/);
}

(existsSync(STRACE) ? describe : describe.skip)('fleet synth killed at any rename', () => {
  test('flip of an existing output (in-process synth): old or new, then the next run completes', () => {
    const { dir, before, after } = setup();
    let n = 1;
    for (; killedAtRename(dir, n, ['synth', ...AT]); n++) expectComplete(dir, [before, after], n);
    expect(n).toBeGreaterThan(1); // it was killed at least once, at the flip
    expect(outputFiles(join(dir, 'cdktf.out'))).toEqual(after);
    expectTidy(dir);
  });

  test('a plain marked folder (left by `cdktf synth`) becomes a link: a kill between its two renames is repaired by the next run', () => {
    const { dir, before, after } = setup();
    const plain = join(dir, 'plain-old');
    cpSync(join(dir, 'cdktf.out'), plain, { recursive: true, dereference: true });
    spawnSync('rm', ['-rf', join(dir, 'cdktf.out'), ...readdirSync(dir).filter((e) => e.startsWith('.cdktf.out')).map((e) => join(dir, e))]);
    spawnSync('mv', [plain, join(dir, 'cdktf.out')]);
    expect(outputFiles(join(dir, 'cdktf.out'))).toEqual(before);

    expect(killedAtRename(dir, 1, ['synth', ...AT])).toBe(true); // before the folder moves: untouched
    expectComplete(dir, [before], 1);
    expect(killedAtRename(dir, 2, ['synth', ...AT])).toBe(true); // set aside, the link not yet in place
    const aside = readdirSync(dir).filter((e) => /^\.cdktf\.out\.fleet-prev-/.test(e));
    expect(aside).toHaveLength(1);
    expect(outputFiles(join(dir, aside[0]))).toEqual(before);
    // The next run puts the old output back first; killed at its first rename, the old output is there.
    expect(killedAtRename(dir, 2, ['synth', ...AT])).toBe(true);
    expectComplete(dir, [before], 3);
    expect(fleet(dir, ['synth', ...AT]).code).toBe(0);
    expect(outputFiles(join(dir, 'cdktf.out'))).toEqual(after);
    expectTidy(dir);
  });

  test('worker processes (18 stacks): killed while moving their stacks in or at the flip, old or new', () => {
    const { dir, before, after } = setup(12);
    for (const n of [1, 18, 19]) {
      expect(killedAtRename(dir, n, ['synth', ...AT])).toBe(true);
      expectComplete(dir, [before, after], n);
    }
    expect(killedAtRename(dir, 20, ['synth', ...AT])).toBe(false);
    expect(outputFiles(join(dir, 'cdktf.out'))).toEqual(after);
    expectTidy(dir);
  });
});
