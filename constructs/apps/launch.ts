/**
 * Turning a customer component into a launch description: the one entry point the clouds use.
 * The contract is chosen by the pinned version; a version no contract covers is refused with
 * the covered ranges.
 */
import type { AppContract, Cloud, LaunchCommon, LaunchDescription } from './contract';
import { pick } from './registry';
import { assertContract } from './validate';

/** What a customer file says about one component (the parts the app layer reads). */
export interface ComponentPin {
  readonly version: string;
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  readonly secrets?: readonly string[];
  readonly sizing?: { readonly maxSize: number };
}

export interface CloudPlace {
  readonly cloud: Cloud;
  /** AWS region. */
  readonly region?: string;
  /** GCP project. */
  readonly projectId?: string;
}

export function launchCommon(place: CloudPlace, service: string, pin: ComponentPin): LaunchCommon {
  return {
    ...place,
    service,
    version: pin.version,
    settings: pin.settings ?? {},
    secrets: pin.secrets ?? [],
    maxInstances: pin.sizing?.maxSize ?? 1,
  };
}

/** The launch of one app for a pinned component. */
export function launch<W>(contracts: readonly AppContract<W>[], place: CloudPlace, service: string, pin: ComponentPin, wiring: W): LaunchDescription {
  const contract = pick(contracts, pin.version);
  // Fail closed: a setting or secret the contract does not know never reaches a config.
  assertContract(contract as AppContract<unknown>, pin, place.cloud);
  return contract.launch(launchCommon(place, service, pin), wiring);
}
