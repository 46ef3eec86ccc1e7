import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, validateCustomerTexts, loadCustomers, type ValidationIssue } from '../../customers/load';
import { main } from '../../cli/fleet';
import { CUSTOMERS_DIR, NOW, exampleJson } from '../support/specs';

const FILE = 'acme-retail-prod.json';

/** Validates the acme-retail-prod example after `change` edits its JSON. */
function issuesAfter(change: (raw: any) => void, file = FILE): ValidationIssue[] {
  const raw = exampleJson(FILE);
  change(raw);
  return validateCustomerTexts([{ file, text: JSON.stringify(raw, null, 2) }], { now: NOW }).issues;
}

describe('customer file validation', () => {
  test('the example customers are valid', () => {
    const { customers, issues } = loadCustomers(CUSTOMERS_DIR, { now: NOW });
    expect(issues.map(formatIssue)).toEqual([]);
    expect(customers.length).toBeGreaterThanOrEqual(4);
  });

  test('malformed JSON names the line and column', () => {
    const { issues } = validateCustomerTexts([{ file: FILE, text: '{\n  "id": "acme-retail",\n  "name": \n}' }], { now: NOW });
    expect(issues[0]).toMatchObject({ file: FILE, expected: 'valid JSON' });
    expect(issues[0].got).toMatch(/line 4, column 1/);
  });

  test('a missing field says it is missing', () => {
    const [issue] = issuesAfter((raw) => delete raw.alerts);
    expect(issue).toMatchObject({ path: 'alerts', got: 'nothing (the field is missing)' });
  });

  test('a malformed ARN shows the expected shape', () => {
    const [issue] = issuesAfter((raw) => (raw.operators.principals = ['arn:aws:iam::12345:role/x']));
    expect(issue.path).toBe('operators.principals.0');
    expect(issue.expected).toMatch(/IAM principal ARN/);
    expect(issue.hint).toMatch(/arn:aws:iam::123456789012:role/);
    // A value that fails a pattern is never echoed: it may be a credential pasted into the wrong field.
    expect(issue.got).toBe('a 25-character string that does not match (not shown)');
  });

  test('a malformed certificate ARN is caught in the SSL section', () => {
    const [issue] = issuesAfter((raw) => (raw.collector.ssl = { certificate: 'existing', certificateArn: 'arn:aws:acm:eu-west-1:210987654321:certificate/nope' }));
    expect(issue.path).toBe('collector.ssl.certificateArn');
    expect(issue.expected).toMatch(/ACM certificate ARN/);
  });

  test('a TLS policy below 1.2 is not accepted', () => {
    const [issue] = issuesAfter((raw) => (raw.collector.ssl.policy = 'ELBSecurityPolicy-2016-08'));
    expect(issue.path).toBe('collector.ssl.policy');
    expect(issue.expected).toMatch(/^one of "ELBSecurityPolicy-TLS13/);
  });

  test('an unknown field is named with a hint', () => {
    const [issue] = issuesAfter((raw) => (raw.colector = {}));
    expect(issue.got).toBe('unknown field(s) "colector"');
    expect(issue.hint).toMatch(/spelling/);
  });

  test('a version that is not an exact semver pin', () => {
    const [issue] = issuesAfter((raw) => (raw.components.enrich.version = '^6.0'));
    expect(issue).toMatchObject({ path: 'components.enrich.version', got: 'a 4-character string that does not match (not shown)' });
    expect(issue.hint).toMatch(/exact release/);
  });

  test('an unknown component version is reported with the catalog hint', () => {
    const raw = exampleJson(FILE);
    const { issues } = validateCustomerTexts([{ file: FILE, text: JSON.stringify(raw) }], {
      now: NOW,
      checkVersion: (component, version) => (component === 'enrich' && version === '6.0.0' ? 'known enrich versions near 6.0.0: 5.3.0, 6.1.0' : undefined),
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'components.enrich.version', hint: 'known enrich versions near 6.0.0: 5.3.0, 6.1.0' })]);
  });

  test('an approved grant past its expiry is a warning, not an error (test/customers/grant-expiry.test.ts)', () => {
    expect(issuesAfter((raw) => (raw.accessGrants[0].expires = '2026-11-26'))).toEqual([]);
  });

  test('a value that looks like a secret is reported without echoing it', () => {
    const key = '-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
    const issues = issuesAfter((raw) => (raw.components['snowflake-streaming-loader'].settings.privateKey = key));
    const issue = issues.find((i) => i.path === 'components.snowflake-streaming-loader.settings.privateKey')!;
    expect(issue.got).toMatch(/looks like a secret \(private key block\)/);
    expect(issues.map(formatIssue).join('\n')).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  test('a password field in settings is a secret even when short', () => {
    const issues = issuesAfter((raw) => (raw.components['snowflake-streaming-loader'].settings.password = 'hunter2'));
    expect(issues.some((i) => i.path.endsWith('settings.password') && /secret/.test(i.got))).toBe(true);
  });

  test('duplicate customer id and environment across files', () => {
    const text = readFileSync(join(CUSTOMERS_DIR, FILE), 'utf8');
    const { issues } = validateCustomerTexts(
      [
        { file: FILE, text },
        { file: 'copy/acme-retail-prod.json', text },
      ],
      { now: NOW },
    );
    expect(issues).toEqual([expect.objectContaining({ file: 'copy/acme-retail-prod.json', path: 'id', hint: expect.stringMatching(/same stack/) })]);
  });

  test('the file name must match <id>-<environment>.json', () => {
    const [issue] = issuesAfter(() => {}, 'acme.json');
    expect(issue.hint).toBe('rename the file to acme-retail-prod.json');
  });

  test('exactly one warehouse loader', () => {
    const [issue] = issuesAfter((raw) => (raw.components['rdb-loader'] = raw.components['snowflake-streaming-loader']));
    expect(issue.path).toBe('components');
    expect(issue.hint).toMatch(/snowflake-streaming-loader and rdb-loader/);
  });

  test('provisioned streams need shard counts', () => {
    const [issue] = issuesAfter((raw) => delete raw.streams.shards);
    expect(issue.path).toBe('streams.shards');
  });

  test('a bad time zone and a freeze that ends before it starts', () => {
    const issues = issuesAfter((raw) => {
      raw.maintenance.timezone = 'Europe/Londres';
      raw.freezes[0].end = '2026-11-01';
    });
    expect(issues.map((i) => i.path)).toEqual(['maintenance.timezone', 'freezes.0.end']);
  });

  test('a hold on a component the environment does not run', () => {
    const [issue] = issuesAfter((raw) => (raw.rollout = { holds: [{ component: 'bigquery-loader', reason: 'not here' }] }));
    expect(issue.path).toBe('rollout.holds.0.component');
  });

  test('every problem is reported at once', () => {
    const issues = issuesAfter((raw) => {
      raw.aws.accountId = '123';
      raw.alerts.contacts = ['not-an-email'];
      raw.components.collector.sizing.minSize = 0;
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['alerts.contacts.0', 'aws.accountId', 'components.collector.sizing.minSize']);
  });
});

describe('fleet validate', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd() });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('exits 0 on the examples', async () => {
    const r = await run(['validate', '--customers', CUSTOMERS_DIR, '--at', '2026-11-27']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/customer environment\(s\) valid/);
  });

  test('exits 1 and prints file, field, expected, got and hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'customers-'));
    cpSync(CUSTOMERS_DIR, dir, { recursive: true });
    const raw = exampleJson(FILE) as any;
    raw.aws.region = 'Ireland';
    writeFileSync(join(dir, FILE), JSON.stringify(raw));
    const r = await run(['validate', '--customers', dir, '--at', '2026-11-27']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, FILE)}: aws.region: expected an AWS region such as eu-west-1, got a 7-character string that does not match (not shown)`);
  });

  test('rejects a malformed --at', async () => {
    const r = await run(['validate', '--at', '27/11/2026']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--at expects a date as YYYY-MM-DD/);
  });
});
