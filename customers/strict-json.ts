/**
 * The one JSON reader for every file the fleet reads (customer files, the release catalog, the
 * policy, the rollout's plan, state and metrics). Stricter than JSON.parse on purpose: each of
 * these inputs is reviewed by a person and then acted on by a program, so anything the two
 * could read differently is refused with a one-line reason and a fix:
 *
 * - duplicate keys (a reviewer reads the first, JSON.parse keeps the last);
 * - `__proto__`, `constructor` and `prototype` keys (they change or hide what a program sees);
 * - a byte-order mark, invalid UTF-8, and files or nesting beyond fixed limits.
 *
 * Every check is one pass over the text or the parsed value, so the cost is linear in the file size.
 */
import { isUtf8 } from 'node:buffer';
import { getNodePath, getNodeValue, parseTree, printParseErrorCode, visit, type Node as JsonNode, type ParseErrorCode } from 'jsonc-parser';
import type { ValidationIssue } from './json-issues';

export interface JsonLimits {
  /** Largest file accepted, in bytes. Default 4 MiB. */
  readonly maxBytes?: number;
  /** Deepest nesting of objects and arrays accepted. Default 64. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

/** Keys that mean something to JavaScript objects themselves; no fleet input has a use for them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface StrictJsonResult {
  /** The parsed value; absent when there is any issue. */
  readonly raw?: unknown;
  readonly issues: ValidationIssue[];
  /**
   * The value as read, forbidden keys included, when the only issues are keys: a file refused
   * for its keys is still scanned for secrets, so none is printed or missed.
   */
  readonly scannable?: unknown;
  /**
   * With `scannable`: the earlier copies of repeated fields, which JSON.parse drops, each
   * wrapped in objects along its path (`{"a": {"b": <copy>}}`), so that they are scanned too.
   */
  readonly shadowed?: unknown[];
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Bytes as text, refusing what is not plain UTF-8. */
function decode(file: string, bytes: Uint8Array, maxBytes: number): { text?: string; issue?: ValidationIssue } {
  if (bytes.length > maxBytes) return { issue: sizeIssue(file, bytes.length, maxBytes) };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { issue: bomIssue(file) };
  if (!isUtf8(bytes)) {
    const lossy = Buffer.from(bytes).toString('utf8');
    return {
      issue: { file, path: '', expected: 'UTF-8 text', got: `bytes that are not UTF-8 on line ${lineOf(lossy, lossy.indexOf('\uFFFD'))}`, hint: 'save the file as UTF-8' },
    };
  }
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
}

export function sizeIssue(file: string, bytes: number, maxBytes: number): ValidationIssue {
  return { file, path: '', expected: `a file of at most ${mib(maxBytes)}`, got: `${bytes} bytes`, hint: 'split the file, or check that it is the file you meant' };
}

function bomIssue(file: string): ValidationIssue {
  return { file, path: '', expected: 'UTF-8 text without a byte-order mark', got: 'a byte-order mark (BOM) at the start', hint: 'save the file as UTF-8 without BOM' };
}

function depthIssue(file: string, maxDepth: number, line: number): ValidationIssue {
  return { file, path: '', expected: `objects and arrays nested at most ${maxDepth} deep`, got: `deeper nesting on line ${line}`, hint: 'flatten the structure; no fleet file needs this depth' };
}

const ERROR_HINTS: Partial<Record<string, string>> = {
  InvalidSymbol: 'fix the syntax; comments, trailing commas and single quotes are not JSON',
  InvalidCharacter: 'escape control characters (e.g. write \\n for a newline) inside strings',
};

/** The first syntax error, with jsonc-parser's name for it and its line and column. */
function syntaxIssue(file: string, text: string): ValidationIssue {
  let issue: ValidationIssue | undefined;
  visit(
    text,
    {
      onError: (error: ParseErrorCode, _offset, _length, line, column) => {
        const code = printParseErrorCode(error);
        issue ??= {
          file,
          path: '',
          expected: 'valid JSON',
          got: `${code} at line ${line + 1}, column ${column + 1}`,
          hint: ERROR_HINTS[code] ?? 'fix the syntax; comments and trailing commas are not allowed',
        };
      },
    },
    { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false },
  );
  return issue ?? { file, path: '', expected: 'valid JSON', got: 'text JSON.parse refuses', hint: 'fix the syntax' };
}

interface Scope {
  /** Keys seen so far; undefined for an array. */
  readonly keys?: Set<string>;
  /** The latest key (objects) or the index of the current item (arrays), for paths. */
  at: string | number;
}

/**
 * Nesting beyond the limit, then duplicate and forbidden keys, found in one pass over text that
 * JSON.parse has accepted (so it is valid JSON: newlines occur only between tokens, and strings
 * end at an unescaped quote). Too deep a file gets that one issue: nothing else may walk it.
 */
function structureIssues(file: string, text: string, maxDepth: number): { deep?: ValidationIssue; keys: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const scopes: Scope[] = [];
  let expectKey = false;
  let line = 1;
  let lineStart = 0;
  const pathTo = (key: string): string => [...scopes.slice(0, -1).map((s) => String(s.at)), key].join('.');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      const top = scopes[scopes.length - 1];
      if (expectKey && top?.keys) {
        const name = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        const where = () => `line ${line}, column ${i - lineStart + 1}`;
        if (FORBIDDEN_KEYS.has(name)) {
          issues.push({ file, path: pathTo(name), expected: 'plain field names', got: `a "${name}" key on ${where()}`, hint: 'remove it; it is not a field of this file' });
        } else if (top.keys.has(name)) {
          issues.push({ file, path: pathTo(name), expected: 'each field once per object', got: `a second copy of the field on ${where()}`, hint: 'remove one of the two: readers disagree on which one counts' });
        }
        top.keys.add(name);
        top.at = name;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      if (scopes.length === maxDepth) return { deep: depthIssue(file, maxDepth, line), keys: [] };
      scopes.push(c === 0x7b ? { keys: new Set(), at: '' } : { at: 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      scopes.pop();
    } else if (c === 0x2c) {
      const top = scopes[scopes.length - 1];
      if (top.keys) expectKey = true;
      else top.at = (top.at as number) + 1;
    } else if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { keys: issues };
}

/**
 * One pass over the text without allocating: how many colons lie outside strings (in text
 * JSON.parse accepted, one per key), or where nesting first goes deeper than `maxDepth` (the
 * limit structureIssues applies). Bounded by the text, so broken JSON (an unterminated string)
 * is safe too, and no recursion: any depth is.
 */
function scanText(text: string, maxDepth: number): { keys: number; deepAt?: number } {
  let keys = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x3a) keys++;
    else if (c === 0x7b || c === 0x5b) {
      if (depth++ === maxDepth) return { keys, deepAt: i };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { keys };
}

/**
 * How many own keys the parsed value holds, or -1 when one is forbidden. JSON.parse keeps one
 * copy of a repeated key (and makes "__proto__" an own field), so fewer keys than the text
 * holds means a repeat.
 */
function parsedKeyCount(root: unknown): number {
  let keys = 0;
  const todo: unknown[] = [root];
  while (todo.length > 0) {
    const node = todo.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) todo.push(item);
      continue;
    }
    if (Object.hasOwn(node, '__proto__') || Object.hasOwn(node, 'constructor') || Object.hasOwn(node, 'prototype')) return -1;
    for (const key in node) {
      keys++;
      const value = (node as Record<string, unknown>)[key];
      if (typeof value === 'object' && value !== null) todo.push(value);
    }
  }
  return keys;
}

/** Every earlier copy of a repeated field, wrapped along its path; read only from files refused for their keys. */
function shadowedCopies(text: string): unknown[] {
  const copies: unknown[] = [];
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  const todo: JsonNode[] = root ? [root] : [];
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (node.type === 'object') {
      const props = node.children ?? [];
      const last = new Map<unknown, number>();
      props.forEach((p, i) => last.set(p.children?.[0]?.value, i));
      props.forEach((p, i) => {
        const value = p.children?.[1];
        // A computed key defines an own field even for "__proto__".
        if (value && last.get(p.children?.[0]?.value) !== i) copies.push(getNodePath(value).reduceRight<unknown>((v, k) => ({ [String(k)]: v }), getNodeValue(value)));
      });
    }
    todo.push(...(node.children ?? []));
  }
  return copies;
}

/**
 * Parses strict JSON (no comments, no trailing commas) from text or bytes. A syntax error names
 * its line and column; only the first one is reported, as the rest follow from it. The value
 * comes from JSON.parse (native and linear; "__proto__" becomes a plain own field), the key
 * checks from counting keys in the text and in the value, and, when those disagree, one more
 * pass over the text.
 */
export function parseStrictJson(file: string, input: string | Uint8Array, limits: JsonLimits = {}): StrictJsonResult {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  let text: string;
  if (typeof input === 'string') {
    const bytes = Buffer.byteLength(input);
    if (bytes > maxBytes) return { issues: [sizeIssue(file, bytes, maxBytes)] };
    if (input.charCodeAt(0) === 0xfeff) return { issues: [bomIssue(file)] };
    text = input;
  } else {
    const decoded = decode(file, input, maxBytes);
    if (decoded.issue) return { issues: [decoded.issue] };
    text = decoded.text!;
  }
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!/\S/.test(text)) return { issues: [{ file, path: '', expected: 'valid JSON', got: 'an empty file', hint: 'write the JSON object this file holds' }] };
  let root: unknown;
  try {
    // V8's JSON.parse is iterative, so any depth is safe here; the walkers after it are not.
    root = JSON.parse(text);
  } catch {
    // The syntax error's position comes from jsonc-parser, which recurses: check the depth first.
    const { deepAt } = scanText(text, maxDepth);
    return { issues: [deepAt !== undefined ? depthIssue(file, maxDepth, lineOf(text, deepAt)) : syntaxIssue(file, text)] };
  }
  // The common case, a clean file, is told by two counts that allocate nothing; only a file that
  // fails them gets the exact pass that says what is wrong and where.
  const scanned = scanText(text, maxDepth);
  if (scanned.deepAt === undefined && scanned.keys === parsedKeyCount(root)) return { raw: root, issues: [] };
  const { deep, keys } = structureIssues(file, text, maxDepth);
  if (deep) return { issues: [deep] };
  return keys.length > 0 ? { issues: keys, scannable: root, shadowed: shadowedCopies(text) } : { raw: root, issues: [] };
}
