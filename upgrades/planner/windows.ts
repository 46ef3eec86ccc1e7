/**
 * Maintenance windows and freezes in the customer's own time zone. Windows are given as local
 * weekday + HH:MM + duration; freezes as inclusive local dates. Offsets come from
 * Intl.DateTimeFormat (no time zone library) and are cached, because a large fleet asks the
 * same few zones about the same few days many times.
 */
import { dayName, dayStart, isoOf, dayOf } from './dates';
import type { EnvironmentInput } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const QUARTER_HOUR = 15 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * Local time minus UTC, in ms, at an instant. Zone transitions happen on quarter hours, so the
 * offset is constant within a quarter-hour bucket and can be cached per bucket.
 */
export function offsetAt(tz: string, instant: number): number {
  const bucket = Math.floor(instant / QUARTER_HOUR);
  let zone = offsets.get(tz);
  if (!zone) {
    zone = new Map();
    offsets.set(tz, zone);
  }
  const hit = zone.get(bucket);
  if (hit !== undefined) return hit;
  const probe = bucket * QUARTER_HOUR;
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(probe))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  const offset = local - probe;
  zone.set(bucket, offset);
  return offset;
}

/**
 * The instant a local wall-clock time occurs; undefined when it does not exist (spring-forward
 * gap). A time that occurs twice (fall-back) is its first occurrence.
 */
export function localToInstant(tz: string, day: number, minutes: number): number | undefined {
  const wall = dayStart(day) + minutes * MINUTE;
  // The offsets in force half a day either side cover any transition near this wall time.
  const a = wall - offsetAt(tz, wall - 12 * HOUR);
  const b = wall - offsetAt(tz, wall + 12 * HOUR);
  // Without a list of the two: a fleet's schedule asks this millions of times.
  const aValid = a + offsetAt(tz, a) === wall;
  const bValid = b + offsetAt(tz, b) === wall;
  if (aValid && bValid) return Math.min(a, b);
  return aValid ? a : bValid ? b : undefined;
}

/**
 * When a window set for this wall-clock time opens: that instant, or inside a spring-forward gap
 * the first valid instant after it (the moment the clocks jump), so the window is not lost.
 */
export function windowStart(tz: string, day: number, minutes: number): number {
  const exact = localToInstant(tz, day, minutes);
  if (exact !== undefined) return exact;
  const wall = dayStart(day) + minutes * MINUTE;
  // Somewhere between the two readings of the wall time the offset changes: find the first
  // minute whose local reading is at or past the wall time.
  let lo = wall - offsetAt(tz, wall) - 4 * HOUR;
  let hi = wall - offsetAt(tz, wall) + 4 * HOUR;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (mid + offsetAt(tz, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** "+01:00": the zone's offset at an instant. */
export function offsetText(tz: string, instant: number): string {
  const m = Math.round(offsetAt(tz, instant) / MINUTE);
  const a = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The local calendar day of an instant. */
export function localDay(tz: string, instant: number): number {
  return Math.floor((instant + offsetAt(tz, instant)) / (24 * HOUR));
}

/** "HH:MM" of an instant in a zone. */
export function localClock(tz: string, instant: number): string {
  const local = new Date(instant + offsetAt(tz, instant));
  return local.toISOString().slice(11, 16);
}

export interface Slot {
  /** Local calendar day the window opens on. */
  readonly day: number;
  readonly start: number;
  readonly end: number;
}

export interface Freeze {
  readonly startDay: number;
  readonly endDay: number;
  readonly start: string;
  readonly end: string;
  readonly reason: string;
}

/** An environment's windows and freezes, parsed once. */
export interface Calendar {
  readonly timezone: string;
  readonly windows: readonly { readonly days: ReadonlySet<string>; readonly startMinutes: number; readonly durationMs: number }[];
  readonly freezes: readonly Freeze[];
}

/** By environment: the planner asks for an environment's calendar at each step. */
const calendars = new WeakMap<EnvironmentInput, Calendar>();

export function calendarOf(env: EnvironmentInput): Calendar {
  let cal = calendars.get(env);
  if (cal === undefined) calendars.set(env, (cal = parseCalendar(env)));
  return cal;
}

function parseCalendar(env: EnvironmentInput): Calendar {
  return {
    timezone: env.timezone,
    windows: env.windows.map((w) => {
      const [h, m] = w.start.split(':').map(Number);
      return { days: new Set(w.days), startMinutes: h * 60 + m, durationMs: Math.round(w.durationHours * HOUR) };
    }),
    freezes: env.freezes
      .map((f) => ({ startDay: dayOf(f.start), endDay: dayOf(f.end), start: f.start, end: f.end, reason: f.reason }))
      .sort((a, b) => a.startDay - b.startDay || a.endDay - b.endDay),
  };
}

export function freezeOn(cal: Calendar, day: number): Freeze | undefined {
  return cal.freezes.find((f) => day >= f.startDay && day <= f.endDay);
}

/** Freezes touching any local day the slot covers (a late window can run past midnight). */
export function freezeDuring(cal: Calendar, startDay: number, end: number): Freeze | undefined {
  if (cal.freezes.length === 0) return undefined;
  const lastDay = localDay(cal.timezone, end - 1);
  for (let d = startDay; d <= lastDay; d++) {
    const f = freezeOn(cal, d);
    if (f) return f;
  }
  return undefined;
}

/** A window opened late by a DST gap still ends at its wall-clock end; otherwise it lasts its duration. */
function windowEnd(cal: Calendar, day: number, w: Calendar['windows'][number], start: number): number {
  if (localToInstant(cal.timezone, day, w.startMinutes) !== undefined) return start + w.durationMs;
  return windowStart(cal.timezone, day, w.startMinutes + Math.round(w.durationMs / MINUTE));
}

/** The earliest window opening on local day `day`, not before `notBefore` and clear of freezes. */
export function slotOn(cal: Calendar, day: number, notBefore: number): Slot | undefined {
  const name = dayName(day);
  let best: Slot | undefined;
  for (const w of cal.windows) {
    if (!w.days.has(name)) continue;
    const start = windowStart(cal.timezone, day, w.startMinutes);
    if (start < notBefore) continue;
    const end = windowEnd(cal, day, w, start);
    if (freezeDuring(cal, day, end)) continue;
    if (!best || start < best.start) best = { day, start, end };
  }
  return best;
}

/** Whether some window opens on `day` (after `notBefore`) but a freeze covers it. */
export function frozenWindowOn(cal: Calendar, day: number, notBefore: number): Freeze | undefined {
  if (cal.freezes.length === 0) return undefined;
  const name = dayName(day);
  for (const w of cal.windows) {
    if (!w.days.has(name)) continue;
    const start = windowStart(cal.timezone, day, w.startMinutes);
    if (start < notBefore) continue;
    const f = freezeDuring(cal, day, windowEnd(cal, day, w, start));
    if (f) return f;
  }
  return undefined;
}

/** First slot from `notBefore` up to local day `lastDay`. */
export function firstSlot(cal: Calendar, notBefore: number, lastDay: number): Slot | undefined {
  // A zone ahead of UTC is already on the next local day.
  for (let d = localDay(cal.timezone, notBefore); d <= lastDay; d++) {
    const s = slotOn(cal, d, notBefore);
    if (s) return s;
  }
  return undefined;
}

/** Last slot on or before `deadline` (an instant) and not before `notBefore`. */
export function lastSlotBefore(cal: Calendar, notBefore: number, deadline: number): Slot | undefined {
  for (let d = localDay(cal.timezone, deadline); d >= localDay(cal.timezone, notBefore); d--) {
    const name = dayName(d);
    let best: Slot | undefined;
    for (const w of cal.windows) {
      if (!w.days.has(name)) continue;
      const start = windowStart(cal.timezone, d, w.startMinutes);
      if (start < notBefore || start > deadline) continue;
      const end = windowEnd(cal, d, w, start);
      if (freezeDuring(cal, d, end)) continue;
      if (!best || start > best.start) best = { day: d, start, end };
    }
    if (best) return best;
  }
  return undefined;
}

/** Freezes that covered a window between two instants: what made an environment wait. */
export function freezesBetween(cal: Calendar, from: number, until: number): Freeze[] {
  const found: Freeze[] = [];
  // Most environments have no freeze: then no day need be looked at.
  if (cal.freezes.length === 0) return found;
  for (let d = localDay(cal.timezone, from); d <= localDay(cal.timezone, until); d++) {
    const f = frozenWindowOn(cal, d, from);
    if (f && !found.includes(f)) found.push(f);
  }
  return found;
}

export function describeFreeze(f: Freeze): string {
  return `freeze ${f.start}..${f.end} (${f.reason})`;
}

/** By zone, day, start and end: a fleet's environments share a few hundred distinct slots. */
const slotTexts = new Map<string, Map<string, string>>();

/** "Tue 2026-12-08 02:00+00:00 to 06:00+00:00 Europe/London": offsets tell a repeated fall-back hour apart. */
export function describeSlot(cal: Calendar, slot: Slot): string {
  let byZone = slotTexts.get(cal.timezone);
  if (byZone === undefined) slotTexts.set(cal.timezone, (byZone = new Map()));
  const key = `${slot.day} ${slot.start} ${slot.end}`;
  let text = byZone.get(key);
  if (text === undefined) byZone.set(key, (text = slotText(cal, slot)));
  return text;
}

function slotText(cal: Calendar, slot: Slot): string {
  const name = dayName(slot.day);
  const endDay = localDay(cal.timezone, slot.end);
  const clock = (t: number) => `${localClock(cal.timezone, t)}${offsetText(cal.timezone, t)}`;
  const endText = endDay === slot.day ? clock(slot.end) : `${isoOf(endDay)} ${clock(slot.end)}`;
  return `${name[0].toUpperCase()}${name.slice(1)} ${isoOf(slot.day)} ${clock(slot.start)} to ${endText} ${cal.timezone}`;
}
