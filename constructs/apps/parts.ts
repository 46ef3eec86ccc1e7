/** Pieces several contracts share: paths inside the container, license blocks, secret boot values. */
import { CONTAINER_CONFIG_DIR, boot, hasSecret, type BootValue, type BootValueSpec, type ConfigObject, type LaunchCommon, type SecretSpec } from './contract';

/** Path of a config file inside the container. */
export function inContainer(path: string): string {
  return `${CONTAINER_CONFIG_DIR}/${path}`;
}

/** `license { accept = true }`, for the versions whose contract says so (§1.1). */
export function license(accept: boolean): ConfigObject {
  return accept ? { license: { accept: true } } : {};
}

/** Boot values for the secrets the customer listed, under the variables the contract names. */
export function secretBootValues(common: LaunchCommon, secrets: Readonly<Record<string, SecretSpec>>): BootValueSpec[] {
  return Object.keys(secrets)
    .filter((name) => hasSecret(common, name))
    .sort()
    .map((name) => ({ variable: secrets[name].variable, source: { kind: 'secret', secret: name }, secret: true }));
}

/** The boot value of a listed secret, or undefined when the customer did not list it. */
export function secretValue(common: LaunchCommon, secrets: Readonly<Record<string, SecretSpec>>, name: string): BootValue | undefined {
  return hasSecret(common, name) ? boot(secrets[name].variable) : undefined;
}

/** Drops undefined members, so optional settings leave no key behind. */
export function compact(o: Record<string, unknown>): ConfigObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ConfigObject;
}
