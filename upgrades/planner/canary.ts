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
  const nonProdBaked = new Map<string, { at: number; stack: string }>();
  for (const wave of result.waves) {
    for (const member of wave.members) {
      const env = member.candidate.env;
      const at = baked(wave, member);
      const prev = nonProdBaked.get(env.customer);
      if (env.environment !== 'prod' && (!prev || at > prev.at)) nonProdBaked.set(env.customer, { at, stack: env.stack });
    }
  }
  const nonProdUnscheduled = new Map<string, { stack: string; reason: string; frozen: boolean }>();
  const horizonEnd = (lastDay + 1) * DAY_MS - 1;
  for (const u of result.unscheduled) {
    const env = u.candidate.env;
    if (env.environment === 'prod' || nonProdUnscheduled.has(env.customer)) continue;
    const frozen = freezesBetween(u.candidate.calendar, u.notBefore ?? now, horizonEnd).length > 0;
    nonProdUnscheduled.set(env.customer, { stack: env.stack, reason: u.reason, frozen });
  }
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
      const stuck = env.environment === 'prod' ? nonProdUnscheduled.get(env.customer) : undefined;
      if (stuck) {
        // Its non-prod has no slot in the horizon: going first would make prod the customer's test.
        item.wave.members.splice(item.wave.members.indexOf(item.member), 1);
        result.unscheduled.push({
          candidate: item.member.candidate,
          reason: `waits for ${stuck.stack} (same customer, non-prod), which is not scheduled: ${stuck.reason}`,
          ...(stuck.frozen ? { behindFrozen: { stack: stuck.stack, slot: item.member.slot } } : {}),
        });
        continue;
      }
      let required = now;
      const waits: string[] = [];
      const start = item.member.slot.start;
      const sibling = env.environment === 'prod' ? nonProdBaked.get(env.customer) : undefined;
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
      if (item.member.slot.start < required) move(item, required, waits, result, policy, lastDay);
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

function move(item: Placed, required: number, waits: readonly string[], result: ScheduleResult, policy: Policy, lastDay: number): void {
  const { wave, member } = item;
  const cand = member.candidate;
  const stageIndex = stageIndexOf(cand.env, policy);
  wave.members.splice(wave.members.indexOf(member), 1);
  const why = `waits for ${waits.join(' and ')}`;
  const slot = firstSlot(cand.calendar, required, lastDay);
  if (!slot) {
    result.unscheduled.push({ candidate: cand, reason: `${why}: no maintenance window after ${new Date(required).toISOString()} clear of freezes before ${isoOf(lastDay)} (scheduling horizon)` });
    return;
  }
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
