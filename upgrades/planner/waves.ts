/**
 * Rollout waves. Environments go through the policy's stages in order (canary, non-prod, prod by
 * ring). Each stage opens with a small first wave that bakes, then runs growing waves in
 * parallel within the fleet's daily capacity (stage-fill.ts); the next stage opens once the
 * previous stage's first wave has baked, and canary.ts then holds every prod change back until
 * its version has baked in an earlier stage. Every wave is one local date on which each member
 * has a maintenance window clear of its freezes. Environments bringing a fast-track fix
 * (critical by default) run on their own track with a shorter bake. A security fix that the
 * staged order would deliver after its deadline is pulled forward (expedited) when a window allows.
 */
import type { Policy } from '../policy';
import { stageMatches } from '../policy';
import { isoOf, utcDay } from './dates';
import type { EnvironmentInput } from './types';
import { scheduleStage } from './stage-fill';
import { describeFreeze, freezesBetween, lastSlotBefore, slotOn, type Calendar, type Slot } from './windows';


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
  /** The earliest instant the staged order would let it start (its stage open, its holds over). Default: now. */
  readonly notBefore?: number;
  /** A prod environment held back because its customer's non-prod found no window clear of freezes: that stack, and the slot prod had. */
  readonly behindFrozen?: { readonly stack: string; readonly slot: Slot };
}

export interface ScheduleResult {
  readonly waves: DraftWave[];
  readonly unscheduled: Unscheduled[];
}

export function stageIndexOf(env: EnvironmentInput, policy: Policy): number {
  return policy.waves.stages.findIndex((s) => stageMatches(s, env.environment, env.ring));
}

export function scheduleWaves(candidates: readonly WaveCandidate[], policy: Policy, now: Date): ScheduleResult {
  const waves: DraftWave[] = [];
  const unscheduled: Unscheduled[] = [];
  const start = now.getTime();
  const lastDay = utcDay(start) + policy.waves.horizonDays;
  const used = new Map<number, number>();

  for (const fastTrack of [true, false]) {
    const bakeDays = fastTrack ? policy.waves.fastTrack.bakeDays : policy.waves.bakeDays;
    const track = candidates.filter((c) => c.fastTrack === fastTrack);
    const trackWaves: DraftWave[] = [];
    let notBefore = start;
    policy.waves.stages.forEach((_, stageIndex) => {
      const pending = track.filter((c) => stageIndexOf(c.env, policy) === stageIndex);
      if (pending.length === 0) return;
      const r = scheduleStage(pending, notBefore, { policy, stageIndex, fastTrack, bakeDays, lastDay, used });
      trackWaves.push(...r.waves);
      unscheduled.push(...r.unscheduled);
      // The next stage opens once this stage's first wave has baked.
      if (r.gate !== undefined) notBefore = r.gate;
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
      unscheduled[item.unscheduledAt!] = { ...u, reason: `${u.reason}; late: the ${due.text} cannot be met: ${cause}` };
    }
  }
  for (const i of removeUnscheduled.sort((a, b) => b - a)) unscheduled.splice(i, 1);
}
