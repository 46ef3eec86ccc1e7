/**
 * Approvals instead of silence: a critical or high security fix that misses its deadline because
 * a freeze or a hold is in the way is listed for a person to decide, with the slot it would get
 * if they approved. A fix that is late only because of the staged order is expedited instead
 * (waves.ts), and one with no window at all carries a "late:" note: neither needs an approval.
 */
import type { ComponentId } from '../../customers/schema';
import { SEVERITY_RANK } from './status';
import { compareVersions } from '../catalog/version';
import { dayOf, dayStart, isoOf } from './dates';
import type { EnvironmentDraft } from './environment';
import type { ApprovalNeeded, ComponentStatus, EnvironmentInput, MissingSecurityFix } from './types';
import { describeFreeze, firstSlot, freezeDuring, type Calendar, type Slot } from './windows';

/** The severities whose missed deadline needs a person's decision rather than a note. */
const NEEDS_APPROVAL = new Set(['critical', 'high']);

export interface ApprovalInputs {
  readonly draft: EnvironmentDraft;
  readonly calendar: Calendar;
  /** The environment's slot in the plan, if it has one. */
  readonly slot?: Slot;
  /** Holds that ended before the slot and so let their component in, possibly late. */
  readonly liftedHolds: EnvironmentInput['holds'];
  /** When the staged order lets the environment's wave start at the earliest (the previous wave baked). */
  readonly notBefore: number;
  /** A prod environment waiting for its customer's frozen non-prod: that stack, and the slot prod would take if let go first. */
  readonly behindFrozen?: { readonly stack: string; readonly slot: Slot };
  /** Components kept below a fix because a prerequisite was held when the plan began (before any hold was lifted). */
  readonly heldPrerequisites: ReadonlyMap<ComponentId, ComponentId>;
}

function worstOf(fixes: readonly MissingSecurityFix[]): MissingSecurityFix | undefined {
  return [...fixes].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0))[0];
}

/** By list: environments on the same pin share its list of missing fixes (environment.ts), and so this. */
const urgentFixes = new WeakMap<readonly MissingSecurityFix[], readonly MissingSecurityFix[]>();

function urgentOf(fixes: readonly MissingSecurityFix[]): readonly MissingSecurityFix[] {
  let urgent = urgentFixes.get(fixes);
  if (urgent === undefined) urgentFixes.set(fixes, (urgent = fixes.filter((f) => NEEDS_APPROVAL.has(f.severity))));
  return urgent;
}

const endOfDay = (iso: string) => dayStart(dayOf(iso) + 1) - 1;

export function approvalsNeeded(inputs: readonly ApprovalInputs[], now: number, lastDay: number): ApprovalNeeded[] {
  const out: ApprovalNeeded[] = [];
  for (const input of inputs) {
    if (input.draft.unknown.length > 0) continue;
    for (const s of input.draft.statuses) {
      const urgent = urgentOf(s.missingSecurityFixes);
      const entry = urgent.length > 0 ? approvalFor(input, s, urgent, now, lastDay) : undefined;
      if (entry) out.push(entry);
    }
  }
  return out.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0) || a.component.localeCompare(b.component, 'en'));
}

function approvalFor(input: ApprovalInputs, s: ComponentStatus, urgent: readonly MissingSecurityFix[], now: number, lastDay: number): ApprovalNeeded | undefined {
  const { draft, calendar, slot, liftedHolds, behindFrozen } = input;
  const from = Math.max(now, input.notBefore);
  const change = draft.changes.find((c) => c.component === s.component);
  const prerequisite = input.heldPrerequisites.get(s.component);
  const heldPrerequisite = () => (prerequisite ? holdApproval(draft.env.holds, prerequisite, s, urgent, change?.to, calendar, slot, from, now, lastDay) : undefined);
  if (!change) return holdApproval(draft.env.holds, s.component, s, urgent, undefined, calendar, slot, from, now, lastDay) ?? heldPrerequisite();
  if (behindFrozen) return siblingApproval(s, urgent, change.to, behindFrozen);
  const lifted = liftedHolds.find((h) => h.component === s.component || h.component === prerequisite);
  if (lifted && slot) {
    const late = urgent.filter((f) => compareVersions(f.version, change.to) <= 0 && endOfDay(f.deadline) < slot.start);
    return liftedHoldApproval(lifted, s, late, calendar, slot, from, now, lastDay);
  }
  return freezeApproval(s, urgent, change.to, calendar, slot, from, lastDay) ?? heldPrerequisite();
}

/** A freeze pushed the fix's slot past its deadline: approving work in the freeze gets the first window. */
function freezeApproval(
  s: ComponentStatus,
  urgent: readonly MissingSecurityFix[],
  to: string,
  cal: Calendar,
  slot: Slot | undefined,
  notBefore: number,
  lastDay: number,
): ApprovalNeeded | undefined {
  // Without a freeze there is nothing to approve here (and no slot need be searched for).
  if (cal.freezes.length === 0) return undefined;
  const brought = urgent.filter((f) => compareVersions(f.version, to) <= 0);
  const worst = worstOf(brought);
  if (!worst) return undefined;
  const deadline = endOfDay(worst.deadline);
  if (slot && slot.start <= deadline) return undefined;
  // Only a freeze that delays the slot beyond what the staged order allows needs approving.
  const unfrozen = firstSlot({ ...cal, freezes: [] }, notBefore, lastDay);
  if (!unfrozen || (slot && unfrozen.start >= slot.start)) return undefined;
  const freeze = freezeDuring(cal, unfrozen.day, unfrozen.end);
  if (!freeze) return undefined;
  return entry(s, to, worst, 'freeze', unfrozen, `${describeFreeze(freeze)} covers the windows before ${slot ? `the planned slot ${new Date(slot.start).toISOString()}` : 'the horizon ends'}`);
}

/** Prod never goes before its customer's non-prod, and that one is frozen past the horizon: approving lets prod go first. */
function siblingApproval(s: ComponentStatus, urgent: readonly MissingSecurityFix[], to: string, behind: { readonly stack: string; readonly slot: Slot }): ApprovalNeeded | undefined {
  const worst = worstOf(urgent.filter((f) => compareVersions(f.version, to) <= 0));
  if (!worst) return undefined;
  return entry(s, to, worst, 'freeze', behind.slot, `${behind.stack} (same customer, non-prod) has no window clear of its freezes in the horizon, and prod never goes first; approving lets prod go before it`);
}

/** A hold ended before the slot but after the fix's deadline: worth approving only if a window before the slot opens without it. */
function liftedHoldApproval(hold: EnvironmentInput['holds'][number], s: ComponentStatus, late: readonly MissingSecurityFix[], cal: Calendar, slot: Slot, from: number, now: number, lastDay: number): ApprovalNeeded | undefined {
  const unheld = firstSlot(cal, from, lastDay);
  if (!unheld || unheld.start >= slot.start) return undefined;
  return holdApproval([hold], hold.component, s, late, undefined, cal, unheld, from, now, lastDay);
}

/**
 * A hold on `held` (the component itself, or a prerequisite of the fix's release) keeps the fix
 * out past its deadline. `to`: what the plan moves the component to, whose fixes are not missed.
 */
function holdApproval(
  holds: EnvironmentInput['holds'],
  held: ComponentId,
  s: ComponentStatus,
  urgent: readonly MissingSecurityFix[],
  to: string | undefined,
  cal: Calendar,
  slot: Slot | undefined,
  from: number,
  now: number,
  lastDay: number,
): ApprovalNeeded | undefined {
  const today = isoOf(Math.floor(now / 86_400_000));
  const hold = holds.find((h) => h.component === held && (h.until === undefined || h.until >= today));
  if (!hold) return undefined;
  const missed = urgent.filter((f) => (to === undefined || compareVersions(f.version, to) > 0) && (hold.until === undefined || hold.until >= f.deadline));
  const worst = worstOf(missed);
  if (!worst) return undefined;
  const earliest = slot ?? firstSlot(cal, from, lastDay);
  const until = hold.until ? ` until ${hold.until}` : '';
  const why = held === s.component ? `held${until}: ${hold.reason}` : `needs ${held} moved first, which is held${until}: ${hold.reason}`;
  return entry(s, worst.version, worst, 'hold', earliest, why);
}

function entry(s: ComponentStatus, to: string, f: MissingSecurityFix, blockedBy: 'freeze' | 'hold', slot: Slot | undefined, why: string): ApprovalNeeded {
  return {
    stack: s.stack,
    component: s.component as ComponentId,
    to,
    advisory: f.advisories[0] ?? null,
    severity: f.severity,
    deadline: f.deadline,
    blockedBy,
    earliestSlot: slot ? new Date(slot.start).toISOString() : null,
    reason: `${f.severity} security fix ${f.version}${f.advisories.length > 0 ? ` ${f.advisories.join(', ')}` : ''} (deadline ${f.deadline}) waits: ${why}`,
  };
}
