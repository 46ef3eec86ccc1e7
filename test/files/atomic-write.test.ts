/** writeFilesAtomically on a real file system: a write that fails leaves every target as it was; a journal is read with suspicion. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomically, WriteRefusedError } from '../../files/atomic-write';
import { journalOf } from '../../files/write-journal';

test('when a later file cannot be written, the earlier ones keep their previous content (or stay absent)', () => {
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

test('a journal that names a file other than a temporary file beside its target is refused, and nothing is renamed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  const victim = join(dir, 'keep.txt');
  writeFileSync(victim, 'mine\n');
  writeFileSync(join(dir, 'plan.json'), 'old plan\n');
  writeFileSync(journalOf(join(dir, 'plan.json')), JSON.stringify({ formatVersion: 1, renames: [{ from: victim, to: join(dir, 'plan.json') }] }));
  expect(() => writeFilesAtomically([{ path: join(dir, 'plan.json'), text: 'new\n' }])).toThrow(/expected a list of renames of fleet's temporary files beside their targets, plan.json among them; compare the files/);
  expect(readFileSync(victim, 'utf8')).toBe('mine\n');
  expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe('old plan\n');
});

test('files written together keep the mode of the files they replace, and new ones get the usual mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  writeFileSync(join(dir, 'plan.json'), 'old\n', { mode: 0o640 });
  chmodSync(join(dir, 'plan.json'), 0o640);
  writeFilesAtomically([
    { path: join(dir, 'plan.json'), text: 'new\n' },
    { path: join(dir, 'plan.md'), text: 'new\n' },
  ]);
  expect(statSync(join(dir, 'plan.json')).mode & 0o777).toBe(0o640);
  expect(statSync(join(dir, 'plan.md')).mode & 0o777).toBe(0o666 & ~process.umask());
  expect(readdirSync(dir)).toEqual(['plan.json', 'plan.md']);
});
