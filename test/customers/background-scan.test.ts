/**
 * A large fleet's secret scan runs on a worker thread (customers/background-scan.ts) in the
 * compiled CLI; the test runner, on TypeScript sources, scans in-process. Both must report the
 * same issues for the same files, secrets and broken files included, and never print a secret.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKGROUND_SCAN_MIN_FILES } from '../../customers/background-scan';
import { CUSTOMER_FILE, customerFiles, formatIssue, loadCustomers, validateCustomerTexts } from '../../customers/load';
import { checkParsed } from '../../customers/read-input';
import { parseStrictJson } from '../../customers/strict-json';
import { NOW, exampleJson } from '../support/specs';

/** One of each detector: the project's patterns, a value-shaped key, and secretlint's preset alone. */
const SECRETS: readonly [string, string][] = [
  ['an AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['a connection string with a password', 'postgres://loader:Tr0ub4dor3@db.internal:5432/snowplow'],
  ['a Slack webhook URL', 'https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/Zq8vR3kLm2Nx7Pw4Ty6Ub9Hc'],
  ['a secretlint-only token (Shopify)', 'shpat_0123456789abcdef0123456789abcdef'],
];

const ROOT = join(__dirname, '..', '..');
const COMPILED_LOAD = join(ROOT, 'dist', 'customers', 'load.js');

/** A fleet folder: copies of an example with their own ids, secrets in some, broken files among them. */
function fleetWithSecrets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'background-scan-'));
  const base = exampleJson('acme-retail-prod.json') as any;
  delete base.$schema;
  for (let i = 0; i < BACKGROUND_SCAN_MIN_FILES + 20; i++) {
    const raw = structuredClone(base);
    raw.id = `fleet-${String(i).padStart(4, '0')}`;
    if (i < SECRETS.length) raw.components['snowflake-streaming-loader'].settings.warehouse = SECRETS[i][1];
    let text = JSON.stringify(raw, null, 2);
    if (i === SECRETS.length) raw.roles[0].description = { 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY': 'x' };
    if (i === SECRETS.length) text = JSON.stringify(raw, null, 2);
    // A duplicate key next to a secret: refused for the key, and still scanned.
    if (i === SECRETS.length + 1) text = text.replace(/"name": ("[^"]*")/, '"name": $1, "name": "AKIAIOSFODNN7EXAMPLE"');
    if (i === SECRETS.length + 2) text = `${text.slice(0, 100)} ,,, ${text.slice(100)}`;
    writeFileSync(join(dir, `${raw.id}-prod.json`), text);
  }
  // Invalid UTF-8 among them.
  const bad = Buffer.from(JSON.stringify({ ...base, id: 'fleet-bad', name: 'Acme XX' }));
  bad[bad.indexOf('XX')] = 0xc3;
  writeFileSync(join(dir, 'fleet-bad-prod.json'), bad);
  return dir;
}

describe('secret scan on a worker thread', () => {
  let dir: string;
  beforeAll(() => {
    dir = fleetWithSecrets();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the compiled loader scans a large fleet on a worker and reports exactly what the in-process scan reports', () => {
    if (!existsSync(COMPILED_LOAD)) throw new Error('dist is missing: run `npm run build` first');
    const script = `
      const { readFileSync } = require('node:fs');
      const { scanInBackground } = require(${JSON.stringify(join(ROOT, 'dist', 'customers', 'background-scan.js'))});
      const { customerFiles, loadCustomers } = require(${JSON.stringify(COMPILED_LOAD)});
      const dir = process.argv[1];
      const probe = scanInBackground(customerFiles(dir).map((f) => readFileSync(f)));
      if (probe === undefined) throw new Error('no background scan in the compiled loader');
      probe.results();
      const r = loadCustomers(dir, { now: new Date(${JSON.stringify(NOW.toISOString())}) });
      process.stdout.write(JSON.stringify({ issues: r.issues, customers: r.customers.map((c) => c.file) }));
    `;
    const child = spawnSync(process.execPath, ['-e', script, dir], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const compiled = JSON.parse(child.stdout) as { issues: unknown[]; customers: string[] };
    const inProcess = loadCustomers(dir, { now: NOW });
    expect(compiled.issues).toEqual(inProcess.issues);
    expect(compiled.customers).toEqual(inProcess.customers.map((c) => c.file));
    // The fleet really holds what it should: a finding per planted secret, the key issue, the syntax and UTF-8 errors.
    const secretFindings = inProcess.issues.filter((i) => i.got.startsWith('a value that looks like a secret'));
    expect(secretFindings.length).toBeGreaterThanOrEqual(SECRETS.length + 2);
    expect(inProcess.issues.some((i) => i.expected === 'each field once per object')).toBe(true);
    expect(inProcess.issues.some((i) => i.expected === 'valid JSON')).toBe(true);
    expect(inProcess.issues.some((i) => i.expected === 'UTF-8 text')).toBe(true);
    const printed = JSON.stringify(compiled.issues);
    for (const [, secret] of SECRETS) expect(printed).not.toContain(secret.slice(-12));
    expect(printed).not.toContain('EXAMPLEKEY');
    expect(readdirSync(dir)).toHaveLength(customerFiles(dir).length);
  });

  test('a scan that failed elsewhere fails the file closed, with no other issue hiding it', () => {
    const text = JSON.stringify(exampleJson('acme-retail-prod.json'));
    const parsed = parseStrictJson('acme-retail-prod.json', text);
    const checked = checkParsed('acme-retail-prod.json', parsed, CUSTOMER_FILE, { scan: new Error('the secret scan failed: no answer within 60 s') });
    expect(checked.issues).toEqual([expect.objectContaining({ expected: 'a completed secret scan', got: 'the secret scan failed: no answer within 60 s' })]);
    // The same file checked normally has no issue at all.
    expect(validateCustomerTexts([{ file: 'acme-retail-prod.json', text }], { now: NOW }).issues.map(formatIssue)).toEqual([]);
  });
});
