import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { formatIssue, loadCustomers, validateCustomerTexts, type ValidationIssue } from '../../customers/load';
import { customerSchema } from '../../customers/schema';
import { componentCatalogSchema } from '../../upgrades/catalog/schema';
import { policySchema, validatePolicyText } from '../../upgrades/policy';
import { metricsFileSchema } from '../../upgrades/rollout/metrics';
import { parseState } from '../../upgrades/rollout/state';
import { validateCatalogTexts } from '../../upgrades/catalog/load';
import { CUSTOMERS_DIR, NOW, exampleJson } from '../support/specs';

const FILE = 'acme-retail-prod.json';
const GCP_FILE = 'helios-media-prod.json';
const acme = (): string => JSON.stringify(exampleJson(FILE), null, 2);

function check(text: string | Uint8Array, file = FILE): ValidationIssue[] {
  return validateCustomerTexts([{ file, text }], { now: NOW }).issues;
}

function issuesAfter(change: (raw: any) => void, file = FILE): ValidationIssue[] {
  const raw = exampleJson(file);
  change(raw);
  return check(JSON.stringify(raw, null, 2), file);
}

/** Every object schema reachable from `schema` that lets unknown keys through, by path. */
function looseObjects(schema: z.ZodTypeAny, path = '(root)', seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as any)._zod.def;
  switch (def.type) {
    case 'object': {
      const strict = def.catchall?._zod.def.type === 'never';
      const own = strict ? [] : [path];
      return [...own, ...Object.entries(def.shape).flatMap(([k, v]) => looseObjects(v as z.ZodTypeAny, `${path}.${k}`, seen))];
    }
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return looseObjects(def.innerType, path, seen);
    case 'array':
      return looseObjects(def.element, `${path}[]`, seen);
    case 'record':
      return looseObjects(def.valueType, `${path}{}`, seen);
    case 'union':
      return def.options.flatMap((o: z.ZodTypeAny) => looseObjects(o, path, seen));
    case 'pipe':
      return [...looseObjects(def.in, path, seen), ...looseObjects(def.out, path, seen)];
    case 'intersection':
      return [...looseObjects(def.left, path, seen), ...looseObjects(def.right, path, seen)];
    default:
      return [];
  }
}

describe('strict input: every nested object', () => {
  test.each([
    ['customer files (AWS and GCP)', customerSchema],
    ['catalog files', componentCatalogSchema],
    ['the policy', policySchema],
    ['rollout metrics', metricsFileSchema],
  ])('%s allow no unknown field at any depth', (_name, schema) => {
    expect(looseObjects(schema as z.ZodTypeAny)).toEqual([]);
  });

  test.each([
    ['aws.permissionBoundaryArn', (raw: any) => (raw.aws.permissionBoundaryArn = raw.aws.permissionsBoundaryArn), 'aws'],
    ['stateBackend.dynamoDBTable', (raw: any) => (raw.stateBackend.dynamoDBTable = 'fleet-locks'), 'stateBackend'],
    ['sizing.maxsize', (raw: any) => (raw.components.enrich.sizing.maxsize = 20), 'components.enrich.sizing'],
    ['network typo', (raw: any) => (raw.network.privateSubnetID = 'subnet-0d44dd44dd44dd444'), 'network'],
    ['ssl typo', (raw: any) => (raw.collector.ssl.polcy = 'x'), 'collector.ssl'],
    ['hold typo', (raw: any) => (raw.rollout = { holds: [{ component: 'enrich', reason: 'customer asked', untill: '2027-01-01' }] }), 'rollout.holds.0'],
  ])('a typo in a nested AWS field (%s) is an error, not silently dropped', (_name, change, path) => {
    const issues = issuesAfter(change);
    expect(issues).toEqual([expect.objectContaining({ path, expected: 'only the fields the schema defines', hint: expect.stringMatching(/spelling/) })]);
  });

  test('a typo in a nested GCP field is an error too', () => {
    const issues = issuesAfter((raw) => (raw.alerts.thresholds.http5xxPercnt = 3), GCP_FILE);
    expect(issues).toEqual([expect.objectContaining({ path: 'alerts.thresholds', got: 'unknown field(s) "http5xxPercnt"' })]);
  });
});

describe('strict input: what JSON.parse would let through', () => {
  test('a duplicate key is named with its line, whichever copy is valid', () => {
    const text = acme().replace('"region": "eu-west-1",', '"region": "eu-west-1",\n    "region": "us-east-1",');
    const issues = check(text);
    expect(issues).toHaveLength(1);
    expect(formatIssue(issues[0])).toMatch(/^acme-retail-prod\.json: aws\.region: expected each field once per object, got a second copy of the field on line 10, column 5 \(hint: remove one/);
  });

  test('a secret in the copy of a repeated field that JSON.parse drops is still found, and not printed', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    // JSON.parse keeps the last copy; the secret is in the first, nested one level down.
    const text = acme().replace('"region": "eu-west-1",', `"region": "${secret}",\n    "region": "eu-west-1",`);
    const issues = check(text);
    expect(issues).toEqual([
      expect.objectContaining({ path: 'aws.region', expected: 'each field once per object' }),
      expect.objectContaining({ path: 'aws.region', got: 'a value that looks like a secret (AWS secret access key)' }),
    ]);
    expect(issues.map(formatIssue).join('\n')).not.toContain('EXAMPLEKEY');
    // In a repeated field's own earlier copy of an object too.
    const nested = acme().replace('"aws": {', `"aws": { "region": { "token": "${secret}" } },\n  "aws": {`);
    expect(check(nested).some((i) => i.path === 'aws.region.token' && i.got.startsWith('a value that looks like a secret'))).toBe(true);
  });

  test('a duplicate key in the catalog and the policy is refused as well', () => {
    const policy = validatePolicyText('upgrades/policy.json', '{"majorsNeedApproval": true, "majorsNeedApproval": false}');
    expect(policy.issues[0]).toMatchObject({ path: 'majorsNeedApproval', expected: 'each field once per object' });
    const catalog = validateCatalogTexts([{ file: 'enrich.json', text: '{"component": "enrich", "component": "collector"}' }]);
    expect(catalog.issues[0]).toMatchObject({ file: 'enrich.json', path: 'component', expected: 'each field once per object' });
  });

  test.each(['__proto__', 'constructor', 'prototype'])('a "%s" key is refused, and its contents do not hide from the secret scan', (key) => {
    const text = acme().replace('"ring": 2', `"ring": 2, "${key}": { "note": "AKIAIOSFODNN7EXAMPLE" }`);
    const issues = check(text);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([`rollout.${key}`, `rollout.${key}.note`]));
    expect(issues.find((i) => i.path === `rollout.${key}`)).toMatchObject({ expected: 'plain field names', hint: expect.stringMatching(/remove it/) });
    expect(issues.find((i) => i.path === `rollout.${key}.note`)?.got).toMatch(/looks like a secret/);
    expect(issues.map(formatIssue).join('\n')).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  test('a byte-order mark is named as such, with the fix', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(acme())]);
    expect(check(bytes)).toEqual([expect.objectContaining({ got: 'a byte-order mark (BOM) at the start', hint: 'save the file as UTF-8 without BOM' })]);
    expect(check(`\uFEFF${acme()}`)).toEqual([expect.objectContaining({ got: 'a byte-order mark (BOM) at the start' })]);
  });

  test('invalid UTF-8 is refused and its line named', () => {
    const text = Buffer.from(acme().replace('"Acme Retail"', '"Acme XX Retail"'));
    const at = text.indexOf('XX');
    text[at] = 0xc3;
    text[at + 1] = 0x28;
    expect(check(text)).toEqual([expect.objectContaining({ expected: 'UTF-8 text', got: 'bytes that are not UTF-8 on line 4', hint: 'save the file as UTF-8' })]);
  });

  test('10,000-deep nesting is one line, not a stack overflow', () => {
    const text = acme().replace('"ring": 2', `"ring": 2, "deep": ${'['.repeat(10000)}${']'.repeat(10000)}`);
    const issues = check(text);
    expect(issues).toEqual([expect.objectContaining({ expected: 'objects and arrays nested at most 64 deep', hint: expect.stringMatching(/flatten/) })]);
  });

  test('deep nesting that is also broken JSON is the depth issue, not a stack overflow in the syntax report', () => {
    const text = acme().replace('"ring": 2', `"ring": 2, "deep": ${'[{"a":'.repeat(10000)} oops`);
    expect(check(text)).toEqual([expect.objectContaining({ expected: 'objects and arrays nested at most 64 deep', got: expect.stringMatching(/^deeper nesting on line \d+$/) })]);
  });

  test('nesting one level past the limit names the line it starts on; at the limit it is accepted', () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    // "ring" sits in the rollout object, level 2: n arrays inside it reach level 2 + n.
    const at = (n: number) => acme().replace('"ring": 2', `"ring": 2,\n"deep": ${nest(n)}`);
    const line = at(1).split('\n').findIndex((l) => l.startsWith('"deep"')) + 1;
    const deeper = check(at(63));
    expect(deeper).toEqual([expect.objectContaining({ got: `deeper nesting on line ${line}` })]);
    expect(check(at(62)).some((i) => i.expected.includes('nested at most'))).toBe(false);
  });

  test('a file above the size limit is refused before it is parsed', () => {
    const text = acme().replace('"Acme Retail"', JSON.stringify('x'.repeat(5 * 1024 * 1024)));
    expect(check(text)).toEqual([expect.objectContaining({ expected: 'a file of at most 4 MiB', hint: expect.stringMatching(/split the file/) })]);
  });

  test('a syntax error is one issue with line and column, whatever follows it', () => {
    const issues = check(`${acme().slice(0, 200)} ,,, ] } {{ ${acme()}`);
    expect(issues).toHaveLength(1);
    expect(issues[0].got).toMatch(/^[A-Za-z]+ at line \d+, column \d+$/);
  });

  test('the rollout state reader refuses duplicate keys', () => {
    const { issues } = parseState('rollout/state.json', '{"formatVersion": 1, "formatVersion": 1}');
    expect(issues[0]).toMatchObject({ path: 'formatVersion', expected: 'each field once per object' });
  });
});

describe('strict input: files on disk named like customer files', () => {
  const scratch = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'strict-customers-'));
    cpSync(CUSTOMERS_DIR, dir, { recursive: true });
    return dir;
  };

  test.each([
    ['a directory', (dir: string) => mkdirSync(join(dir, 'x-prod.json')), 'a directory'],
    ['a dangling symlink', (dir: string) => symlinkSync(join(dir, 'gone.json'), join(dir, 'x-prod.json')), 'a symlink whose target does not exist'],
    ['a symlink to a directory', (dir: string) => symlinkSync(tmpdir(), join(dir, 'x-prod.json')), 'a symlink to a directory'],
    // Never opened: opening a pipe for reading waits for a writer, and this test would hang.
    ['a named pipe', (dir: string) => execFileSync('mkfifo', [join(dir, 'x-prod.json')]), 'a named pipe'],
  ])('%s is one issue naming the file, and the other files are still checked', (_name, make, got) => {
    const dir = scratch();
    try {
      make(dir);
      const { customers, issues } = loadCustomers(dir, { now: NOW });
      expect(issues).toEqual([expect.objectContaining({ file: join(dir, 'x-prod.json'), expected: 'a readable customer file', got })]);
      expect(customers.length).toBeGreaterThanOrEqual(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a regular file over the size limit is one issue with its size, and it is not read', () => {
    const dir = scratch();
    try {
      writeFileSync(join(dir, 'x-prod.json'), ' '.repeat(4 * 1024 * 1024 + 1));
      const { issues } = loadCustomers(dir, { now: NOW });
      expect(issues).toEqual([expect.objectContaining({ file: join(dir, 'x-prod.json'), expected: 'a file of at most 4 MiB', got: `${4 * 1024 * 1024 + 1} bytes` })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a symlink to a valid customer file is read through', () => {
    const dir = scratch();
    try {
      const target = join(dir, 'elsewhere');
      mkdirSync(target);
      writeFileSync(join(target, FILE), acme());
      rmSync(join(dir, FILE));
      symlinkSync(join(target, FILE), join(dir, FILE));
      expect(loadCustomers(dir, { now: NOW }).issues).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
