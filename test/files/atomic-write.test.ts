/** writeFilesAtomically on a real file system: a write that fails puts back what was already written. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomically, WriteRefusedError } from '../../files/atomic-write';

test('when a later file cannot be written, the earlier ones get their previous content back (or go)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  writeFileSync(join(dir, 'plan.json'), 'old plan\n');
  // /proc takes no new folders: this target passes the checks and fails when written.
  const unwritable = '/proc/fleet-no-such-folder/plan.md';
  expect(() =>
    writeFilesAtomically([
      { path: join(dir, 'plan.json'), text: 'new plan\n' },
      { path: join(dir, 'new.txt'), text: 'new\n' },
      { path: unwritable, text: 'x' },
    ]),
  ).toThrow(WriteRefusedError);
  expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe('old plan\n');
  expect(existsSync(join(dir, 'new.txt'))).toBe(false);
  expect(readdirSync(dir)).toEqual(['plan.json']); // no temporary files left
});

test('the same file twice in one write is refused before anything is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  expect(() => writeFilesAtomically([{ path: join(dir, 'a.json'), text: '1' }, { path: join(dir, '.', 'a.json'), text: '2' }])).toThrow(/written twice/);
  expect(readdirSync(dir)).toEqual([]);
});
