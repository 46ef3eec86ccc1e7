/**
 * What a killed write leaves beside a user-named output, and what the next write of it removes:
 * write-file-atomic's `<name>.<number>` only when it holds fleet's output of that kind (a user's
 * `plan.txt.1` stays), and a journaled writer's `.<name>.<pid>.fleet-tmp` only when that pid is
 * not running (two runs must not remove each other's files).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { writeFilesAtomically, type OutputGuard } from '../../files/atomic-write';
import { completeWrite } from '../../files/write-journal';

const guard: OutputGuard = { kind: 'a plan', label: '--out plan.txt', force: false, recognises: (head) => head.startsWith('Upgrade plan for ') };

test("a text --out write removes write-file-atomic's temporary file of that target that a kill left, and nothing else", () => {
  const dir = mkdtempSync(join(tmpdir(), 'stray-'));
  const target = join(dir, 'plan.txt');
  writeFileSync(target, 'Upgrade plan for 2026-11-30\n');
  // The name write-file-atomic gives its temporary file for this target (killed before its rename).
  const stray = (writeFileAtomic as unknown as { _getTmpname: (f: string) => string })._getTmpname(target);
  expect(stray).toMatch(/\/plan\.txt\.\d+$/);
  writeFileSync(stray, 'Upgrade plan for 2026-12-01\nhalf');
  writeFileSync(join(dir, 'plan.txt.1'), 'my own backup\n');
  writeFileSync(join(dir, 'other.txt.123'), 'Upgrade plan for 2026-12-01\n');
  writeFilesAtomically([{ path: target, text: 'Upgrade plan for 2026-12-01\n', guard }]);
  expect(readdirSync(dir).sort()).toEqual(['other.txt.123', 'plan.txt', 'plan.txt.1']);
  expect(readFileSync(join(dir, 'plan.txt.1'), 'utf8')).toBe('my own backup\n');
  expect(readFileSync(target, 'utf8')).toBe('Upgrade plan for 2026-12-01\n');
});

test("the journaled writer's clean-up leaves a live run's temporary file and removes a dead run's", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stray-'));
  const target = join(dir, 'plan.json');
  const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.on('exit', resolve));
  try {
    const ofLive = join(dir, `.plan.json.${live.pid}.fleet-tmp`);
    const ofDead = join(dir, `.plan.json.${dead.pid}.fleet-tmp`);
    writeFileSync(ofLive, 'being written');
    writeFileSync(ofDead, 'left by a kill');
    expect(completeWrite(target)).toBe(false);
    expect([existsSync(ofLive), existsSync(ofDead)]).toEqual([true, false]);
  } finally {
    live.kill();
  }
});
