import { runImport } from '../../../upgrades/catalog/import/run';
import { catalogWithout, scratch, useScratch, write } from './helpers';

useScratch();

const importInto = (component: 'enrich' | 'collector', changelog: string) =>
  runImport({ component, catalogDir: catalogWithout(component, []), source: { kind: 'changelog', file: write('CHANGELOG', changelog) }, osvFiles: [], ownPackages: [], since: '2022-01-01', cwd: scratch() });

describe('a new release in catalog form', () => {
  test('inherits the curated conditional requirements that hold from an earlier release on', () => {
    const result = importInto('enrich', 'Version 6.14.0 (2026-09-01)\n---\nAdd a CloudFront adapter (#400)\n');
    expect(result.problems).toEqual([]);
    const release = result.proposal!.added[0];
    expect(release.requiresWhen).toEqual([
      {
        feature: 'compression',
        requires: { 'bigquery-loader': '>=2.2.0', 'elasticsearch-loader': '>=3.0.0', 's3-loader': '>=3.2.0', 'snowflake-streaming-loader': '>=0.6.0' },
        source: 'releases-notes.md item 2: enrich 6-11-x upgrade guide and configuration reference',
      },
    ]);
    expect(result.diff).toContain('"requiresWhen": [');
    const collector = importInto('collector', '3.8.0 (2026-09-01)\n---\nAdd a CloudFront adapter (#400)\n');
    expect(collector.proposal!.added[0].requiresWhen).toEqual([expect.objectContaining({ feature: 'compression', requires: { enrich: '>=6.1.0' } })]);
  });

  test('a release below the rule\'s first release gets none', () => {
    const result = importInto('collector', '3.5.1 (2025-08-20)\n---\nFix a crash (#1)\n');
    expect(result.proposal!.added[0].requiresWhen).toBeUndefined();
  });

  test('a first entry over the summary limit is shortened, not lost', () => {
    const long = `Fix ${'a'.repeat(300)} crash (#1)`;
    const result = importInto('enrich', `Version 6.14.0 (2026-09-01)\n---\n${long}\nFix another crash (#2)\nFix a third crash (#3)\n`);
    const summary = result.proposal!.added[0].summary;
    expect(summary.startsWith('Fix aaaa')).toBe(true);
    expect(summary.endsWith('…; and 2 more')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(240);
  });
});
