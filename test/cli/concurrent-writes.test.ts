/**
 * Two runs writing the same --out and --md files take turns (a lock beside each file): neither
 * removes the other's temporary files, both succeed, and the files are one run's pair, whole.
 * The first writer is the built files/atomic-write.js in a child process, made slow so that the
 * second write starts while the first is in the middle of its temporary files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomically } from '../../files/atomic-write';
import { ROOT } from './built-cli';

const guard = (label: string) => ({ kind: 'a test output', label, force: false, recognises: (head: string) => head.startsWith('fleet test output') });

/** A child that writes both files, its JSON in 40 pieces 50 ms apart (2 s in all). */
const SLOW_WRITER = `
const { writeFilesAtomically } = require(${JSON.stringify(join(ROOT, 'dist', 'files', 'atomic-write.js'))});
const [json, md] = process.argv.slice(1);
const guard = (label) => ({ kind: 'a test output', label, force: false, recognises: (h) => h.startsWith('fleet test output') });
function* slow() {
  yield 'fleet test output: first\\n';
  for (let i = 0; i < 40; i++) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); yield 'x'.repeat(1000) + '\\n'; }
}
writeFilesAtomically([{ path: json, text: slow(), guard: guard('--out plan.json') }, { path: md, text: 'fleet test output: first md\\n', guard: guard('--md plan.md') }]);
`;

test('a second writer waits for the first instead of removing its temporary files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'concurrent-'));
  const [json, md] = [join(dir, 'plan.json'), join(dir, 'plan.md')];
  const child = spawn(process.execPath, ['-e', SLOW_WRITER, json, md], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // Wait until the child is writing its temporary file.
  for (let i = 0; i < 200 && !readdirSync(dir).some((f) => f.endsWith('.fleet-tmp')); i++) await new Promise((r) => setTimeout(r, 10));
  expect(readdirSync(dir).some((f) => f.endsWith(`.${child.pid}.fleet-tmp`))).toBe(true);

  writeFilesAtomically([
    { path: json, text: 'fleet test output: second\n', guard: guard('--out plan.json') },
    { path: md, text: 'fleet test output: second md\n', guard: guard('--md plan.md') },
  ]);
  expect({ code: await exited, err }).toEqual({ code: 0, err: '' });
  // The second write came after the first: its pair is what is there, whole, and nothing else is left.
  expect([readFileSync(json, 'utf8'), readFileSync(md, 'utf8')]).toEqual(['fleet test output: second\n', 'fleet test output: second md\n']);
  expect(readdirSync(dir).sort()).toEqual(['plan.json', 'plan.md']);
  expect(existsSync(join(dir, '.plan.json.fleet-lock'))).toBe(false);
}, 30_000);
