/**
 * A write of several files that stops after replacing some says what is true: which files are
 * new, which are not, and whether the journal can still finish them; never "nothing was written".
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartialWriteError, writeFilesAtomically } from '../../files/atomic-write';
import { completeWrite, journalOf } from '../../files/write-journal';

// The module object itself (an `import *` namespace has read-only bindings jest cannot replace).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('node:fs') = require('node:fs');

afterEach(() => jest.restoreAllMocks());

function failSecondRename(removeTemp: boolean): void {
  const real = fs.renameSync;
  let calls = 0;
  jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
    // The journals go through write-file-atomic (its own renames); count only the targets'.
    if (String(from).endsWith('.fleet-tmp') && ++calls === 2) {
      if (removeTemp) fs.rmSync(from);
      throw Object.assign(new Error(`ENOENT: no such file or directory, rename '${String(from)}'`), { code: 'ENOENT' });
    }
    real(from, to);
  });
}

function setup(): { a: string; b: string } {
  const dir = mkdtempSync(join(tmpdir(), 'partial-'));
  const [a, b] = [join(dir, 'plan.json'), join(dir, 'plan.md')];
  writeFileSync(a, 'old a\n');
  writeFileSync(b, 'old b\n');
  return { a, b };
}

const write = (a: string, b: string) => () => writeFilesAtomically([{ path: a, text: 'new a\n' }, { path: b, text: 'new b\n' }]);

test('stopped with the journal able to finish: names the replaced file, the other, and the journal', () => {
  const { a, b } = setup();
  failSecondRename(false);
  let error: unknown;
  try {
    write(a, b)();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PartialWriteError);
  expect((error as PartialWriteError).nothingWritten).toBe(false);
  expect((error as Error).message).toBe(`${b}: not replaced (ENOENT: no such file or directory, rename '${join(a, '..', '.plan.md.')}${process.pid}.fleet-tmp'), ${a} replaced; ${journalOf(b)} lists the rest, and the next write of these files completes it`);
  jest.restoreAllMocks();
  expect(completeWrite(a)).toBe(true);
  expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['new a\n', 'new b\n']);
});

test('stopped with a temporary file gone: says the journal cannot finish it and to run again', () => {
  const { a, b } = setup();
  failSecondRename(true);
  expect(write(a, b)).toThrow(/plan\.md: not replaced \(ENOENT.*\), .*plan\.json replaced; a temporary file of the write is gone, so the journal cannot finish it: run the command again to write them all$/);
  jest.restoreAllMocks();
  write(a, b)();
  expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['new a\n', 'new b\n']);
});
