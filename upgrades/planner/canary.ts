/**
 * Version-based canary, applied to a finished schedule: a prod environment never goes before
 * the same customer's non-prod environments have run and baked, and a version reaches a stage
 * only after it has baked in an earlier one (or already runs there). Expediting can pull prod
 * ahead of the staged order to meet a deadline; this pass puts those rules back and says what
 * waited. Dependencies only point to earlier stages, so one pass in stage order settles them.
 */
import type { ComponentId } from '../../customers/schema';
import type { Policy } from '../policy';
import { isoOf, utcDay } from './dates';
import type { EnvironmentInput } from './types';
import { stageIndexOf, type DraftWave, type ScheduleResult, type WaveMember } from './waves';
import { nextDayStart } from './stage-fill';
import { firstSlot, freezesBetween } from './windows';

const DAY_MS = 86_400_000;

export interface CanaryInputs {
  /** The changes each scheduled stack makes. */
  readonly changesOf: (stack: string) => readonly { readonly component: ComponentId; readonly to: string }[];
  /** Every environment in the plan, for the versions they already run. */
  readonly environments: readonly EnvironmentInput[];
}

interface Placed {
  readonly wave: DraftWave;
  readonly member: WaveMember;
}

/** Values by component, then version: cheaper than a "component@version" string built per pin. */
class ByVersion<V> {
  private readonly byComponent = new Map<string, Map<string, V>>();

  get(component: string, version: string): V | undefined {
    return this.byComponent.get(component)?.get(version);
  }

  set(component: string, version: string, value: V): void {
    let versions = this.byComponent.get(component);
    if (versions === undefined) this.byComponent.set(component, (versions = new Map()));
    versions.set(version, value);
  }
}

export function enforceStageOrder(result: ScheduleResult, inputs: CanaryInputs, policy: Policy, now: number): void {
  const lastDay = utcDay(now) + policy.waves.horizonDays;
  // The earliest stage already running each version.
  const runningFrom = new ByVersion<number>();
  for (const env of inputs.environments) {
    const stage = stageIndexOf(env, policy);
    for (const pin of env.pins) {
      if (stage >= 0 && (runningFrom.get(pin.component, pin.version) ?? Infinity) > stage) runningFrom.set(pin.component, pin.version, stage);
    }
  }
  const baked = (wave: DraftWave, member: WaveMember) => member.slot.end + wave.bakeDays * DAY_MS;
  // This pass moves only prod environments, so where each customer's non-prod ends up is known
  // now, whatever stage either is in (a ring-0 prod in the canary stage still waits for its
  // customer's staging in the non-prod stage after it).
  const siblings = nonProdSiblings(result, now, (lastDay + 1) * DAY_MS - 1, baked);
  const used = new Map<number, number>();
  for (const wave of result.waves) used.set(wave.day, (used.get(wave.day) ?? 0) + wave.members.length);
  // Indexes over the stages already settled: each stage only looks at earlier ones.
  const versionBaked = new ByVersion<{ at: number; stack: string; stage: string }>();
  // An environment's stage is its own, whatever wave expediting put it in.
  const stageCache = new Map<WaveMember, number>();
  const stageOf = (m: WaveMember) => {
    let i = stageCache.get(m);
    if (i === undefined) stageCache.set(m, (i = stageIndexOf(m.candidate.env, policy)));
    return i;
  };
  const stages = [...new Set(result.waves.flatMap((w) => w.members.map(stageOf)))].sort((a, b) => a - b);
  for (const stage of stages) {
    const items: Placed[] = result.waves
      .flatMap((wave) => wave.members.filter((m) => stageOf(m) === stage).map((member) => ({ wave, member })))
      .sort((a, b) => a.member.slot.start - b.member.slot.start);
    for (const item of items) {
      const env = item.member.candidate.env;
      // Only a non-prod that runs a changed component at another version tests the change first;
      // one that already runs prod's targets (or not that component) has nothing to show.
      const changes = env.environment === 'prod' ? inputs.changesOf(env.stack) : [];
      const testers = (siblings.get(env.customer) ?? []).filter((s) => changes.some((c) => s.env.pins.some((p) => p.component === c.component && p.version !== c.to)));
      const stuck = testers.find((s) => s.unscheduled !== undefined);
      if (stuck) {
        // Its non-prod has no slot in the horizon: going first would make prod the customer's test.
        item.wave.members.splice(item.wave.members.indexOf(item.member), 1);
        used.set(item.wave.day, used.get(item.wave.day)! - 1);
        result.unscheduled.push({
          candidate: item.member.candidate,
          reason: `waits for ${stuck.env.stack} (same customer, non-prod), which is not scheduled: ${stuck.unscheduled!.reason}`,
          ...(stuck.unscheduled!.frozen ? { behindFrozen: { stack: stuck.env.stack, slot: item.member.slot } } : {}),
        });
        continue;
      }
      let required = now;
      const waits: string[] = [];
      const start = item.member.slot.start;
      const sibling = testers.reduce<{ at: number; stack: string } | undefined>((latest, s) => (s.baked !== undefined && (!latest || s.baked > latest.at) ? { at: s.baked, stack: s.env.stack } : latest), undefined);
      if (sibling && sibling.at > start) {
        required = sibling.at;
        waits.push(`${sibling.stack} (same customer, non-prod) to run and bake`);
      }
      if (stage > 0 && env.environment === 'prod') {
        for (const c of inputs.changesOf(env.stack)) {
          if ((runningFrom.get(c.component, c.to) ?? Infinity) < stage) continue;
          const earlier = versionBaked.get(c.component, c.to);
          if (!earlier) {
            item.member.notes.push(`canary: no earlier stage runs or gets ${c.component} ${c.to}; ${env.stack} is its first stage`);
          } else if (earlier.at > start && !(sibling && earlier.stack === sibling.stack && sibling.at >= earlier.at)) {
            required = Math.max(required, earlier.at);
            waits.push(`${c.component} ${c.to} to bake in ${earlier.stack} (${earlier.stage})`);
          }
        }
      }
      if (item.member.slot.start < required) move(item, required, waits, result, policy, lastDay, used);
    }
    // This stage is settled: index where its members ended up.
    for (const wave of result.waves) {
      for (const member of wave.members.filter((m) => stageOf(m) === stage)) {
        const env = member.candidate.env;
        const at = baked(wave, member);
        for (const c of inputs.changesOf(env.stack)) {
          const prev = versionBaked.get(c.component, c.to);
          if (!prev || at < prev.at) versionBaked.set(c.component, c.to, { at, stack: env.stack, stage: wave.stage });
        }
      }
    }
  }
  result.waves.splice(0, result.waves.length, ...result.waves.filter((w) => w.members.length > 0));
}

function move(item: Placed, required: number, waits: readonly string[], result: ScheduleResult, policy: Policy, lastDay: number, used: Map<number, number>): void {
  const { wave, member } = item;
  const cand = member.candidate;
  const stageIndex = stageIndexOf(cand.env, policy);
  wave.members.splice(wave.members.indexOf(member), 1);
  used.set(wave.day, used.get(wave.day)! - 1);
  const why = `waits for ${waits.join(' and ')}`;
  // The fleet's daily capacity holds here too: a day already full is skipped.
  let full = false;
  let slot = firstSlot(cand.calendar, required, lastDay);
  while (slot && (used.get(slot.day) ?? 0) >= policy.waves.environmentsPerDay) {
    full = true;
    slot = firstSlot(cand.calendar, nextDayStart(cand.calendar, slot), lastDay);
  }
  if (!slot) {
    const capacity = full ? `; capacity: the other days fall on days already at waves.environmentsPerDay (${policy.waves.environmentsPerDay})` : '';
    result.unscheduled.push({ candidate: cand, reason: `${why}: no maintenance window after ${new Date(required).toISOString()} clear of freezes before ${isoOf(lastDay)} (scheduling horizon)${capacity}` });
    return;
  }
  used.set(slot.day, (used.get(slot.day) ?? 0) + 1);
  const notes = [...member.notes.filter((n) => !n.startsWith('expedited:')), why];
  if (cand.due && slot.start > cand.due.instant) notes.push(`late: the ${cand.due.text} cannot be met: ${why}`);
  const cap = policy.waves.stages[stageIndex].maxEnvironmentsPerWave ?? policy.waves.maxEnvironmentsPerWave;
  let target = result.waves.find((w) => w.stageIndex === stageIndex && w.fastTrack === wave.fastTrack && w.day === slot.day && w.members.length < cap);
  if (!target) {
    target = { stageIndex, stage: policy.waves.stages[stageIndex].name, fastTrack: wave.fastTrack, expedited: false, day: slot.day, bakeDays: wave.bakeDays, notBefore: required, members: [] };
    result.waves.push(target);
  }
  target.members.push({ candidate: cand, slot, notes });
}

interface Sibling {
  readonly env: EnvironmentInput;
  /** When its wave has run and baked, if it has one. */
  readonly baked?: number;
  /** Why it has no slot, if it has none; `frozen` when a freeze covers the rest of the horizon. */
  readonly unscheduled?: { readonly reason: string; readonly frozen: boolean };
}

/** Each customer's non-prod environments with changes, scheduled or not. */
function nonProdSiblings(result: ScheduleResult, now: number, horizonEnd: number, baked: (wave: DraftWave, member: WaveMember) => number): Map<string, Sibling[]> {
  const byStack = new Map<string, Sibling>();
  for (const wave of result.waves) {
    for (const member of wave.members) {
      const env = member.candidate.env;
      if (env.environment === 'prod') continue;
      const at = baked(wave, member);
      const prev = byStack.get(env.stack);
      if (!prev || at > prev.baked!) byStack.set(env.stack, { env, baked: at });
    }
  }
  for (const u of result.unscheduled) {
    const env = u.candidate.env;
    if (env.environment === 'prod' || byStack.has(env.stack)) continue;
    byStack.set(env.stack, { env, unscheduled: { reason: u.reason, frozen: freezesBetween(u.candidate.calendar, u.notBefore ?? now, horizonEnd).length > 0 } });
  }
  const out = new Map<string, Sibling[]>();
  for (const s of byStack.values()) {
    const list = out.get(s.env.customer);
    if (list) list.push(s);
    else out.set(s.env.customer, [s]);
  }
  return out;
}
