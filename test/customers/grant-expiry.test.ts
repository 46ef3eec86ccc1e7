/**
 * Expired access grants warn instead of failing validation (they are no longer synthesized), and
 * grants ending within 14 days are listed so someone renews them; CI goes on either way.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRANT_RENEWAL_DAYS, validateCustomerTexts } from '../../customers/load';
import { main } from '../../cli/fleet';
import { CUSTOMERS_DIR, NOW, exampleJson } from '../support/specs';

const FILE = 'acme-retail-prod.json';

function withExpiry(expires: string): { issues: unknown[]; warnings: { path: string; hint?: string }[] } {
  const raw = exampleJson(FILE) as any;
  raw.accessGrants[0].expires = expires;
  const r = validateCustomerTexts([{ file: FILE, text: JSON.stringify(raw, null, 2) }], { now: NOW });
  return { issues: r.issues, warnings: r.warnings ?? [] };
}

describe('access grant expiry', () => {
  test('an expired approved grant is a warning naming the grant, and no error', () => {
    const { issues, warnings } = withExpiry('2026-11-26');
    expect(issues).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ path: 'accessGrants.0.expires', hint: expect.stringMatching(/dq-investigation-4821.*expired.*no longer deployed/) })]);
  });

  test(`a grant ending within ${GRANT_RENEWAL_DAYS} days is listed for renewal; one ending later is not`, () => {
    // NOW is 2026-11-27: the 14-day horizon is 2026-12-11.
    expect(withExpiry('2026-12-10').warnings).toEqual([expect.objectContaining({ hint: expect.stringMatching(/ends on 2026-12-10: renew/) })]);
    expect(withExpiry('2026-11-27').warnings).toHaveLength(1);
    expect(withExpiry('2026-12-11').warnings).toEqual([]);
    expect(withExpiry('2027-12-01').warnings).toEqual([]);
  });

  test('fleet validate exits 0 on an expired grant and prints the warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grants-'));
    cpSync(CUSTOMERS_DIR, dir, { recursive: true });
    const file = join(dir, FILE);
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    raw.accessGrants[0].expires = '2026-11-20';
    writeFileSync(file, JSON.stringify(raw, null, 2));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['validate', '--customers', dir, '--at', '2026-11-27'], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(err.join('\n')).toMatch(/warning: .*acme-retail-prod\.json: accessGrants\.0\.expires: .*got "2026-11-20".*has expired/);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/valid/);
  });
});
