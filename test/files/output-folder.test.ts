/** replaceFolder on a real file system: failures keep the old output, two writers take turns, a dead run's lock goes. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { replaceFolder } from '../../files/output-folder';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function place(): { cwd: string; out: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'output-folder-'));
  return { cwd, out: join(cwd, 'out') };
}

const write = (text: string) => (dir: string) => writeFileSync(join(dir, 'result.txt'), text);

test('a fill that throws leaves the previous output and no litter', async () => {
  const { cwd, out } = place();
  await replaceFolder(out, write('first'), { cwd });
  await expect(
    replaceFolder(out, () => {
      throw new Error('policy rule failed');
    }, { cwd }),
  ).rejects.toThrow('policy rule failed');
  expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('first');
  expect(readdirSync(cwd).filter((e) => e !== 'out')).toEqual([expect.stringMatching(/^\.out\.fleet-[0-9a-f]{12}$/)]);
});

test('two runs at once take turns on the lock: the later one wins whole, one generation left', async () => {
  const { cwd, out } = place();
  const slow = replaceFolder(out, async (dir) => {
    await sleep(400);
    write('slow')(dir);
  }, { cwd });
  await sleep(50);
  const fast = replaceFolder(out, write('fast'), { cwd });
  await Promise.all([slow, fast]);
  expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('fast');
  expect(readdirSync(cwd).sort()).toEqual([expect.stringMatching(/^\.out\.fleet-[0-9a-f]{12}$/), 'out']);
});

test('the lock of a run that was killed (its pid is gone) is taken over at once', async () => {
  const { cwd, out } = place();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  mkdirSync(join(cwd, '.out.fleet-lock'));
  writeFileSync(join(cwd, '.out.fleet-lock.pid'), `${dead}\n`);
  const started = Date.now();
  await replaceFolder(out, write('after the crash'), { cwd });
  expect(Date.now() - started).toBeLessThan(5000); // not the 10 s staleness wait
  expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('after the crash');
});

test('a live run holding the lock (kept fresh) makes the next one wait, then give up with a clear error', async () => {
  const { cwd, out } = place();
  const release = await lock(out, { realpath: false, lockfilePath: join(cwd, '.out.fleet-lock'), update: 1000 });
  try {
    await expect(replaceFolder(out, write('x'), { cwd })).rejects.toThrow(/^--out out: another fleet run is writing it/);
  } finally {
    await release();
  }
  expect(readdirSync(cwd)).toEqual([]);
}, 60_000);

test('a fill that outlasts the lock\'s refresh interval keeps its lock (the pid file leaves the lock\'s mtime alone)', async () => {
  const { cwd, out } = place();
  // proper-lockfile refreshes the lock's mtime every 5 s and reads any other change as a take-over.
  const result = await replaceFolder(out, async (dir) => {
    await new Promise((done) => setTimeout(done, 6_000));
    writeFileSync(join(dir, 'result.txt'), 'slow');
    return 'done';
  }, { cwd });
  expect(result).toBe('done');
  expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('slow');
}, 20_000);
