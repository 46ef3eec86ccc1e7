/**
 * A fleet's files are checked one at a time and secretlint judges all their strings once at the
 * end (customers/check-files.ts). What it finds, or its failing to run, must still reach the one
 * file concerned (or every file, failing closed) exactly as if each file had been scanned alone.
 */
import { formatIssue, validateCustomerTexts, type LoadOptions } from '../../customers/load';
import * as secretlint from '../../customers/secretlint-scan';
import { NOW, exampleJson } from '../support/specs';

const SHOPIFY = 'shpat_0123456789abcdef0123456789abcdef';
const FILES = ['acme-retail-prod.json', 'acme-retail-staging.json', 'helios-media-prod.json', 'nordic-news-prod.json'];

function fleet(change: (file: string, raw: any) => void = () => {}) {
  return FILES.map((file) => {
    const raw = exampleJson(file);
    change(file, raw);
    return { file, text: Buffer.from(JSON.stringify(raw)) };
  });
}

const validate = <T>(inputs: ReturnType<typeof fleet>, opts: Partial<LoadOptions<T>> = {}) => validateCustomerTexts<T>(inputs, { now: NOW, ...opts });

afterEach(() => jest.restoreAllMocks());

describe('secretlint over a whole fleet', () => {
  test('a token only secretlint knows is refused in its own file, at its path, and the other files load', () => {
    const inputs = fleet((file, raw) => {
      if (file !== 'acme-retail-prod.json') return;
      raw.roles[0].description = SHOPIFY;
      // A principal off the allow-list: its message would quote the file's values, so it must not appear.
      raw.roles[0].assumedBy = ['arn:aws:iam::999999999999:role/not-trusted'];
    });
    const { customers, issues } = validate(inputs);
    expect(issues).toEqual([expect.objectContaining({ file: 'acme-retail-prod.json', path: 'roles.0.description', got: expect.stringMatching(/secretlint shopify/) })]);
    expect(issues.map(formatIssue).join('\n')).not.toContain(SHOPIFY.slice(-12));
    expect(customers.map((c) => c.file)).toEqual(FILES);
  });

  test('what a caller keeps of each spec is the same whether secretlint fires or not', () => {
    const keep = (spec: { id: string; environment: string }) => `${spec.id}/${spec.environment}`;
    const clean = validate(fleet(), { keep });
    const flagged = validate(
      fleet((file, raw) => {
        if (file === 'acme-retail-staging.json') raw.freezes = [{ start: '2026-12-20', end: '2027-01-04', reason: SHOPIFY }];
      }),
      { keep },
    );
    expect(clean.issues).toEqual([]);
    expect(flagged.issues.map((i) => `${i.file} ${i.path}`)).toEqual(['acme-retail-staging.json freezes.0.reason']);
    expect(flagged.customers.map((c) => c.spec)).toEqual(clean.customers.map((c) => c.spec));
    expect(clean.customers.map((c) => c.spec)).toEqual(['acme-retail/prod', 'acme-retail/staging', 'helios-media/prod', 'nordic-news/prod']);
  });

  test('when secretlint cannot run, every file fails closed', () => {
    const scan = jest.spyOn(secretlint, 'secretlintHits').mockImplementation(() => {
      throw new Error('secretlint did not answer within 60 s');
    });
    const { customers, issues } = validate(fleet());
    expect(scan).toHaveBeenCalledTimes(1);
    expect(issues.map((i) => `${i.file}: ${i.expected}: ${i.got}`)).toEqual(FILES.map((f) => `${f}: a completed secret scan: secretlint did not answer within 60 s`));
    expect(issues.every((i) => i.path === '')).toBe(true);
    // The specs still parse, but the issues stop every command that reads them.
    expect(customers.length).toBe(FILES.length);
  });
});
