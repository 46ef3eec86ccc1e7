/**
 * Rollout waves. Environments go through the policy's stages in order (canary, non-prod, prod by
 * ring), each stage in waves of at most N environments, each wave on one local date on which
 * every member has a maintenance window clear of its freezes, and each wave waiting for the
 * previous one of its track to bake. Environments bringing a fast-track fix (critical by
 * default) run on their own track with a shorter bake. A security fix that the staged order
 * would deliver after its deadline is pulled forward (expedited) when any window allows it.
 */
import type { Policy } from '../policy';
import { stageMatches } from '../policy';
import { dayStart, isoOf, utcDay } from './dates';
import type { EnvironmentInput } from './types';
import { describeFreeze, firstSlot, freezesBetween, lastSlotBefore, slotOn, type Calendar, type Slot } from './windows';

const DAY_MS = 86_400_000;

export interface WaveCandidate {
  readonly env: EnvironmentInput;
  readonly calendar: Calendar;
  readonly priority: number;
  readonly fastTrack: boolean;
  /** No slot may start before this instant (a hold that ends later lets the change in only then). Default: now. */
  readonly earliest?: number;
  /** The earliest deadline of a security fix that is not overdue yet. */
  readonly due?: { readonly instant: number; readonly text: string };
}

export interface WaveMember {
  readonly candidate: WaveCandidate;
  readonly slot: Slot;
  readonly notes: string[];
}

export interface DraftWave {
  readonly stageIndex: number;
  readonly stage: string;
  readonly fastTrack: boolean;
  readonly expedited: boolean;
  readonly day: number;
  readonly bakeDays: number;
  /** The earliest instant this wave could have started (previous wave + bake). */
  readonly notBefore: number;
  readonly members: WaveMember[];
}

export interface Unscheduled {
  readonly candidate: WaveCandidate;
  readonly reason: string;
}

export interface ScheduleResult {
  readonly waves: DraftWave[];
  readonly unscheduled: Unscheduled[];
}

function byPriority(a: WaveCandidate, b: WaveCandidate): number {
  return b.priority - a.priority || (a.env.stack < b.env.stack ? -1 : a.env.stack > b.env.stack ? 1 : 0);
}

export function stageIndexOf(env: EnvironmentInput, policy: Policy): number {
  return policy.waves.stages.findIndex((s) => stageMatches(s, env.environment, env.ring));
}

export function scheduleWaves(candidates: readonly WaveCandidate[], policy: Policy, now: Date): ScheduleResult {
  const waves: DraftWave[] = [];
  const unscheduled: Unscheduled[] = [];
  const start = now.getTime();
  const lastDay = utcDay(start) + policy.waves.horizonDays;

  for (const fastTrack of [true, false]) {
    const bakeDays = fastTrack ? policy.waves.fastTrack.bakeDays : policy.waves.bakeDays;
    const track = candidates.filter((c) => c.fastTrack === fastTrack);
    const trackWaves: DraftWave[] = [];
    let notBefore = start;
    policy.waves.stages.forEach((stage, stageIndex) => {
      let pending = track.filter((c) => stageIndexOf(c.env, policy) === stageIndex).sort(byPriority);
      const cap = stage.maxEnvironmentsPerWave ?? policy.waves.maxEnvironmentsPerWave;
      while (pending.length > 0) {
        const [leader, ...others] = pending;
        const leaderSlot = firstSlot(leader.calendar, Math.max(notBefore, leader.earliest ?? 0), lastDay);
        if (!leaderSlot) {
          unscheduled.push({ candidate: leader, reason: noWindowReason(leader.calendar, notBefore, lastDay) });
          pending = others;
          continue;
        }
        const members: WaveMember[] = [{ candidate: leader, slot: leaderSlot, notes: [] }];
        const rest: WaveCandidate[] = [];
        for (const other of others) {
          const slot = members.length < cap ? slotOn(other.calendar, leaderSlot.day, Math.max(notBefore, other.earliest ?? 0)) : undefined;
          if (slot) members.push({ candidate: other, slot, notes: [] });
          else rest.push(other);
        }
        const wave: DraftWave = { stageIndex, stage: stage.name, fastTrack, expedited: false, day: leaderSlot.day, bakeDays, notBefore, members };
        trackWaves.push(wave);
        notBefore = Math.max(...members.map((m) => m.slot.end)) + bakeDays * DAY_MS;
        pending = rest;
      }
    });
    for (const c of track) {
      if (stageIndexOf(c.env, policy) < 0) {
        unscheduled.push({ candidate: c, reason: `no wave stage in the policy takes ${c.env.environment} ring ${c.env.ring}` });
      }
    }
    expedite(trackWaves, unscheduled, fastTrack, bakeDays, policy, start);
    waves.push(...trackWaves);
  }
  return { waves: waves.filter((w) => w.members.length > 0), unscheduled };
}

function noWindowReason(cal: Calendar, from: number, lastDay: number): string {
  const freezes = freezesBetween(cal, from, dayStart(lastDay + 1) - 1);
  const blockers = freezes.length > 0 ? `; ${freezes.map(describeFreeze).join(', ')} covers the windows there are` : '';
  return `no maintenance window clear of freezes between ${isoOf(utcDay(from))} and ${isoOf(lastDay)} (scheduling horizon)${blockers}`;
}

/**
 * Moves environments whose security deadline the staged order would miss into the latest earlier
 * wave of the same track that fits their window, or into a wave of their own on their last
 * window before the deadline, whichever is later; what still cannot make
 * the deadline gets a "late:" note naming the freeze or the missing window.
 */
function expedite(trackWaves: DraftWave[], unscheduled: Unscheduled[], fastTrack: boolean, bakeDays: number, policy: Policy, now: number): void {
  const late: { member?: WaveMember; wave?: DraftWave; unscheduledAt?: number; candidate: WaveCandidate }[] = [];
  for (const wave of trackWaves) {
    for (const m of wave.members) if (m.candidate.due && m.slot.start > m.candidate.due.instant) late.push({ member: m, wave, candidate: m.candidate });
  }
  unscheduled.forEach((u, i) => {
    if (u.candidate.fastTrack === fastTrack && u.candidate.due && stageIndexOf(u.candidate.env, policy) >= 0) late.push({ unscheduledAt: i, candidate: u.candidate });
  });
  const removeUnscheduled: number[] = [];
  for (const item of late) {
    const c = item.candidate;
    const due = c.due!;
    const capOf = (w: DraftWave) => policy.waves.stages[w.stageIndex].maxEnvironmentsPerWave ?? policy.waves.maxEnvironmentsPerWave;
    let moved: { wave: DraftWave; slot: Slot } | undefined;
    const earlier = trackWaves
      .filter((w) => w !== item.wave && w.stageIndex === stageIndexOf(c.env, policy) && w.members.length < capOf(w))
      .map((w) => ({ wave: w, slot: slotOn(c.calendar, w.day, Math.max(now, c.earliest ?? 0)) }))
      .filter((x): x is { wave: DraftWave; slot: Slot } => x.slot !== undefined && x.slot.start <= due.instant)
      .sort((a, b) => b.slot.start - a.slot.start);
    if (earlier.length > 0) moved = earlier[0];
    // The later the slot, the longer the waves before it bake: prefer a wave of its own when that is later.
    const own = lastSlotBefore(c.calendar, Math.max(now, c.earliest ?? 0), due.instant);
    if (own && (!moved || own.start > moved.slot.start)) {
      const stageIndex = stageIndexOf(c.env, policy);
      const wave: DraftWave = {
        stageIndex,
        stage: policy.waves.stages[stageIndex].name,
        fastTrack,
        expedited: true,
        day: own.day,
        bakeDays,
        notBefore: now,
        members: [],
      };
      trackWaves.push(wave);
      moved = { wave, slot: own };
    }
    if (moved) {
      if (item.wave) item.wave.members.splice(item.wave.members.indexOf(item.member!), 1);
      if (item.unscheduledAt !== undefined) removeUnscheduled.push(item.unscheduledAt);
      const notes = item.member ? item.member.notes : [];
      notes.push(`expedited: scheduled ahead of the staged order to meet the ${due.text}`);
      moved.wave.members.push({ candidate: c, slot: moved.slot, notes });
      continue;
    }
    const freezes = freezesBetween(c.calendar, now, due.instant);
    const cause =
      c.earliest !== undefined && c.earliest > due.instant
        ? `a hold keeps it out until ${new Date(c.earliest).toISOString()}`
        : freezes.length > 0
        ? `${freezes.map(describeFreeze).join(', ')} covers every window before it`
        : `no maintenance window opens between ${isoOf(utcDay(now))} and the deadline`;
    if (item.member) item.member.notes.push(`late: the ${due.text} cannot be met: ${cause}`);
    else {
      const u = unscheduled[item.unscheduledAt!];
      unscheduled[item.unscheduledAt!] = { candidate: u.candidate, reason: `${u.reason}; late: the ${due.text} cannot be met: ${cause}` };
    }
  }
  for (const i of removeUnscheduled.sort((a, b) => b - a)) unscheduled.splice(i, 1);
}
