/** Metrics at each example customer's limits: healthy by construction, whatever the thresholds are edited to. */
import { servicesOf } from '../../../upgrades/rollout/gate';
import type { StackMetrics } from '../../../upgrades/rollout/metrics';
import { specOf } from './fixtures';

export function healthyMetrics(stack: string): StackMetrics {
  const spec = specOf(stack);
  const components = spec.components as Record<string, { sizing: { minSize: number } } | undefined>;
  const inServiceInstances = Object.fromEntries(servicesOf(spec).map(({ service, component }) => [service, components[component]!.sizing.minSize]));
  if (spec.cloud === 'aws') {
    return { http5xxPer5Min: 0, maxConsumerLagSeconds: 1, healthyCollectors: spec.alerts.thresholds.minHealthyCollectors, inServiceInstances };
  }
  return { http5xxPercent: 0, maxConsumerLagSeconds: 1, failingUptimeCheckers: 0, inServiceInstances };
}

export function metricsText(stacks: readonly string[], from: string, to: string, edit: (m: StackMetrics) => StackMetrics = (m) => m): string {
  return `${JSON.stringify({ window: { from, to }, stacks: Object.fromEntries(stacks.map((s) => [s, edit(healthyMetrics(s))])) }, null, 2)}\n`;
}
