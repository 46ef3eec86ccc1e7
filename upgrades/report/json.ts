/**
 * The plan as JSON for CI and tools: one line and a final newline, keys in a fixed order. A
 * fleet's plan is machine-read (people read plan.md); indented, 10,000 environments' plan is 40%
 * larger and slower to write and to read back. `jq .` indents it for a person.
 */
import type { UpgradePlan } from '../planner/types';

export function renderJson(plan: UpgradePlan): string {
  return `${JSON.stringify(plan)}\n`;
}
