/**
 * One stage of one track at fleet scale. The stage opens with a small first wave (its canary:
 * the highest-priority environment picks the date, others with a window that local day join, up
 * to waves.firstWaveSize) that must bake before the rest of the stage starts. The rest then run
 * in parallel waves that grow (first size x growthFactor per wave, up to the stage's cap), one
 * or more per local day, as long as the day has capacity left (waves.environmentsPerDay, shared
 * by every stage and track). An environment that finds every window it has taken by capacity
 * or frozen within the horizon is returned with the constraint that ran out.
 */
import type { Policy } from '../policy';
import { dayStart, isoOf } from './dates';
import type { DraftWave, Unscheduled, WaveCandidate, WaveMember } from './waves';
import { describeFreeze, firstSlot, freezesBetween, localToInstant, slotOn, type Calendar, type Slot } from './windows';

const DAY_MS = 86_400_000;

export interface StageContext {
  readonly policy: Policy;
  readonly stageIndex: number;
  readonly fastTrack: boolean;
  readonly bakeDays: number;
  /** Last local day a slot may open on (the horizon). */
  readonly lastDay: number;
  /** Environments already starting per local day, across stages and tracks; updated here. */
  readonly used: Map<number, number>;
}

export interface StageResult {
  readonly waves: DraftWave[];
  readonly unscheduled: Unscheduled[];
  /** When the stage's first wave has baked: the next stage may start then. Undefined when the stage is empty. */
  readonly gate?: number;
}

function byPriority(a: WaveCandidate, b: WaveCandidate): number {
  return b.priority - a.priority || (a.env.stack < b.env.stack ? -1 : a.env.stack > b.env.stack ? 1 : 0);
}

export function scheduleStage(pending: readonly WaveCandidate[], notBefore: number, ctx: StageContext): StageResult {
  const { policy, stageIndex, fastTrack, bakeDays, lastDay, used } = ctx;
  const stage = policy.waves.stages[stageIndex];
  const cap = stage.maxEnvironmentsPerWave ?? policy.waves.maxEnvironmentsPerWave;
  const perDay = policy.waves.environmentsPerDay;
  const room = (day: number) => perDay - (used.get(day) ?? 0);
  const take = (day: number) => used.set(day, (used.get(day) ?? 0) + 1);
  const waves: DraftWave[] = [];
  const unscheduled: Unscheduled[] = [];
  const sorted = [...pending].sort(byPriority);
  const newWave = (day: number, from: number): DraftWave => {
    const w: DraftWave = { stageIndex, stage: stage.name, fastTrack, expedited: false, day, bakeDays, notBefore: from, members: [] };
    waves.push(w);
    return w;
  };

  // The stage's first wave: small, and it bakes before anything else in the stage.
  let rest = sorted;
  let first: DraftWave | undefined;
  while (rest.length > 0 && !first) {
    const [leader, ...others] = rest;
    const slot = slotWithRoom(leader.calendar, Math.max(notBefore, leader.earliest ?? 0), lastDay, room);
    if (!slot) {
      const from = Math.max(notBefore, leader.earliest ?? 0);
      unscheduled.push({ candidate: leader, reason: whyNot(leader.calendar, from, lastDay, perDay), notBefore: from });
      rest = others;
      continue;
    }
    first = newWave(slot.day, notBefore);
    first.members.push({ candidate: leader, slot, notes: [] });
    take(slot.day);
    const size = Math.min(cap, policy.waves.firstWaveSize);
    rest = others.filter((other) => {
      if (first!.members.length >= size || room(slot.day) <= 0) return true;
      const s = slotOn(other.calendar, slot.day, Math.max(notBefore, other.earliest ?? 0));
      if (!s) return true;
      first!.members.push({ candidate: other, slot: s, notes: [] });
      take(slot.day);
      return false;
    });
  }
  if (!first) return { waves, unscheduled };
  const gate = Math.max(...first.members.map((m) => m.slot.end)) + bakeDays * DAY_MS;

  // The rest, in parallel waves that grow, day by day from the gate, within each day's capacity.
  let size = Math.min(cap, Math.max(1, Math.round(policy.waves.firstWaveSize * policy.waves.growthFactor)));
  const buckets = new Map<number, WaveCandidate[]>();
  const slotOf = new Map<WaveCandidate, Slot>();
  const crowded = new Set<WaveCandidate>();
  const file = (c: WaveCandidate, from: number) => {
    const s = firstSlot(c.calendar, from, lastDay);
    if (!s) {
      const opens = Math.max(gate, c.earliest ?? 0);
      unscheduled.push({ candidate: c, reason: crowded.has(c) ? capacityReason(c.calendar, opens, lastDay, perDay) : whyNot(c.calendar, opens, lastDay, perDay), notBefore: opens });
      return;
    }
    slotOf.set(c, s);
    const list = buckets.get(s.day);
    if (list) list.push(c);
    else buckets.set(s.day, [c]);
  };
  for (const c of rest) file(c, Math.max(gate, c.earliest ?? 0));
  const days = () => [...buckets.keys()].sort((a, b) => a - b);
  for (let day = days()[0]; day !== undefined; day = days()[0]) {
    const list = buckets.get(day)!.sort(byPriority);
    buckets.delete(day);
    let wave: DraftWave | undefined;
    for (const c of list) {
      const slot = slotOf.get(c)!;
      if (room(day) <= 0) {
        crowded.add(c);
        file(c, nextDayStart(c.calendar, slot));
        continue;
      }
      if (!wave || wave.members.length >= size) {
        if (wave) size = Math.min(cap, Math.max(size + 1, Math.round(size * policy.waves.growthFactor)));
        wave = newWave(day, gate);
      }
      wave.members.push({ candidate: c, slot, notes: [] } as WaveMember);
      take(day);
    }
  }
  return { waves, unscheduled, gate };
}

/** The first slot on a day that still has room. */
function slotWithRoom(cal: Calendar, from: number, lastDay: number, room: (day: number) => number): Slot | undefined {
  let s = firstSlot(cal, from, lastDay);
  while (s && room(s.day) <= 0) s = firstSlot(cal, nextDayStart(cal, s), lastDay);
  return s;
}

/** Local midnight after the slot's day, so the next search skips the full day. */
export function nextDayStart(cal: Calendar, slot: Slot): number {
  // A zone may skip midnight (a DST gap at 00:00): the first valid minute then.
  for (let m = 0; m < 24 * 60; m += 15) {
    const t = localToInstant(cal.timezone, slot.day + 1, m);
    if (t !== undefined) return t;
  }
  return dayStart(slot.day + 1);
}

function whyNot(cal: Calendar, from: number, lastDay: number, perDay: number): string {
  const end = dayStart(lastDay + 1) - 1;
  if (from > end) return `the staged order (earlier waves and their bake) reaches ${new Date(from).toISOString().slice(0, 10)}, past the scheduling horizon ${isoOf(lastDay)}`;
  const freezes = freezesBetween(cal, from, end);
  if (freezes.length > 0) return `no maintenance window clear of freezes between ${isoOf(Math.floor(from / DAY_MS))} and ${isoOf(lastDay)} (scheduling horizon): ${freezes.map(describeFreeze).join(', ')}`;
  return capacityReason(cal, from, lastDay, perDay);
}

function capacityReason(cal: Calendar, from: number, lastDay: number, perDay: number): string {
  const freezes = freezesBetween(cal, from, dayStart(lastDay + 1) - 1);
  const also = freezes.length > 0 ? `; ${freezes.map(describeFreeze).join(', ')} covers others` : '';
  return `capacity: every window it has between ${isoOf(Math.floor(from / DAY_MS))} and ${isoOf(lastDay)} (scheduling horizon) falls on a day already at waves.environmentsPerDay (${perDay})${also}`;
}
