/** The plan as JSON for CI: two-space indented with a final newline, keys in a fixed order. */
import type { UpgradePlan } from '../planner/types';

export function renderJson(plan: UpgradePlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
