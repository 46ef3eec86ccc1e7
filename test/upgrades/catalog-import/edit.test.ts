import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modify } from 'jsonc-parser';
import { applyProposal } from '../../../upgrades/catalog/import/edit';
import { compareVersions } from '../../../upgrades/catalog/version';
import { catalogWithout, useScratch } from './helpers';

jest.mock('jsonc-parser', () => {
  const actual = jest.requireActual('jsonc-parser');
  return { ...actual, modify: jest.fn(actual.modify) };
});

useScratch();

describe('inserting new releases', () => {
  test('in one pass, each where modify would put it: the file reads as if written whole', () => {
    const catalogDir = catalogWithout('enrich', ['3.3.1', '3.3.2', '6.12.0', '6.13.0', '6.13.1']);
    const file = join(catalogDir, 'enrich.json');
    const text = readFileSync(file, 'utf8');
    const raw = JSON.parse(text);
    const release = (version: string, date: string) => ({ version, date, kinds: ['bug' as const], summary: 'Fix a crash', advisories: [], source: 'import: test' });
    const added = [release('3.3.1', '2022-09-06'), release('3.3.2', '2022-09-15'), release('6.12.0', '2026-07-27'), release('6.13.0', '2026-08-01'), release('6.14.0', '2026-09-01')];
    const after = applyProposal(text, { added, advisoriesAdded: [], severityChanges: [], conflicts: [], unclassified: [], unmatched: [], tooOld: [] });
    const releases = [...raw.releases, ...added].sort((a: { version: string }, b: { version: string }) => compareVersions(a.version, b.version));
    expect(after).toBe(`${JSON.stringify({ ...raw, releases }, null, 2)}\n`);
    // One pass: no per-release modify, each of which re-reads the whole file (quadratic).
    expect(modify).not.toHaveBeenCalled();
  });
});
