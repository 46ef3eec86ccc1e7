/**
 * kill -9 at the rename of a text `upgrades plan --out plan.txt` (one string, written by
 * write-file-atomic): the old plan stays, write-file-atomic's `plan.txt.<number>` is left, and the
 * next run removes it (a file of the user's with a similar name stays).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet, killedAtRename, scratchRepo, STRACE } from './built-cli';

(existsSync(STRACE) ? describe : describe.skip)('fleet upgrades plan --out plan.txt killed at its rename', () => {
  test('the next run removes the temporary file the kill left', () => {
    const dir = scratchRepo('fleet-text-crash-');
    const run = (at: string) => ['upgrades', 'plan', '--at', at, '--out', 'out/plan.txt'];
    expect(fleet(dir, run('2026-11-27')).code).toBe(0);
    const before = readFileSync(join(dir, 'out', 'plan.txt'), 'utf8');
    writeFileSync(join(dir, 'out', 'plan.txt.2'), 'mine\n');
    expect(killedAtRename(dir, 1, run('2026-12-01'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'plan.txt'), 'utf8')).toBe(before);
    const left = readdirSync(join(dir, 'out')).filter((f) => /^plan\.txt\.\d+$/.test(f) && f !== 'plan.txt.2');
    expect(left).toHaveLength(1);
    expect(fleet(dir, run('2026-12-01')).code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['plan.txt', 'plan.txt.2']);
    expect(readFileSync(join(dir, 'out', 'plan.txt'), 'utf8')).toMatch(/^Upgrade plan for 2026-12-01\n/);
  });
});
