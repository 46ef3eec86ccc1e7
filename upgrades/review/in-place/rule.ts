/**
 * Rules for in-place updates that destroy data or keys without replacing anything: the plan
 * says "update", yet the change disables a key, lifts a deletion guard or shortens how long
 * data is kept. One rule a file; each returns what it found, in words that name the attribute,
 * the values and what is lost. Values are the plan's own `before` and `after`.
 */

export interface UpdatedResource {
  readonly address: string;
  readonly type: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

export interface InPlaceRule {
  /** Stable id, printed with each finding (e.g. "REVIEW-KEY-1"). */
  readonly id: string;
  readonly types: readonly string[];
  check(resource: UpdatedResource): string[];
}

/**
 * Every value at a dotted path, stepping through lists: nested blocks are lists in plan JSON
 * ("settings.backup_configuration.enabled" reads settings[*].backup_configuration[*].enabled).
 */
export function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (v && typeof v === 'object' && key in (v as object)) next.push((v as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return current.flatMap((x) => (Array.isArray(x) ? x : [x])).filter((x) => x !== null && x !== undefined);
}

/** The value at a path of a block that holds at most one (the first), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  return valuesAt(value, path)[0];
}

/** A guard that was on and no longer is: true before, anything but true after. */
export function turnedOff(r: UpdatedResource, path: string): boolean {
  return valueAt(r.before, path) === true && valueAt(r.after, path) !== true;
}

/** A flag that was not on and now is. */
export function turnedOn(r: UpdatedResource, path: string): boolean {
  return valueAt(r.before, path) !== true && valueAt(r.after, path) === true;
}

/** Seconds in a Google duration ("604800s", "86400.5s"), or a plain number. */
export function amount(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const m = /^(\d+(?:\.\d+)?)s?$/.exec(value.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * How a kept-for amount changed when it shrinks: "168 -> 24", or "168 -> none" when it is
 * removed (`removedIsCut`: no value means nothing is kept), or undefined when it does not shrink.
 */
export function shrinks(r: UpdatedResource, path: string, removedIsCut: boolean): string | undefined {
  const before = amount(valueAt(r.before, path));
  const after = amount(valueAt(r.after, path));
  if (before === undefined) return undefined;
  if (after === undefined) return removedIsCut ? `${show(valueAt(r.before, path))} -> none` : undefined;
  return after < before ? `${show(valueAt(r.before, path))} -> ${show(valueAt(r.after, path))}` : undefined;
}

/** An expiry that comes sooner: set where there was none, or lower. */
export function expiresSooner(before: unknown, after: unknown): string | undefined {
  const b = amount(before);
  const a = amount(after);
  if (a === undefined || a <= 0) return undefined;
  if (b === undefined || b <= 0) return `none -> ${show(after)}`;
  return a < b ? `${show(before)} -> ${show(after)}` : undefined;
}

export function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
