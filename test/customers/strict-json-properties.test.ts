/**
 * The strict reader against an independent account of generated JSON: objects are written
 * from lists of (key, value) pairs, so the generator knows every repeated and forbidden key and
 * the nesting depth, and the reader must find exactly those, whichever of its passes does it.
 */
import fc from 'fast-check';
import { parseStrictJson } from '../../customers/strict-json';

type Tree = { kind: 'object'; pairs: [string, Tree][] } | { kind: 'array'; items: Tree[] } | { kind: 'leaf'; value: unknown };

// Few key names, so repeats are common; strings hold the characters a text scan could trip on.
const KEYS = ['a', 'b', 'c', 'a:b', '{', '"q"', 'back\\slash', '__proto__', 'constructor', 'prototype'];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 4;

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('leaf' as const), value: fc.oneof(fc.string(), fc.constantFrom('x:y', '{[', '\\"', 'a"b'), fc.integer(), fc.boolean(), fc.constant(null)) }),
    fc.record({ kind: fc.constant('object' as const), pairs: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('array' as const), items: fc.array(tie('tree'), { maxLength: 3 }) }),
  ),
}));

function write(t: Tree, pretty: boolean): string {
  const sep = pretty ? ',\n ' : ',';
  if (t.kind === 'leaf') return JSON.stringify(t.value);
  if (t.kind === 'array') return `[${t.items.map((i) => write(i, pretty)).join(sep)}]`;
  return `{${t.pairs.map(([k, v]) => `${JSON.stringify(k)}${pretty ? ' : ' : ':'}${write(v, pretty)}`).join(sep)}}`;
}

function depth(t: Tree): number {
  if (t.kind === 'leaf') return 0;
  const children = t.kind === 'array' ? t.items : t.pairs.map(([, v]) => v);
  return 1 + Math.max(0, ...children.map(depth));
}

/** Each forbidden key, and each copy of a key after its first in the same object. */
function badKeys(t: Tree): number {
  if (t.kind === 'leaf') return 0;
  if (t.kind === 'array') return t.items.reduce((n, i) => n + badKeys(i), 0);
  const seen = new Set<string>();
  let bad = 0;
  for (const [k, v] of t.pairs) {
    if (FORBIDDEN.has(k) || seen.has(k)) bad++;
    seen.add(k);
    bad += badKeys(v);
  }
  return bad;
}

describe('strict JSON reader on generated objects', () => {
  test('it reports exactly the repeated and forbidden keys, or the depth, and nothing in clean text', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (t, pretty) => {
        const text = write({ kind: 'object', pairs: [['root', t]] }, pretty);
        const { issues, raw } = parseStrictJson('gen.json', text, { maxDepth: MAX_DEPTH });
        if (depth(t) + 1 > MAX_DEPTH) {
          expect(issues).toEqual([expect.objectContaining({ expected: `objects and arrays nested at most ${MAX_DEPTH} deep` })]);
          return;
        }
        const bad = badKeys(t);
        expect(issues).toHaveLength(bad);
        for (const issue of issues) expect(issue.expected).toMatch(/^(plain field names|each field once per object)$/);
        if (bad === 0) expect(raw).toEqual(JSON.parse(text));
        else expect(raw).toBeUndefined();
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});
