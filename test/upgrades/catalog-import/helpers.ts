/** A scratch folder per test, a copy of the real catalog to import into, and the CLI in-process. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/fleet';
import { ROOT } from '../fixtures';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'upstream');

let dir = '';
/** The current test's scratch folder (made before each test, removed after). */
export const scratch = (): string => dir;

export function useScratch(): void {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-import-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
}

/** A scratch copy of the real catalog with some real releases taken out, for the import to find again. */
export function catalogWithout(component: string, versions: readonly string[]): string {
  const catalogDir = mkdtempSync(join(dir, 'catalog-'));
  const real = join(ROOT, 'upgrades', 'catalog');
  for (const name of readdirSync(real).filter((n) => n.endsWith('.json'))) cpSync(join(real, name), join(catalogDir, name));
  const file = join(catalogDir, `${component}.json`);
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  raw.releases = raw.releases.filter((r: { version: string }) => !versions.includes(r.version));
  writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
  return catalogDir;
}

/** A file in the scratch folder. */
export function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export async function fleet(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export const osvFixture = (name: string): string => join(FIXTURES, 'osv', name);
