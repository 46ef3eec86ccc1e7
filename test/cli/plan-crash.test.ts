/**
 * kill -9 at every rename of `fleet upgrades plan --out plan.json --md plan.md` (strace injects
 * SIGKILL at the N-th rename): afterwards both files are the old plan, or a journal is beside
 * them that `fleet rollout` refuses to read past and that the next write completes to the new
 * plan, both files, with nothing left behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeWrite } from '../../files/write-journal';
import { fleet, killedAtRename, scratchRepo, STRACE } from './built-cli';

const OUT = ['--json', '--out', 'plan/upgrade-plan.json', '--md', 'plan/upgrade-plan.md'];
const plan = (at: string) => ['upgrades', 'plan', '--at', at, ...OUT];

const files = (dir: string) => ['json', 'md'].map((ext) => readFileSync(join(dir, 'plan', `upgrade-plan.${ext}`), 'utf8'));
const litter = (dir: string) => readdirSync(join(dir, 'plan')).filter((f) => f.startsWith('.'));
/** A kill leaves the run's lock (and its pid) too; the next run finds the pid dead and takes the lock over. */
const unlocked = (names: string[]) => names.filter((f) => !/\.fleet-lock(?:\.pid)?$/.test(f));

(existsSync(STRACE) ? describe : describe.skip)('fleet upgrades plan killed at any rename', () => {
  test('both files old, or a journal that fleet rollout refuses and the next write completes to both new', () => {
    const dir = scratchRepo('fleet-plan-crash-');
    expect(fleet(dir, plan('2026-11-28')).code).toBe(0);
    const after = files(dir);
    expect(fleet(dir, plan('2026-11-27')).code).toBe(0);
    const before = files(dir);
    expect(after).not.toEqual(before);

    const outcomes: string[] = [];
    let n = 1;
    for (; killedAtRename(dir, n, plan('2026-11-28')); n++) {
      if (litter(dir).some((f) => f.endsWith('.fleet-write'))) {
        const status = fleet(dir, ['rollout', 'status', '--plan', 'plan/upgrade-plan.json']);
        expect({ n, code: status.code, err: status.err }).toEqual({ n, code: 1, err: expect.stringMatching(/write was interrupted.*run `fleet upgrades plan` again/) });
        expect(completeWrite(join(dir, 'plan', 'upgrade-plan.json'))).toBe(true);
        expect({ n, files: files(dir) }).toEqual({ n, files: after });
        outcomes.push('completed');
      } else {
        expect({ n, files: files(dir) }).toEqual({ n, files: before });
        outcomes.push('old');
      }
      // Only temporary files (ours, and write-file-atomic's for a journal) may be left; the next write removes them.
      expect({ n, litter: unlocked(litter(dir)).filter((f) => !/\.fleet-tmp$|\.fleet-write\.\d+$/.test(f)) }).toEqual({ n, litter: [] });
      expect(fleet(dir, plan('2026-11-27')).code).toBe(0);
      expect({ n, files: files(dir), litter: litter(dir) }).toEqual({ n, files: before, litter: [] });
    }
    // Two journals, then two files: killed at each of the four renames, once before the journals were whole.
    expect(outcomes).toEqual(['old', 'completed', 'completed', 'completed']);
  });
});

(existsSync(STRACE) ? describe : describe.skip)('fleet upgrades plan --json --out, one file written in pieces, killed at its rename', () => {
  test('the old plan stays whole, only our temporary file is left, and the next write removes it', () => {
    const dir = scratchRepo('fleet-plan-crash-one-');
    const one = (at: string) => ['upgrades', 'plan', '--at', at, '--json', '--out', 'plan/upgrade-plan.json'];
    const json = () => readFileSync(join(dir, 'plan', 'upgrade-plan.json'), 'utf8');
    expect(fleet(dir, one('2026-11-28')).code).toBe(0);
    const after = json();
    expect(fleet(dir, one('2026-11-27')).code).toBe(0);
    const before = json();
    expect(after).not.toBe(before);

    expect(killedAtRename(dir, 1, one('2026-11-28'))).toBe(true);
    expect(json()).toBe(before);
    expect(unlocked(litter(dir))).toEqual([expect.stringMatching(/^\.upgrade-plan\.json\.\d+\.fleet-tmp$/)]);
    // No journal for one file: its one rename is the whole write.
    expect(killedAtRename(dir, 2, one('2026-11-28'))).toBe(false);
    expect({ json: json(), litter: litter(dir) }).toEqual({ json: after, litter: [] });
  });
});
