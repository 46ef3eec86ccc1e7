/**
 * The planner's entry point: customer environments + release catalog + policy + "now" in, an
 * UpgradePlan out. Pure and deterministic: no I/O, no clock, every list in a stable order, so the
 * same inputs give a byte-identical plan.
 */
import { COMPONENT_IDS, componentPins, stackId, type ComponentId, type CustomerSpec } from '../../customers/schema';
import type { Catalog } from '../catalog/schema';
import type { Policy } from '../policy';
import { dayOf, dayStart, isoOf, utcDay } from './dates';
import { deadlineInstant, newPlanCache, planEnvironment, type EnvironmentDraft } from './environment';
import { supportedLines } from './support';
import type { ComponentStatus, DeferredItem, EnvironmentInput, PlannedEnvironment, PlanWave, RankedChange, UnknownEnvironment, UpgradePlan } from './types';
import { indexCatalog, type CatalogIndex } from './versions';
import { minimalFastTrack } from './fast-track';
import { scheduleWaves, type DraftWave, type Unscheduled, type WaveCandidate } from './waves';
import { approvalsNeeded } from './approvals';
import { enforceStageOrder } from './canary';
import { calendarOf, type Slot, describeFreeze, describeSlot, freezeOn, freezesBetween, localDay, localToInstant } from './windows';

export interface PlannerInput {
  readonly environments: readonly EnvironmentInput[];
  readonly catalog: Catalog | CatalogIndex;
  readonly policy: Policy;
  readonly now: Date;
}

export function environmentFromSpec(spec: CustomerSpec): EnvironmentInput {
  return {
    stack: stackId(spec),
    customer: spec.id,
    environment: spec.environment,
    ring: spec.rollout.ring,
    timezone: spec.maintenance.timezone,
    windows: spec.maintenance.windows,
    freezes: spec.freezes,
    holds: spec.rollout.holds,
    approvedMajors: spec.rollout.approvedMajors,
    pins: componentPins(spec),
    features: spec.features?.compression ? ['compression'] : [],
  };
}

/** Plans validated environments (`environmentFromSpec`); `pinProblems` (by stack) make those environments unknown. */
export function planFleet(
  environments: readonly EnvironmentInput[],
  catalog: Catalog | CatalogIndex,
  policy: Policy,
  now: Date,
  pinProblems: ReadonlyMap<string, readonly string[]> = new Map(),
): UpgradePlan {
  const planned = environments.map((env) => {
    const problems = pinProblems.get(env.stack);
    return problems ? { ...env, pinProblems: problems } : env;
  });
  return planUpgrades({ environments: planned, catalog, policy, now });
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planUpgrades(input: PlannerInput): UpgradePlan {
  const { policy, now } = input;
  const index: CatalogIndex = input.catalog instanceof Map ? input.catalog : indexCatalog(input.catalog as Catalog);
  const today = utcDay(now.getTime());
  const lines = new Map<ComponentId, readonly string[]>();
  for (const [component, ci] of index) lines.set(component, supportedLines(ci, policy, today));

  const envs = [...input.environments].sort((a, b) => compareText(a.stack, b.stack));
  const cache = newPlanCache();
  const lastDay = today + policy.waves.horizonDays;
  const drafts = envs.map((env) => minimalFastTrack(planEnvironment(env, index, lines, policy, today, cache), index, lines, policy, today, cache));
  const byStack = new Map(drafts.map((d) => [d.env.stack, d]));
  // Before any hold is lifted: a fix that waited for a held prerequisite may still need an approval.
  const heldAtStart = new Map(drafts.map((d) => [d.env.stack, d.heldPrerequisites]));

  // Holds are judged on the slot's date: a hold ending within the horizon lets its component in
  // when the environment's window falls after it, or makes a slot for it after the hold ends.
  const candidates: WaveCandidate[] = [];
  const liftedNotes = new Map<string, string[]>();
  /** Holds a slot after their end let through: the approvals check still sees them. */
  const liftedHolds = new Map<string, EnvironmentInput['holds']>();
  for (const d of drafts) {
    if (d.unknown.length > 0) continue;
    if (d.changes.length > 0) {
      candidates.push(candidateOf(d, policy));
      continue;
    }
    const ending = endingHolds(d.env, today, lastDay);
    if (ending.length === 0) continue;
    const lifted = minimalFastTrack(planEnvironment(withoutHolds(d.env, ending), index, lines, policy, today, cache), index, lines, policy, today, cache);
    if (lifted.changes.length === 0) continue;
    const cal = calendarOf(d.env);
    const lastUntil = ending.reduce((m, h) => (h.until! > m ? h.until! : m), '');
    const earliest = localToInstant(cal.timezone, dayOf(lastUntil) + 1, 0) ?? dayStart(dayOf(lastUntil) + 1);
    byStack.set(d.env.stack, lifted);
    liftedHolds.set(d.env.stack, ending);
    liftedNotes.set(d.env.stack, ending.map((h) => `hold on ${h.component} ends ${h.until}, before this window: ${h.component} is included`));
    candidates.push({ ...candidateOf(lifted, policy), earliest });
  }
  const schedule = scheduleWaves(candidates, policy, now);

  // A slot after a hold's last day takes the held component too, before the canary pass, so that
  // its version, like every other, reaches a stage only after it baked in an earlier one.
  for (const w of schedule.waves) {
    for (const m of w.members) {
      const env = m.candidate.env;
      m.notes.push(...(liftedNotes.get(env.stack) ?? []));
      const ending = endingHolds(env, today, lastDay).filter((h) => h.until! < isoOf(m.slot.day));
      if (ending.length === 0 || byStack.get(env.stack)!.env !== env) continue;
      // The wave's track decides what goes: on the fast track only the fix and its prerequisites,
      // in a regular wave (with its full bake) the whole change set, the unheld component with it.
      const unheld = planEnvironment(withoutHolds(env, ending), index, lines, policy, today, cache);
      const lifted = w.fastTrack ? minimalFastTrack(unheld, index, lines, policy, today, cache) : unheld;
      byStack.set(env.stack, lifted);
      for (const h of ending) m.notes.push(`hold on ${h.component} ends ${h.until}, before this window: ${h.component} is included`);
      liftedHolds.set(env.stack, ending);
      lateAfterHold(lifted, ending, m.slot.start, m.notes);
    }
  }
  // Moving a member later never un-ends a hold, so what was let in above stays right.
  enforceStageOrder(schedule, { changesOf: (stack) => byStack.get(stack)!.changes, environments: envs }, policy, now.getTime());

  const finalDrafts = envs.map((e) => byStack.get(e.stack)!);
  const deferred: DeferredItem[] = finalDrafts.flatMap((d) => d.deferred);
  for (const u of schedule.unscheduled) {
    for (const c of byStack.get(u.candidate.env.stack)!.changes) {
      deferred.push({ stack: u.candidate.env.stack, component: c.component, from: c.from, to: c.to, reason: `not scheduled: ${u.reason}` });
    }
  }
  deferred.sort(
    (a, b) =>
      compareText(a.stack, b.stack) ||
      COMPONENT_IDS.indexOf(a.component) - COMPONENT_IDS.indexOf(b.component) ||
      compareText(a.reason, b.reason),
  );

  const ordered = numberWaves(schedule.waves);
  const names = waveNames(ordered);
  const waves = ordered.map((w, i) => renderWave(w, i + 1, names[i], byStack, now.getTime()));
  const waveOf = new Map<string, number>();
  for (const w of waves) for (const e of w.environments) waveOf.set(e.stack, w.number);

  const ranking: RankedChange[] = waves
    .flatMap((w) => w.environments.flatMap((e) => e.changes.map((c, order) => ({ e, c, order, wave: w.number }))))
    .sort((a, b) => b.c.score - a.c.score || compareText(a.e.stack, b.e.stack) || a.order - b.order)
    .map((x, i) => ({ rank: i + 1, stack: x.e.stack, component: x.c.component, from: x.c.from, to: x.c.to, score: x.c.score, wave: x.wave }));

  const deferredOf = new Map<string, Set<ComponentId>>();
  for (const x of deferred) {
    let components = deferredOf.get(x.stack);
    if (!components) deferredOf.set(x.stack, (components = new Set()));
    components.add(x.component);
  }
  const statuses: ComponentStatus[] = [];
  for (const d of finalDrafts) {
    const deferredHere = deferredOf.get(d.env.stack);
    for (const s of d.statuses) {
      const scheduled = waveOf.has(d.env.stack) ? d.changes.find((c) => c.component === s.component) : undefined;
      const isDeferred = deferredHere?.has(s.component) ?? false;
      s.decision = scheduled ? (isDeferred ? 'partial' : 'upgrade') : isDeferred ? 'deferred' : 'none';
      s.target = scheduled ? scheduled.to : null;
      statuses.push(s);
    }
  }

  const unknown: UnknownEnvironment[] = finalDrafts
    .filter((d) => d.unknown.length > 0)
    .map((d) => ({ stack: d.env.stack, customer: d.env.customer, environment: d.env.environment, reasons: [...d.unknown] }));
  const slotOf = new Map<string, Slot>();
  const notBeforeOf = new Map<string, number>();
  for (const w of schedule.waves) {
    for (const m of w.members) {
      slotOf.set(m.candidate.env.stack, m.slot);
      notBeforeOf.set(m.candidate.env.stack, w.notBefore);
    }
  }
  const behindFrozenOf = new Map<string, NonNullable<Unscheduled['behindFrozen']>>();
  for (const u of schedule.unscheduled) {
    if (u.notBefore !== undefined) notBeforeOf.set(u.candidate.env.stack, u.notBefore);
    if (u.behindFrozen) behindFrozenOf.set(u.candidate.env.stack, u.behindFrozen);
  }
  const approvals = approvalsNeeded(
    finalDrafts.map((d) => ({
      draft: d,
      calendar: calendarOf(d.env),
      slot: waveOf.has(d.env.stack) ? slotOf.get(d.env.stack) : undefined,
      liftedHolds: liftedHolds.get(d.env.stack) ?? [],
      notBefore: notBeforeOf.get(d.env.stack) ?? now.getTime(),
      behindFrozen: behindFrozenOf.get(d.env.stack),
      heldPrerequisites: heldAtStart.get(d.env.stack) ?? d.heldPrerequisites,
    })),
    now.getTime(),
    lastDay,
  );
  let missingSecurityFixes = 0;
  let overdueSecurityFixes = 0;
  for (const s of statuses) {
    missingSecurityFixes += s.missingSecurityFixes.length;
    for (const f of s.missingSecurityFixes) if (f.daysOverdue > 0) overdueSecurityFixes++;
  }
  return {
    generatedFor: isoOf(today),
    summary: {
      environments: envs.length,
      environmentsWithChanges: waveOf.size,
      changes: ranking.length,
      waves: waves.length,
      deferred: deferred.length,
      missingSecurityFixes,
      overdueSecurityFixes,
      unsupported: statuses.filter((s) => s.support !== 'supported' && s.support !== 'unknown').length,
      approvalsNeeded: approvals.length,
      unknownEnvironments: unknown.length,
    },
    approvalsNeeded: approvals,
    waves,
    unknown,
    deferred,
    statuses,
    ranking,
  };
}

function candidateOf(d: EnvironmentDraft, policy: Policy): WaveCandidate {
  const dueFixes = d.changes.flatMap((c) => c.dueFixes.map((f) => ({ c, f })));
  const first = dueFixes.sort((a, b) => a.f.deadlineDay - b.f.deadlineDay)[0];
  return {
    env: d.env,
    calendar: calendarOf(d.env),
    priority: Math.max(...d.changes.map((c) => c.score)),
    fastTrack: d.changes.some((c) => c.bringsSeverities.some((s) => (policy.waves.fastTrack.severities as readonly string[]).includes(s))),
    due: first
      ? { instant: deadlineInstant(first.f), text: `${first.f.severity} security fix in ${first.c.component} ${first.f.rel.version} due ${isoOf(first.f.deadlineDay)}` }
      : undefined,
  };
}

/** A held component let in after its hold: say so where that is past a fix's deadline. */
function lateAfterHold(draft: EnvironmentDraft, holds: EnvironmentInput['holds'], slotStart: number, notes: string[]): void {
  for (const c of draft.changes) {
    const hold = holds.find((h) => h.component === c.component);
    const late = hold ? c.dueFixes.find((f) => deadlineInstant(f) < slotStart) : undefined;
    if (hold && late) notes.push(`late: the ${late.severity} security fix in ${c.component} ${late.rel.version} due ${isoOf(late.deadlineDay)} cannot be met: held until ${hold.until}`);
  }
}

/** Holds active today that end within the horizon. */
function endingHolds(env: EnvironmentInput, today: number, lastDay: number): EnvironmentInput['holds'] {
  const from = isoOf(today);
  const to = isoOf(lastDay);
  return env.holds.filter((h) => h.until !== undefined && h.until >= from && h.until < to);
}

function withoutHolds(env: EnvironmentInput, holds: EnvironmentInput['holds']): EnvironmentInput {
  return { ...env, holds: env.holds.filter((h) => !holds.includes(h)) };
}

/** Waves run in date order; on the same day the fast track goes first. */
function numberWaves(waves: readonly DraftWave[]): DraftWave[] {
  const firstStart = (w: DraftWave) => Math.min(...w.members.map((m) => m.slot.start));
  return [...waves].sort(
    (a, b) =>
      a.day - b.day ||
      firstStart(a) - firstStart(b) ||
      Number(b.fastTrack) - Number(a.fastTrack) ||
      a.stageIndex - b.stageIndex ||
      compareText(a.members[0].candidate.env.stack, b.members[0].candidate.env.stack),
  );
}

function waveBaseName(w: DraftWave): string {
  return `${w.fastTrack ? 'fast track: ' : ''}${w.stage}${w.expedited ? ' (expedited)' : ''}`;
}

/** "prod ring 2", or "prod ring 2 (1 of 3)" when a stage needs several waves. */
function waveNames(waves: readonly DraftWave[]): string[] {
  const total = new Map<string, number>();
  for (const w of waves) total.set(waveBaseName(w), (total.get(waveBaseName(w)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return waves.map((w) => {
    const base = waveBaseName(w);
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return total.get(base)! > 1 ? `${base} (${k} of ${total.get(base)})` : base;
  });
}

function renderWave(w: DraftWave, number: number, name: string, byStack: ReadonlyMap<string, EnvironmentDraft>, now: number): PlanWave {
  const environments: PlannedEnvironment[] = [...w.members]
    .sort((a, b) => b.candidate.priority - a.candidate.priority || compareText(a.candidate.env.stack, b.candidate.env.stack))
    .map((m) => {
      const draft = byStack.get(m.candidate.env.stack)!;
      const cal = m.candidate.calendar;
      const notes: string[] = [];
      const frozenNow = freezeOn(cal, localDay(cal.timezone, now));
      if (frozenNow) notes.push(`in a freeze now: ${describeFreeze(frozenNow)}`);
      for (const f of freezesBetween(cal, w.notBefore, m.slot.start)) notes.push(`waits for ${describeFreeze(f)}`);
      notes.push(...m.notes);
      const scheduleNotes = m.notes.filter((n) => n.startsWith('late:') || n.startsWith('expedited:'));
      return {
        stack: draft.env.stack,
        customer: draft.env.customer,
        environment: draft.env.environment,
        ring: draft.env.ring,
        priority: m.candidate.priority,
        window: { start: new Date(m.slot.start).toISOString(), end: new Date(m.slot.end).toISOString(), local: describeSlot(cal, m.slot) },
        notes,
        changes: draft.changes.map((c) => ({
          component: c.component,
          from: c.from,
          to: c.to,
          score: c.score,
          scoreBreakdown: c.scoreBreakdown,
          severity: c.severity,
          reasons: c.dueFixes.length > 0 ? [...c.reasons, ...scheduleNotes] : [...c.reasons],
        })),
      };
    });
  return {
    number,
    name,
    stage: w.stage,
    start: isoOf(w.day),
    fastTrack: w.fastTrack,
    bakeDays: w.bakeDays,
    environments,
  };
}
