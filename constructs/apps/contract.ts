/**
 * The runtime contract of one app over one version range: what the app needs to start, stated
 * once and independent of the cloud. The AWS user data and the GCP startup script both render a
 * LaunchDescription built from a contract; neither knows anything about an app.
 *
 * Facts come from ../shared/reference/app-contracts.md (section numbers in the modules) and the
 * apps' own repositories at the tags named there.
 */
import { satisfies } from 'semver';
import { CATALOG_VERSION, semverOf } from '../../upgrades/catalog/version';

export type Cloud = 'aws' | 'gcp';

/** A value only the VM knows, filled in at boot: a secret or an address looked up at boot. */
export interface BootValue {
  readonly boot: string;
}

export type ConfigValue = string | number | boolean | BootValue | readonly ConfigValue[] | ConfigObject;
export interface ConfigObject {
  readonly [key: string]: ConfigValue | undefined;
}

/** A boot value in a config object: rendered as a placeholder the boot script replaces with the quoted value. */
export function boot(variable: string): BootValue {
  if (!/^[A-Z][A-Z0-9_]*$/.test(variable)) throw new Error(`boot value "${variable}" must be UPPER_SNAKE_CASE`);
  return { boot: variable };
}

export function isBootValue(v: unknown): v is BootValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as BootValue).boot === 'string';
}

/** A file the app reads, written under the config directory (a plain relative path such as `enrichments/x.json`). */
export interface ConfigFile {
  readonly path: string;
  readonly format: 'hocon' | 'json';
  readonly content: ConfigObject;
}

/** Where the config directory is mounted inside every container. */
export const CONTAINER_CONFIG_DIR = '/snowplow/config';

/** A container run: detached and restarted by Docker, or (setup) run to completion first. */
export interface ContainerRun {
  readonly name: string;
  /** Full image reference including the pinned tag. */
  readonly image: string;
  /** Arguments after the image; paths point into CONTAINER_CONFIG_DIR. */
  readonly args: readonly string[];
  /** Non-secret environment (never a secret: docker keeps the environment in the container's saved config). Default: none. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A setup step's outcome when it exits non-zero: 'stop' fails the boot, 'continue' goes on
   * (for steps that fail when there is nothing left to do, such as BigQuery mutator create on an
   * existing table). Default: 'stop'. Ignored for long-running containers.
   */
  readonly onFailure?: 'stop' | 'continue';
}

/** How a boot value is obtained; each cloud renders each kind its own way. */
export type BootSource =
  /** A pipeline secret the customer named (secret manager, read with the component's own identity). */
  | { readonly kind: 'secret'; readonly secret: string }
  /** The URL of the pipeline's own Iglu Server API (https://.../api). */
  | { readonly kind: 'iglu-url' }
  /** The Iglu database host and password, provided by the cloud's database wiring. */
  | { readonly kind: 'iglu-db-host' }
  | { readonly kind: 'iglu-db-password' }
  /** A name unique to this instance (its hostname), e.g. a Snowflake channel per loader. */
  | { readonly kind: 'instance-id' };

export interface BootValueSpec {
  readonly variable: string;
  readonly source: BootSource;
  /** True when the value is a secret: it goes to the tmpfs config copy only and is re-read periodically. */
  readonly secret: boolean;
  /** Extended regular expression (bash `=~`) the whole value must match, or the boot stops. Default: any non-empty value. */
  readonly pattern?: string;
}

/** Everything one VM group needs to run one app version; rendered by constructs/aws/user-data.ts and constructs/gcp/startup-script.ts. */
export interface LaunchDescription {
  /** Service name (resource names, log group, labels), e.g. "s3-loader-enriched". */
  readonly service: string;
  /** Contract id, e.g. "s3-loader 3.x". */
  readonly contract: string;
  readonly files: readonly ConfigFile[];
  /** Values filled in at boot; every BootValue in `files` must be declared here. */
  readonly bootValues: readonly BootValueSpec[];
  /** Run to completion before the containers, at every boot (idempotent steps only). */
  readonly setup: readonly ContainerRun[];
  readonly containers: readonly ContainerRun[];
  /** Ports the app serves on the host network (opened in a host firewall where the OS has one). */
  readonly ports: readonly number[];
  /** HTTP endpoint that answers 200 when the app is healthy. Default: none. */
  readonly health?: { readonly port: number; readonly path: string };
}

export interface SettingSpec {
  readonly type: 'string' | 'number' | 'boolean';
  readonly description: string;
  /** Default: false. */
  readonly required?: boolean;
}

export interface SecretSpec {
  /** Variable the config references, e.g. SNOWFLAKE_PRIVATE_KEY for `${SNOWFLAKE_PRIVATE_KEY}`. */
  readonly variable: string;
  readonly description: string;
  /** Default: false. */
  readonly required?: boolean;
}

/**
 * License acceptance (§1.1): none, or the config key `license.accept` (always in the file: the
 * env var alone is not enough for S3 loader 2.3), possibly only from a version within the range.
 */
export type LicenseRule = 'none' | 'config' | `config from ${string}`;

/** A cloud resource the app needs, for the README and for the wiring to check against. */
export type Need =
  | 'input stream'
  | 'output streams'
  | 'lease table'
  | 'bucket'
  | 'fifo queue'
  | 'warehouse copy role'
  | 'iglu resolver'
  | 'database'
  | 'dataset'
  | 'load balancer';

/** The cloud-neutral part every launch takes. */
export interface LaunchCommon {
  readonly cloud: Cloud;
  readonly version: string;
  /** Service name, see LaunchDescription.service. */
  readonly service: string;
  /** AWS region (Kinesis, SQS, S3 clients); GCP project id. */
  readonly region?: string;
  readonly projectId?: string;
  /** Customer settings, already validated against the contract. Default: none. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  /** Secret names the customer listed, already validated. Default: none. */
  readonly secrets?: readonly string[];
  /** Instances that may run at once (some apps need a per-instance identity then). Default: 1. */
  readonly maxInstances?: number;
}

export interface AppContract<W = unknown> {
  /** Customer component this contract serves. */
  readonly component: string;
  /** The app, when a component runs more than one (rdb-loader: transformer-kinesis and rdb-loader-redshift). Default: the component. */
  readonly app?: string;
  /** semver range, e.g. ">=3.0.0 <4.0.0". */
  readonly range: string;
  /** Short human label for the range, e.g. "3.x". */
  readonly label: string;
  /** Image repositories (without tag) per cloud; a cloud missing here does not run this app. */
  readonly images: Partial<Readonly<Record<Cloud, readonly string[]>>>;
  readonly license: LicenseRule;
  /** Container arguments, as a readable summary for the README. */
  readonly argsSummary: string;
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /** Secret names the customer may list, each with the variable the config references. */
  readonly secrets: Readonly<Record<string, SecretSpec>>;
  readonly health?: { readonly port: number; readonly path: string };
  readonly needs: readonly Need[];
  /** Sources in app-contracts.md. */
  readonly sources: string;
  readonly launch: (common: LaunchCommon, wiring: W) => LaunchDescription;
}

/** A maintenance backport (enrich 3.6.0.2) runs its base release's contract, a release candidate that of its release. */
export function covers(contract: Pick<AppContract, 'range'>, version: string): boolean {
  const key = `${contract.range}\u0000${version}`;
  let answer = coverage.get(key);
  if (answer === undefined) {
    // A release candidate (6.11.0-rc1) has the contract of the release it leads to; a backport
    // (3.6.0.1-3.6.0.3, a fourth number) that of its base: both match on x.y.z.
    const release = /^(\d+\.\d+\.\d+)-[0-9A-Za-z.-]+$/.exec(version)?.[1] ?? version;
    answer = CATALOG_VERSION.test(release) && satisfies(semverOf(release), contract.range, { includePrerelease: false });
    if (coverage.size >= COVERAGE_LIMIT) coverage.clear();
    coverage.set(key, answer);
  }
  return answer;
}

/** Range checks already answered: a fleet's files ask the same few hundred thousands of times. */
const coverage = new Map<string, boolean>();
const COVERAGE_LIMIT = 100_000;

/** Full image reference for a cloud, or a clear error naming component, version and cloud. */
export function imageFor(contract: Pick<AppContract, 'images' | 'component' | 'label'>, cloud: Cloud, version: string, index = 0): string {
  const repo = contract.images[cloud]?.[index];
  if (repo === undefined) {
    throw new Error(`${contract.component} ${version} (${contract.label}) has no image for ${cloud}; it does not run on this cloud`);
  }
  return `${repo}:${version}`;
}

/** The customer's settings with contract defaults applied by the caller; throws on a missing required one. */
export function setting<T extends string | number | boolean>(common: LaunchCommon, key: string, fallback?: T): T {
  const v = common.settings?.[key];
  if (v === undefined) {
    if (fallback === undefined) throw new Error(`${common.service} ${common.version}: settings.${key} is required; add it to the component's settings`);
    return fallback;
  }
  return v as T;
}

export function hasSecret(common: LaunchCommon, name: string): boolean {
  return (common.secrets ?? []).includes(name);
}
