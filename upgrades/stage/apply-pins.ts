import { stackId, type ComponentId, type CustomerSpec } from '../../customers/schema';

export interface PinChange {
  readonly component: ComponentId;
  readonly from: string;
  readonly to: string;
}

/**
 * A copy of the spec with the given version pins applied, as a rollout would write them.
 * Refuses a change whose `from` is not the current pin: the plan and the file disagree.
 */
export function applyPins(spec: CustomerSpec, changes: readonly PinChange[]): CustomerSpec {
  const copy = structuredClone(spec);
  const components = copy.components as Partial<Record<ComponentId, { version: string }>>;
  for (const change of changes) {
    const component = components[change.component];
    if (!component) throw new Error(`${stackId(copy)}: the plan changes ${change.component}, which this environment does not run`);
    if (component.version !== change.from) {
      throw new Error(
        `${stackId(copy)}: the plan moves ${change.component} from ${change.from}, but the pin is ${component.version}; re-plan`,
      );
    }
    component.version = change.to;
  }
  return copy;
}
