/** Pieces several contracts share: paths inside the container, license blocks, secret boot values, one-container launches. */
import {
  CONTAINER_CONFIG_DIR,
  boot,
  hasSecret,
  type BootValue,
  type BootValueSpec,
  type ConfigFile,
  type ConfigObject,
  type LaunchCommon,
  type LaunchDescription,
  type SecretSpec,
} from './contract';
import { resolverBootValues, resolverFile, type ResolverOptions } from './iglu-resolver';

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

export interface OneContainerApp {
  /** Contract id for the launch, e.g. "s3-loader 3.x". */
  readonly contract: string;
  /** Container name. */
  readonly name: string;
  readonly image: string;
  /** The app's config file (under the config directory) and its content, passed as `--config`. */
  readonly configFile: string;
  readonly config: ConfigObject;
  /** The Iglu resolver, passed as `--iglu-config` after the config. Default: none. */
  readonly resolver?: ResolverOptions;
  /** More files, and arguments after the config and resolver ones. Default: none. */
  readonly files?: readonly ConfigFile[];
  readonly args?: readonly string[];
  /** Boot values besides the resolver's (secrets, instance id). Default: none. */
  readonly bootValues?: readonly BootValueSpec[];
  /** Its health endpoint; its port is the one port it serves. Default: none, and no port. */
  readonly health?: { readonly port: number; readonly path: string };
}

/** The launch of an app that runs as one container reading one config file (most apps). */
export function oneContainer(common: LaunchCommon, app: OneContainerApp): LaunchDescription {
  const resolver = app.resolver ? resolverFile(app.resolver) : undefined;
  return {
    service: common.service,
    contract: app.contract,
    files: [{ path: app.configFile, format: 'hocon', content: app.config }, ...(resolver ? [resolver] : []), ...(app.files ?? [])],
    bootValues: [...(app.bootValues ?? []), ...(app.resolver ? resolverBootValues(app.resolver) : [])],
    setup: [],
    containers: [
      {
        name: app.name,
        image: app.image,
        args: ['--config', inContainer(app.configFile), ...(resolver ? ['--iglu-config', inContainer(resolver.path)] : []), ...(app.args ?? [])],
      },
    ],
    ports: app.health ? [app.health.port] : [],
    health: app.health,
  };
}
