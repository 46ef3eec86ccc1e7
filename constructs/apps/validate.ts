/**
 * What `fleet validate` and every synth check against the app contracts: a pinned version has a
 * contract on the customer's cloud, and the component's settings and secrets are ones that
 * contract knows, of the right type, with the required ones present. Each problem names the
 * field, the version and what is accepted.
 */
import type { AppContract, Cloud } from './contract';
import { appOf, contractGap, contractsFor, coveredRanges } from './registry';

export interface ContractIssue {
  /** Dotted path in the customer file, e.g. components.enrich.settings.dsn. */
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly hint?: string;
}

export interface PinnedComponent {
  readonly version: string;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly secrets?: readonly string[];
}

const list = (keys: readonly string[]) => (keys.length === 0 ? 'none' : keys.join(', '));

/**
 * Problems of a pin against the contracts of its component (all its apps), or against one app's
 * contract only when `only` is given (a launch checks just what that app reads).
 */
export function contractIssues(component: string, pin: PinnedComponent, cloud: Cloud, only?: AppContract<unknown>): ContractIssue[] {
  const base = `components.${component}`;
  const gap = contractGap(component, pin.version);
  if (gap !== undefined) {
    return [{ path: `${base}.version`, expected: `a ${component} version with a runtime contract`, got: JSON.stringify(pin.version), hint: `covered: ${coveredRanges(component)}` }];
  }
  const contracts = only ? [only] : contractsFor(component, pin.version);
  const label = contracts.map((c) => c.label).filter((v, i, a) => a.indexOf(v) === i).join('/');
  const offCloud = contracts.filter((c) => c.images[cloud] === undefined);
  if (offCloud.length > 0) {
    return [
      {
        path: `${base}.version`,
        expected: `a ${component} version that runs on ${cloud}`,
        got: JSON.stringify(pin.version),
        hint: `${offCloud.map(appOf).join(', ')} ${label} has no ${cloud} image; covered: ${coveredRanges(component)}`,
      },
    ];
  }
  const issues: ContractIssue[] = [];
  const settings = Object.assign({}, ...contracts.map((c) => c.settings)) as Record<string, { type: string; required?: boolean }>;
  const accepted = Object.keys(settings).sort();
  for (const [key, value] of Object.entries(pin.settings ?? {})) {
    const spec = settings[key];
    if (spec === undefined) {
      issues.push({
        path: `${base}.settings.${key}`,
        expected: `a setting ${component} ${pin.version} (${label}) knows: ${list(accepted)}`,
        got: JSON.stringify(key),
        hint: accepted.length === 0 ? `${component} ${label} takes no settings; remove it` : `remove it, or use one of ${list(accepted)}`,
      });
    } else if (typeof value !== spec.type) {
      issues.push({ path: `${base}.settings.${key}`, expected: `a ${spec.type}`, got: JSON.stringify(value) });
    }
  }
  for (const key of accepted) {
    if (settings[key].required && pin.settings?.[key] === undefined) {
      issues.push({ path: `${base}.settings.${key}`, expected: `a value: ${component} ${label} needs settings.${key}`, got: 'nothing' });
    }
  }
  const secrets = Object.assign({}, ...contracts.map((c) => c.secrets)) as Record<string, { required?: boolean }>;
  const knownSecrets = Object.keys(secrets).sort();
  (pin.secrets ?? []).forEach((name, i) => {
    if (secrets[name] === undefined) {
      issues.push({
        path: `${base}.secrets.${i}`,
        expected: `a secret ${component} ${pin.version} (${label}) reads: ${list(knownSecrets)}`,
        got: JSON.stringify(name),
        hint: 'a secret no config references would never reach the app; remove it or use a name the contract knows',
      });
    }
  });
  for (const name of knownSecrets) {
    if (secrets[name].required && !(pin.secrets ?? []).includes(name)) {
      issues.push({ path: `${base}.secrets`, expected: `the secret ${name}: ${component} ${label} needs it`, got: JSON.stringify(pin.secrets ?? []), hint: `add "${name}" and set its value in the secret manager` });
    }
  }
  return issues;
}

/** Throws the issues as one error (for synth paths that bypass fleet validate). */
export function assertContract(contract: AppContract<unknown>, pin: PinnedComponent, cloud: Cloud): void {
  const issues = contractIssues(contract.component, pin, cloud, contract);
  if (issues.length > 0) {
    throw new Error(issues.map((i) => `${i.path}: expected ${i.expected}, got ${i.got}${i.hint ? ` (${i.hint})` : ''}`).join('; '));
  }
}
