import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, validateCustomerTexts, type ValidationIssue } from '../../customers/load';
import { secretReason } from '../../customers/secret-detector';
import { ELB_TLS_POLICIES } from '../../customers/schema';
import { main } from '../../cli/fleet';
import { validateCatalogTexts } from '../../upgrades/catalog/load';
import { validatePolicyText } from '../../upgrades/policy';
import { parseState } from '../../upgrades/rollout/state';
import { CUSTOMERS_DIR, NOW, exampleJson } from '../support/specs';

const FILE = 'acme-retail-prod.json';
const catalogJson = (): any => JSON.parse(readFileSync(join(__dirname, '..', '..', 'upgrades', 'catalog', 'enrich.json'), 'utf8'));

/** Secrets of every shape the issue names, as they are pasted in real life. */
export const SECRETS: readonly [string, string][] = [
  ['an AWS secret access key (AWS\'s documented example)', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['an AWS access key id (AWS\'s documented example)', 'AKIAIOSFODNN7EXAMPLE'],
  ['a Slack webhook URL', 'https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/Zq8vR3kLm2Nx7Pw4Ty6Ub9Hc'],
  ['a 40-hex key', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b'],
  ['a PEM body without its BEGIN line', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj'],
  ['PGPASSWORD=...', 'PGPASSWORD=Tr0ub4dor3'],
  ['a connection string with a password', 'postgres://loader:Tr0ub4dor3@db.internal:5432/snowplow'],
  ['an ADO-style connection string', 'Server=db.internal;User Id=loader;Password=Tr0ub4dor3;'],
  ['a secretlint-only token (Shopify)', 'shpat_0123456789abcdef0123456789abcdef'],
];

function validate(raw: unknown): ValidationIssue[] {
  return validateCustomerTexts([{ file: FILE, text: JSON.stringify(raw, null, 2) }], { now: NOW }).issues;
}

/** Places `secret` in each kind of string field the issue names. */
const PLACES: readonly [string, (raw: any, secret: string) => void, string][] = [
  ['settings', (raw, s) => (raw.components['snowflake-streaming-loader'].settings.warehouse = s), 'components.snowflake-streaming-loader.settings.warehouse'],
  ['a role description', (raw, s) => (raw.roles[0].description = s), 'roles.0.description'],
  ['a hold reason', (raw, s) => (raw.rollout = { ring: 2, holds: [{ component: 'enrich', reason: s }] }), 'rollout.holds.0.reason'],
  ['a freeze reason', (raw, s) => (raw.freezes[0].reason = s), 'freezes.0.reason'],
  ['an array', (raw, s) => (raw.components['snowflake-streaming-loader'].settings.warehouse = [s]), 'components.snowflake-streaming-loader.settings.warehouse.0'],
  ['an object', (raw, s) => (raw.components['snowflake-streaming-loader'].settings.warehouse = { key: s }), 'components.snowflake-streaming-loader.settings.warehouse.key'],
];

describe('secrets in customer files', () => {
  describe.each(SECRETS)('%s', (_name, secret) => {
    test.each(PLACES)('in %s is refused and never printed', (_place, put, path) => {
      const raw = exampleJson(FILE);
      put(raw, secret);
      const issues = validate(raw);
      expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, got: expect.stringMatching(/^a value that looks like a secret \(/) })]));
      const printed = issues.map(formatIssue).join('\n');
      expect(printed).not.toContain(secret);
      // Nor a recognisable part of it.
      expect(printed).not.toContain(secret.slice(-12));
    });
  });

  test('an array holding a secret is described, not echoed, by the type error ("expected a string, got [...]")', () => {
    const issues = validate({ ...exampleJson(FILE), name: ['AKIAIOSFODNN7EXAMPLE'] });
    expect(issues.find((i) => i.path === 'name')).toMatchObject({ got: 'an array of 1 item(s)' });
    expect(issues.map(formatIssue).join('\n')).not.toContain('AKIA');
  });

  test('a value no detector knows is not echoed by the pattern error it fails', () => {
    const raw = exampleJson(FILE) as any;
    raw.aws.region = 'correct horse battery staple';
    raw.operators.externalId = 'Zk!9@pass word';
    const printed = validate(raw).map(formatIssue).join('\n');
    expect(printed).toMatch(/aws\.region: expected an AWS region such as eu-west-1, got a 28-character string that does not match \(not shown\)/);
    expect(printed).not.toContain('horse');
    expect(printed).not.toContain('Zk!9');
  });

  test('a secret used as a field name is refused and not printed', () => {
    const raw = exampleJson(FILE) as any;
    raw.components.collector.settings = { 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY': 'x' };
    const issues = validate(raw);
    expect(issues[0].got).toMatch(/a field name: AWS secret access key/);
    expect(issues.map(formatIssue).join('\n')).not.toContain('EXAMPLEKEY');
  });

  test.each(ELB_TLS_POLICIES)('the TLS policy name %s is not a secret', (policy) => {
    const raw = exampleJson(FILE) as any;
    raw.collector.ssl.policy = policy;
    expect(validate(raw)).toEqual([]);
  });

  test.each([
    'arn:aws:iam::210987654321:policy/pipeline-boundary',
    'arn:aws:acm:eu-west-1:210987654321:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
    'vpc-0a1b2c3d4e5f60718',
    'subnet-0a11aa11aa11aa111',
    'ELBSecurityPolicy-TLS13-1-3-2021-06',
    'snowflake-private-key',
    'projects/helios-media-prod/regions/europe-west1/subnetworks/pipeline',
    'Z0ACMERETAIL01',
    'The password reset token is rotated by the customer',
  ])('the known identifier or prose %s is not flagged', (value) => {
    expect(secretReason(value)).toBeUndefined();
  });

  test('40 hex digits are a key wherever a file does not declare the field an identifier (only the deploy record does)', () => {
    const sha = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';
    expect(secretReason(sha, 'commit')).toBe('40-hex key');
    expect(secretReason(sha, 'warehouse')).toBe('40-hex key');
  });
});

describe('secrets in the catalog, the policy and the rollout state', () => {
  const SLACK = SECRETS[2][1];

  test('a release note in the catalog', () => {
    const raw = catalogJson();
    raw.releases[0].note = `alerts to ${SLACK}`;
    const { issues } = validateCatalogTexts([{ file: 'upgrades/catalog/enrich.json', text: JSON.stringify(raw) }]);
    expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'releases.0.note', expected: 'no secret values in the release catalog' })]));
    expect(issues.map(formatIssue).join('\n')).not.toContain('Zq8vR3kLm2Nx7Pw4Ty6Ub9Hc');
  });

  test('a string in the policy', () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', '..', 'upgrades', 'policy.json'), 'utf8'));
    raw.waves.stages[0].name = 'PGPASSWORD=Tr0ub4dor3';
    const { policy, issues } = validatePolicyText('upgrades/policy.json', JSON.stringify(raw));
    expect(policy).toBeUndefined();
    expect(issues[0]).toMatchObject({ path: 'waves.stages.0.name', expected: 'no secret values in the upgrade policy' });
    expect(issues.map(formatIssue).join('\n')).not.toContain('Tr0ub4dor3');
  });

  test('a forced reason in the rollout state', () => {
    const state = { formatVersion: 1, plan: { generatedFor: '2026-11-27', digest: 'abc' }, startedAt: '2026-11-27T00:00:00Z', waves: {}, previous: [], note: SECRETS[0][1] };
    const { state: read, issues } = parseState('rollout/state.json', JSON.stringify(state));
    expect(read).toBeUndefined();
    expect(issues.map((i) => i.path)).toContain('note');
    expect(issues.map(formatIssue).join('\n')).not.toContain('EXAMPLEKEY');
  });
});

describe('a secret never reaches synthesized or planned output', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd() });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test.each([
    ['synth', (dir: string, out: string) => ['synth', '--customers', dir, '--out', join(out, 'cdktf.out'), '--at', '2026-11-27'], 'cdktf.out'],
    ['upgrades plan', (dir: string, out: string) => ['upgrades', 'plan', '--customers', dir, '--json', '--out', join(out, 'plan.json'), '--md', join(out, 'plan.md'), '--at', '2026-11-27'], 'plan.json'],
  ])('fleet %s refuses a hold reason holding a Slack webhook, writes nothing and does not print it', async (_name, args, written) => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-customers-'));
    const out = mkdtempSync(join(tmpdir(), 'secret-out-'));
    try {
      cpSync(CUSTOMERS_DIR, dir, { recursive: true });
      const raw = exampleJson(FILE) as any;
      raw.rollout = { ring: 2, holds: [{ component: 'enrich', reason: `ask in ${SECRETS[2][1]}` }] };
      writeFileSync(join(dir, FILE), JSON.stringify(raw, null, 2));
      const r = await run(args(dir, out));
      expect(r.code).toBe(1);
      expect(r.err).toContain('rollout.holds.0.reason: expected no secret values in customer files');
      expect(`${r.out}\n${r.err}`).not.toContain('hooks.slack.com');
      expect(existsSync(join(out, written))).toBe(false);
      // Nothing else either (plan.md, a temporary file).
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});

test('a secret used as a requirement name in the catalog is not printed by the requirement check', () => {
  const raw = catalogJson();
  raw.releases[0].requires = { 'PGPASSWORD=Tr0ub4dor3': '>=1.0.0' };
  const { issues } = validateCatalogTexts([{ file: 'upgrades/catalog/enrich.json', text: JSON.stringify(raw) }]);
  expect(issues.some((i) => /looks like a secret/.test(i.got))).toBe(true);
  expect(issues.map(formatIssue).join('\n')).not.toContain('Tr0ub4dor3');
});
