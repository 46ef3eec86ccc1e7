/**
 * What `fleet validate` and every synth check against the app contracts: a pinned version has a
 * contract on the customer's cloud, and the component's settings and secrets are ones that
 * contract knows, of the right type, with the required ones present. Each problem names the
 * field, the version and what is accepted.
 */
import { show, showKey } from '../../customers/json-issues';
import { pinExpected } from '../../customers/pin-checks';
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
/** A field name that may be a credential is not printed in a path either (the reader masks paths the same way). */
const pathKey = (key: string) => (showKey(key) === JSON.stringify(key) ? key : '<name not shown>');

/** What a component version's contracts accept on a cloud: the same for every pin of it, so kept. */
interface Accepted {
  /** Why the version cannot run here at all (no contract, or none on this cloud). */
  readonly versionProblem?: Omit<ContractIssue, 'path'>;
  readonly label: string;
  readonly settings: Readonly<Record<string, { type: string; required?: boolean }>>;
  readonly settingKeys: readonly string[];
  readonly secrets: Readonly<Record<string, { required?: boolean }>>;
  readonly secretNames: readonly string[];
}

function accepted(component: string, version: string, cloud: Cloud, only?: AppContract<unknown>): Accepted {
  const none = { label: '', settings: {}, settingKeys: [], secrets: {}, secretNames: [] };
  const gap = contractGap(component, version);
  if (gap !== undefined) {
    return { ...none, versionProblem: { expected: pinExpected.withContract(component), got: show(version), hint: `covered: ${coveredRanges(component)}` } };
  }
  const contracts = only ? [only] : contractsFor(component, version);
  const label = contracts.map((c) => c.label).filter((v, i, a) => a.indexOf(v) === i).join('/');
  const offCloud = contracts.filter((c) => c.images[cloud] === undefined);
  if (offCloud.length > 0) {
    return {
      ...none,
      versionProblem: {
        expected: pinExpected.onCloud(component, cloud),
        got: show(version),
        hint: `${offCloud.map(appOf).join(', ')} ${label} has no ${cloud} image; covered: ${coveredRanges(component)}`,
      },
    };
  }
  const settings = Object.assign({}, ...contracts.map((c) => c.settings)) as Accepted['settings'];
  const secrets = Object.assign({}, ...contracts.map((c) => c.secrets)) as Accepted['secrets'];
  return { label, settings, settingKeys: Object.keys(settings).sort(), secrets, secretNames: Object.keys(secrets).sort() };
}

/** By component, version and cloud; bounded because versions come from input files. */
const acceptedCache = new Map<string, Accepted>();
const ACCEPTED_LIMIT = 10_000;

function acceptedFor(component: string, version: string, cloud: Cloud): Accepted {
  const key = `${component}\u0000${version}\u0000${cloud}`;
  let found = acceptedCache.get(key);
  if (found === undefined) {
    if (acceptedCache.size >= ACCEPTED_LIMIT) acceptedCache.clear();
    found = accepted(component, version, cloud);
    acceptedCache.set(key, found);
  }
  return found;
}

/**
 * Problems of a pin against the contracts of its component (all its apps), or against one app's
 * contract only when `only` is given (a launch checks just what that app reads).
 */
export function contractIssues(component: string, pin: PinnedComponent, cloud: Cloud, only?: AppContract<unknown>): ContractIssue[] {
  const base = `components.${component}`;
  const { versionProblem, label, settings, settingKeys, secrets, secretNames } = only ? accepted(component, pin.version, cloud, only) : acceptedFor(component, pin.version, cloud);
  if (versionProblem) return [{ path: `${base}.version`, ...versionProblem }];
  const issues: ContractIssue[] = [];
  for (const [key, value] of Object.entries(pin.settings ?? {})) {
    // Own fields only: a setting called "toString" is unknown, not Object.prototype's.
    const spec = Object.hasOwn(settings, key) ? settings[key] : undefined;
    if (spec === undefined) {
      issues.push({
        path: `${base}.settings.${pathKey(key)}`,
        expected: `a setting ${component} ${pin.version} (${label}) knows: ${list(settingKeys)}`,
        got: showKey(key),
        hint: settingKeys.length === 0 ? `${component} ${label} takes no settings; remove it` : `remove it, or use one of ${list(settingKeys)}`,
      });
    } else if (typeof value !== spec.type) {
      issues.push({ path: `${base}.settings.${key}`, expected: `a ${spec.type}`, got: show(value) });
    }
  }
  for (const key of settingKeys) {
    if (settings[key].required && pin.settings?.[key] === undefined) {
      issues.push({ path: `${base}.settings.${key}`, expected: `a value: ${component} ${label} needs settings.${key}`, got: 'nothing' });
    }
  }
  (pin.secrets ?? []).forEach((name, i) => {
    if (!Object.hasOwn(secrets, name)) {
      issues.push({
        path: `${base}.secrets.${i}`,
        expected: `a secret ${component} ${pin.version} (${label}) reads: ${list(secretNames)}`,
        got: show(name),
        hint: 'a secret no config references would never reach the app; remove it or use a name the contract knows',
      });
    }
  });
  for (const name of secretNames) {
    if (secrets[name].required && !(pin.secrets ?? []).includes(name)) {
      issues.push({ path: `${base}.secrets`, expected: `the secret ${name}: ${component} ${label} needs it`, got: show(pin.secrets ?? []), hint: `add "${name}" and set its value in the secret manager` });
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
