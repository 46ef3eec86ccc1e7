/** Calendar days as integers (days since 1970-01-01), so date arithmetic has no time zone in it. */

const DAY_MS = 86_400_000;
export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function dayOf(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

const isoCache = new Map<number, string>();

/** Memoised: a plan formats the same few hundred days hundreds of thousands of times. */
export function isoOf(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoCache.size < 100_000) isoCache.set(day, iso);
  }
  return iso;
}

/** The UTC calendar day of an instant. */
export function utcDay(instant: number): number {
  return Math.floor(instant / DAY_MS);
}

export function dayStart(day: number): number {
  return day * DAY_MS;
}

/** 1970-01-01 was a Thursday. */
export function dayName(day: number): (typeof DAY_NAMES)[number] {
  return DAY_NAMES[(((day + 3) % 7) + 7) % 7];
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
