/** The plan JSON in pieces is the plan JSON: byte for byte what renderJson gives, for any value. */
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomically } from '../../../files/atomic-write';
import { jsonParts } from '../../../upgrades/report/json';

const joined = (parts: Iterable<string>) => [...parts].join('');

test('the pieces join to JSON.stringify plus a newline, whatever the fields and however small the pieces', () => {
  // Nested objects and lists with undefined in them: items larger than a piece are taken apart.
  const nested = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.constant(undefined), tie('list'), tie('object')),
    list: fc.array(tie('value'), { maxLength: 6 }),
    object: fc.dictionary(fc.string(), tie('value'), { maxKeys: 6 }),
  })).value;
  const field = fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()), fc.constant(undefined), fc.array(fc.constantFrom(undefined, 'x', 1)), fc.array(nested));
  fc.assert(
    fc.property(fc.dictionary(fc.string(), field), fc.integer({ min: 1, max: 200 }), (value, partChars) => {
      expect(joined(jsonParts(value, partChars))).toBe(`${JSON.stringify(value)}\n`);
    }),
    { numRuns: 500 },
  );
});

test('a long list is cut into runs of items near the asked size, not one piece per item or one for all', () => {
  const items = Array.from({ length: 1000 }, (_, i) => ({ stack: `customer-${i}`, note: 'x'.repeat(i % 50) }));
  const parts = [...jsonParts({ statuses: items }, 2_000)];
  expect(parts.length).toBeGreaterThan(10);
  expect(parts.length).toBeLessThan(100);
  expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(8_000);
});

test('an item longer than a piece is taken apart: no piece holds a whole wave of a large fleet', () => {
  const waves = Array.from({ length: 4 }, (_, w) => ({ number: w + 1, environments: Array.from({ length: 2_000 }, (_, i) => ({ stack: `customer-${i}`, notes: ['x'.repeat(i % 40)] })) }));
  const parts = [...jsonParts({ waves }, 2_000)];
  expect(JSON.stringify(waves).length).toBeGreaterThan(400_000);
  expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(8_000);
  expect(parts.join('')).toBe(`${JSON.stringify({ waves })}\n`);
});

test('written to a file, the pieces make the same bytes, multi-byte text and pieces larger than the write buffer included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'json-parts-'));
  const value = { summary: { note: 'é€😀' }, big: ['€'.repeat(600_000)], items: Array.from({ length: 100_000 }, (_, i) => `ümlaut ${i} 😀`) };
  writeFilesAtomically([{ path: join(dir, 'plan.json'), text: jsonParts(value, 1_000) }]);
  expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe(`${JSON.stringify(value)}\n`);
});
