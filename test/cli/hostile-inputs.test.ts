/**
 * Customer files a hostile tester wrote, through the built CLI: each is refused with a line
 * naming the file and field, exit 1, nothing written and no value that may be a secret printed;
 * or, where the value is legitimate (an Enrich maintenance backport), accepted and planned.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet, scratchRepo } from './built-cli';

const AT = ['--at', '2026-12-01'];
const KEY = 'AKIA2E0A8F3B244C9986';

function edit(dir: string, file: string, change: (spec: Record<string, any>) => void): void {
  const path = join(dir, 'customers', file);
  const spec = JSON.parse(readFileSync(path, 'utf8'));
  change(spec);
  writeFileSync(path, JSON.stringify(spec, null, 2));
}

describe('hostile customer files', () => {
  test('a secret in a version pin stops the plan (it is not an "unknown pin") and is never printed', () => {
    const dir = scratchRepo();
    edit(dir, 'acme-retail-prod.json', (s) => (s.components.collector.version = `3.4.0-${KEY}`));
    const r = fleet(dir, ['upgrades', 'plan', '--json', '--out', 'plan.json', '--md', 'plan.md', ...AT]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('acme-retail-prod.json: components.collector.version: expected no secret values in customer files');
    expect(r.out + r.err).not.toContain(KEY);
    expect(existsSync(join(dir, 'plan.json')) || existsSync(join(dir, 'plan.md'))).toBe(false);
  });

  test('a file holding only null is an error for that file, in validate and in plan', () => {
    const dir = scratchRepo();
    writeFileSync(join(dir, 'customers', 'globex-games-dev.json'), 'null\n');
    const v = fleet(dir, ['validate', ...AT]);
    expect(v.code).toBe(1);
    expect(v.out + v.err).toMatch(/globex-games-dev\.json: .*got null/);
    expect(fleet(dir, ['upgrades', 'plan', '--json', ...AT]).code).toBe(1);
  });

  test('$schema is secret-scanned and must be a relative path to a schema file', () => {
    const dir = scratchRepo();
    edit(dir, 'globex-games-dev.json', (s) => (s.$schema = `https://user:S3cr3tPassw0rd@example.com/${KEY}/customer.schema.json`));
    const r = fleet(dir, ['validate', ...AT]);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain('globex-games-dev.json: $schema: expected no secret values in customer files');
    expect(r.out + r.err).toContain('$schema: expected a relative path to a JSON schema file');
    expect(r.out + r.err).not.toContain(KEY);
    expect(r.out + r.err).not.toContain('S3cr3tPassw0rd');
  });

  test('a version number past what semver holds, or a long prerelease tag, is a field error, not a crash', () => {
    const dir = scratchRepo();
    edit(dir, 'acme-retail-prod.json', (s) => (s.components.collector.version = '3.99999999999999999999.0'));
    edit(dir, 'acme-retail-staging.json', (s) => (s.components.collector.version = '3.9.9-Tr0ub4dor-3xyz-correct-horse-battery'));
    for (const args of [['validate'], ['upgrades', 'plan', '--json']]) {
      const r = fleet(dir, [...args, ...AT]);
      expect(r.code).toBe(1);
      expect(r.err).not.toContain('unexpected error');
      expect(r.out + r.err).toContain('acme-retail-prod.json: components.collector.version: expected an exact version such as 3.4.0');
      expect(r.out + r.err).toContain('acme-retail-staging.json: components.collector.version: expected an exact version such as 3.4.0');
      expect(r.out + r.err).not.toContain('hunter');
      expect(r.out + r.err).not.toContain('correct-horse');
    }
  });

  test('an Enrich maintenance backport the catalog lists (3.6.0.2) is a valid pin, and is planned', () => {
    const dir = scratchRepo();
    edit(dir, 'globex-games-dev.json', (s) => (s.components.enrich.version = '3.6.0.2'));
    expect(fleet(dir, ['validate', ...AT]).code).not.toBe(1);
    const r = fleet(dir, ['upgrades', 'plan', '--json', ...AT]);
    expect(r.code).toBe(0);
    const status = (JSON.parse(r.out) as { statuses: { stack: string; component: string; version: string; support: string }[] }).statuses.find((s) => s.stack === 'globex-games-dev' && s.component === 'enrich');
    expect(status).toMatchObject({ version: '3.6.0.2', support: 'unsupported' });
  });

  test('numbers out of range say the bound in words; 1e999 is not shown as null', () => {
    const dir = scratchRepo();
    edit(dir, 'globex-games-dev.json', (s) => (s.rollout.ring = 99));
    const big = fleet(dir, ['validate', ...AT]);
    expect(big.out + big.err).toContain('globex-games-dev.json: rollout.ring: expected a number at most 3, got 99 (hint: use a value at most 3)');
    const path = join(dir, 'customers', 'globex-games-dev.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"ring": 99', '"ring": 1e999'));
    const inf = fleet(dir, ['validate', ...AT]);
    expect(inf.out + inf.err).toContain('rollout.ring: expected a number, got Infinity (a number too large for JSON)');
  });

  test('grant reminders do not vanish at the end of year 9999, where ISO dates get six digits', () => {
    const dir = scratchRepo();
    const count = (at: string) => {
      const r = fleet(dir, ['validate', '--at', at]);
      return `${r.out}${r.err}`.split('\n').filter((l) => l.includes('accessGrants.')).length;
    };
    expect(count('9999-12-01')).toBeGreaterThan(0);
    expect(count('9999-12-30')).toBe(count('9999-12-01'));
  });

  test('catalog import --out can be run again over its own text output, and takes --force', () => {
    const dir = scratchRepo();
    const args = ['catalog', 'import', '--component', 'enrich', '--changelog', join(__dirname, '..', 'fixtures', 'upstream', 'enrich-CHANGELOG'), '--out', 'import.txt'];
    expect(fleet(dir, args).code).toBe(0);
    const again = fleet(dir, args);
    expect({ code: again.code, err: again.err }).toEqual({ code: 0, err: '' });
    writeFileSync(join(dir, 'import.txt'), 'my notes\n');
    expect(fleet(dir, args).err).toContain('exists and is not a catalog import proposal (text) that fleet wrote');
    expect(fleet(dir, [...args, '--force']).code).toBe(0);
  });

  test('catalog import lists the first 50 unmatched advisories and counts the rest, so the report stays readable', () => {
    const dir = scratchRepo();
    const osv = Array.from({ length: 60 }, (_, i) => {
      const file = join(dir, `a${i}.json`);
      const id = `CVE-2020-${String(10000 + i)}`;
      writeFileSync(file, JSON.stringify({ schema_version: '1.6.0', id, modified: '2024-01-01T00:00:00Z', summary: 'x', affected: [{ package: { ecosystem: 'Maven', name: `org.example:lib${i}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1' }] }] }] }));
      return ['--osv', file];
    }).flat();
    const r = fleet(dir, ['catalog', 'import', '--component', 'enrich', '--changelog', join(__dirname, '..', 'fixtures', 'upstream', 'enrich-CHANGELOG'), ...osv]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.includes('matches no release'))).toHaveLength(50);
    expect(r.out).toContain('  ... and 10 more unmatched advisories (--json lists them all)');
    const json = fleet(dir, ['catalog', 'import', '--component', 'enrich', '--changelog', join(__dirname, '..', 'fixtures', 'upstream', 'enrich-CHANGELOG'), ...osv, '--json']);
    expect((JSON.parse(json.out) as { unmatched: unknown[] }).unmatched).toHaveLength(60);
  });
});
