/**
 * Properties of the customer-file reader under generated hostile input: it never throws, every
 * issue is one line, it never prints a secret it was given, and no unknown field survives at
 * any depth.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, validateCustomerTexts, type ValidationIssue } from '../../customers/load';
import { CUSTOMERS_DIR, NOW } from '../support/specs';

const FILES = ['acme-retail-prod.json', 'helios-media-prod.json', 'nordic-news-prod.json'];
const TEXTS = FILES.map((f) => readFileSync(join(CUSTOMERS_DIR, f), 'utf8'));
const RUNS = { numRuns: 100, seed: 9 };

function read(file: string, text: string | Uint8Array): ValidationIssue[] {
  return validateCustomerTexts([{ file, text }], { now: NOW }).issues;
}

/** Every object and array in a JSON value with its path. */
function containers(value: unknown, path: string[] = []): { path: string[]; node: Record<string, unknown> | unknown[] }[] {
  if (value === null || typeof value !== 'object') return [];
  const node = value as Record<string, unknown> | unknown[];
  return [{ path, node }, ...Object.entries(node).flatMap(([k, v]) => containers(v, [...path, k]))];
}

const alnum = (min: number, max: number, chars: string) =>
  fc.array(fc.constantFrom(...chars.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

/** Generated credentials of the shapes the fleet must catch. */
const secret = fc.oneof(
  alnum(16, 16, UPPER_DIGITS).map((s) => `AKIA${s}`),
  fc.tuple(alnum(37, 37, BASE64), fc.constantFrom('aB3', 'Zq/', 'x+Y')).map(([s, t]) => `${t}${s}`),
  alnum(40, 40, HEX),
  fc.tuple(alnum(9, 9, UPPER_DIGITS), alnum(11, 11, UPPER_DIGITS), alnum(24, 24, BASE64.slice(0, 62))).map(([a, b, c]) => `https://hooks.slack.com/services/T${a}/B${b}/${c}`),
  alnum(12, 30, BASE64.slice(0, 62)).map((p) => `PGPASSWORD=${p}`),
  alnum(12, 30, BASE64.slice(0, 62)).map((p) => `postgres://loader:${p}@db.internal:5432/events`),
  alnum(60, 80, BASE64).map((b) => `MII${b}`),
);

describe('customer-file reader properties', () => {
  test('never throws, and every issue is one line naming the file, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const issues = read('x-prod.json', text);
        expect(issues.length).toBeGreaterThan(0);
        for (const line of issues.map(formatIssue)) {
          expect(line).not.toContain('\n');
          expect(line.startsWith('x-prod.json')).toBe(true);
        }
      }),
      RUNS,
    );
  });

  test('never throws on arbitrary bytes, nor on an example with bytes spliced in', () => {
    fc.assert(
      fc.property(fc.nat({ max: TEXTS.length - 1 }), fc.uint8Array({ maxLength: 64 }), fc.nat(), (which, bytes, at) => {
        const text = Buffer.from(TEXTS[which]);
        const cut = at % text.length;
        const spliced = Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]);
        expect(() => read(FILES[which], spliced)).not.toThrow();
        expect(() => read(FILES[which], Buffer.from(bytes))).not.toThrow();
      }),
      RUNS,
    );
  });

  test('never throws on arbitrary JSON values in place of any field', () => {
    fc.assert(
      fc.property(fc.nat({ max: TEXTS.length - 1 }), fc.nat(), fc.jsonValue({ maxDepth: 4 }), (which, pick, value) => {
        const raw = JSON.parse(TEXTS[which]);
        const all = containers(raw).filter((c) => !Array.isArray(c.node) && Object.keys(c.node).length > 0);
        const { node } = all[pick % all.length] as { node: Record<string, unknown> };
        const keys = Object.keys(node);
        node[keys[pick % keys.length]] = value;
        const issues = read(FILES[which], JSON.stringify(raw));
        for (const line of issues.map(formatIssue)) expect(line).not.toContain('\n');
      }),
      RUNS,
    );
  });

  test('never prints a secret it was given, wherever it is put (value, array item, nested object, field name)', () => {
    fc.assert(
      fc.property(fc.nat({ max: TEXTS.length - 1 }), fc.nat(), secret, fc.constantFrom('value', 'array', 'object', 'key'), (which, pick, s, how) => {
        const raw = JSON.parse(TEXTS[which]);
        const all = containers(raw).filter((c) => !Array.isArray(c.node));
        const { node } = all[pick % all.length] as { node: Record<string, unknown> };
        const keys = Object.keys(node);
        const key = keys.length > 0 && how !== 'key' ? keys[pick % keys.length] : 'extra';
        if (how === 'key') node[s] = 'x';
        else node[key] = how === 'value' ? s : how === 'array' ? ['a', s] : { inner: s };
        const issues = read(FILES[which], JSON.stringify(raw, null, 2));
        expect(issues.some((i) => /looks like a secret/.test(i.got))).toBe(true);
        const printed = issues.map(formatIssue).join('\n');
        expect(printed).not.toContain(s);
        expect(printed).not.toContain(s.slice(-16));
      }),
      RUNS,
    );
  });

  test('an unknown field at any depth is an issue at that object', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => /^[a-z][a-zA-Z]*$/.test(k) && !['constructor', 'prototype'].includes(k));
    fc.assert(
      fc.property(fc.nat({ max: TEXTS.length - 1 }), fc.nat(), name, (which, pick, key) => {
        const raw = JSON.parse(TEXTS[which]);
        const objects = containers(raw).filter((c) => !Array.isArray(c.node) && !['settings'].includes(c.path[c.path.length - 1]) && !Object.prototype.hasOwnProperty.call(c.node, key));
        const { node, path } = objects[pick % objects.length] as { node: Record<string, unknown>; path: string[] };
        node[key] = 1;
        const issues = read(FILES[which], JSON.stringify(raw));
        expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: path.join('.'), got: expect.stringContaining(JSON.stringify(key)) })]));
      }),
      RUNS,
    );
  });
});
