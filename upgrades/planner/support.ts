/**
 * Support status: a release is supported while its line is one of the newest `lines` lines of
 * its component (latest or preceding, by default), its end-of-support day has not passed and
 * it has not been withdrawn.
 */
import type { Policy } from '../policy';
import type { SupportState } from './types';
import { dayOf } from './dates';
import { compareLines, lineLabel, lineOf, type ComponentIndex, type IndexedRelease } from './versions';

export interface SupportInfo {
  readonly state: SupportState;
  readonly reason: string;
}

/** The supported lines of a component on `today`, newest first. Unreleased and withdrawn releases do not open a line. */
export function supportedLines(ci: ComponentIndex, policy: Policy, today: number): string[] {
  const { granularity, lines } = policy.supportWindow;
  const all = new Set<string>();
  for (const r of ci.releases) if (!r.release.withdrawn && r.day <= today) all.add(lineOf(r, granularity));
  return [...all].sort(compareLines).reverse().slice(0, lines);
}

export function supportOf(r: IndexedRelease, lines: readonly string[], policy: Policy, today: number): SupportInfo {
  if (r.release.withdrawn) return { state: 'withdrawn', reason: `withdrawn: ${r.release.withdrawnReason ?? 'no reason given'}` };
  const eos = r.release.endOfSupport;
  if (eos !== undefined && today > dayOf(eos)) {
    return { state: 'unsupported', reason: `unsupported: ${lineLabel(lineOf(r, policy.supportWindow.granularity))} reached end of support on ${eos}` };
  }
  const line = lineOf(r, policy.supportWindow.granularity);
  const position = lines.indexOf(line);
  const window = lines.map(lineLabel).join(' and ');
  if (position < 0) return { state: 'unsupported', reason: `unsupported: ${lineLabel(line)} is outside the support window (${window})` };
  const which = position === 0 ? 'the latest line' : position === 1 ? 'the preceding line' : `line ${position + 1} of ${lines.length}`;
  return { state: 'supported', reason: `supported: ${lineLabel(line)} is ${which}` };
}
