import { backupsReduced } from './backups-reduced';
import { deletionProtectionOff } from './deletion-protection-off';
import { expirationShortened } from './expiration-shortened';
import { finalSnapshotSkipped } from './final-snapshot-skipped';
import { forceDestroyOn } from './force-destroy-on';
import { keyDeletionWindow } from './key-deletion-window';
import { keyDisabled } from './key-disabled';
import { keyRotationOff } from './key-rotation-off';
import { retentionCut } from './retention-cut';
import type { InPlaceRule, UpdatedResource } from './rule';

export type { InPlaceRule, UpdatedResource } from './rule';

export const IN_PLACE_RULES: readonly InPlaceRule[] = [
  keyDisabled,
  keyRotationOff,
  keyDeletionWindow,
  deletionProtectionOff,
  finalSnapshotSkipped,
  backupsReduced,
  retentionCut,
  expirationShortened,
  forceDestroyOn,
];

/**
 * What every rule finds in one in-place update, as "[ID] message". A rule that throws is itself
 * a finding: a check that could not run must not read as a pass.
 */
export function destructiveUpdates(resource: UpdatedResource): string[] {
  const found: string[] = [];
  for (const rule of IN_PLACE_RULES) {
    if (!rule.types.includes(resource.type)) continue;
    try {
      for (const message of rule.check(resource)) found.push(`[${rule.id}] ${message}`);
    } catch (e) {
      found.push(`[${rule.id}] could not check this update: ${(e as Error).message}`);
    }
  }
  return found;
}
