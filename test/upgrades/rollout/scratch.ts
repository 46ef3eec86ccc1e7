/** A scratch copy of the example customers and a way to run `fleet` in it (the CLI tests). */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/fleet';
import { CUSTOMERS_DIR } from './fixtures';

export function scratch(): { dir: string; run: (...args: string[]) => Promise<{ code: number; out: string; err: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-'));
  cpSync(CUSTOMERS_DIR, join(dir, 'customers'), { recursive: true });
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { dir, run };
}
