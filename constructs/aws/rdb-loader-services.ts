import type { Construct } from 'constructs';
import { gte, major } from 'semver';
import type { RdbLoaderResources } from './rdb-loader';
import { secretEnvVar } from './user-data';
import { VmService, type VmServiceProps, type VmSizing } from './vm-service';

/** What every pipeline VM shares (network, key, account), as the pipeline passes it. */
export type VmDefaults = Pick<VmServiceProps, 'namePrefix' | 'vpcId' | 'subnetIds' | 'region' | 'accountId' | 'kmsKeyArn' | 'permissionsBoundaryArn' | 'logRetentionDays'>;

export interface RdbLoaderServicesProps {
  readonly resources: RdbLoaderResources;
  readonly vm: VmDefaults;
  /** The rdb-loader pin; the transformer is released with it and runs the same version. */
  readonly version: string;
  /** Sizing of each app. The loader loads one batch at a time, so more than one loader only waits. */
  readonly sizing: VmSizing;
  /** Customer settings: host, port (default 5439), database, schema, user. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Secrets of the rdb-loader component; `redshift-password` becomes the loader's password. */
  readonly secrets: readonly { readonly name: string; readonly arn: string }[];
  readonly enrichedStream: string;
  readonly badStream: string;
}

export const REDSHIFT_PASSWORD_SECRET = 'redshift-password';
export const REDSHIFT_SETTINGS = ['host', 'port', 'database', 'schema', 'user'] as const;

const q = (v: string | number | boolean) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * The transformer-kinesis and Redshift loader VMs on the resources of `RdbLoaderResources`, each
 * with its own role built from that construct's statements. The loader reaches Redshift on the
 * configured port; the transformer only needs AWS APIs (443).
 */
export function rdbLoaderServices(scope: Construct, p: RdbLoaderServicesProps): { transformer: VmService; loader: VmService } {
  const { resources: r, vm, version, settings } = p;
  const region = vm.region;
  for (const key of REDSHIFT_SETTINGS.filter((k) => k !== 'port')) {
    if (typeof settings[key] !== 'string' || settings[key] === '') {
      throw new Error(`rdb-loader ${vm.namePrefix}: settings.${key} is missing; set components.rdb-loader.settings.${key} (one of ${REDSHIFT_SETTINGS.join(', ')})`);
    }
  }
  const password = p.secrets.find((s) => s.name.endsWith(`/${REDSHIFT_PASSWORD_SECRET}`));
  if (!password) throw new Error(`rdb-loader ${vm.namePrefix}: secrets lack ${REDSHIFT_PASSWORD_SECRET}; add it to components.rdb-loader.secrets`);
  const port = typeof settings.port === 'number' ? settings.port : 5439;
  const license = major(version) >= 6 ? ['  license { accept = true }'] : [];
  const resolver = Buffer.from(JSON.stringify(igluCentralResolver())).toString('base64');

  const transformerConfig = [
    '{',
    ...license,
    `  input { type = "kinesis", appName = ${q(r.transformerLeases.name)}, streamName = ${q(p.enrichedStream)}, region = ${q(region)}, position = "TRIM_HORIZON" }`,
    `  output { path = ${q(r.outputUri)}, compression = "GZIP", region = ${q(region)}${gte(version, '5.4.0') ? `, bad { type = "kinesis", streamName = ${q(p.badStream)}, region = ${q(region)} }` : ''} }`,
    `  queue { type = "sqs", queueName = ${q(r.queueName)}, region = ${q(region)} }`,
    '  windowing = "10 minutes"',
    '  formats { transformationType = "widerow", fileFormat = "json" }',
    '}',
  ].join('\n');
  const transformer = new VmService(scope, 'transformer', {
    ...vm,
    component: 'transformer-kinesis',
    image: `snowplow/transformer-kinesis:${version}`,
    sizing: p.sizing,
    config: transformerConfig,
    args: ['--config', '/etc/pipeline/config.hocon', '--iglu-config', resolver],
    statements: r.transformerStatements(),
  });

  const loaderConfig = [
    '{',
    ...license,
    `  region = ${q(region)}`,
    `  messageQueue = ${q(r.queueName)}`,
    '  storage {',
    '    type = "redshift"',
    `    host = ${q(settings.host)}`,
    `    port = ${port}`,
    `    database = ${q(settings.database)}`,
    `    schema = ${q(settings.schema)}`,
    `    username = ${q(settings.user)}`,
    `    password = \${${secretEnvVar(REDSHIFT_PASSWORD_SECRET)}}`,
    `    roleArn = ${q(r.copyRoleArn)}`,
    '  }',
    '}',
  ].join('\n');
  const loader = new VmService(scope, 'service', {
    ...vm,
    component: 'rdb-loader',
    image: `snowplow/rdb-loader-redshift:${version}`,
    sizing: p.sizing,
    secrets: p.secrets,
    egressPorts: [port],
    config: loaderConfig,
    args: ['--config', '/etc/pipeline/config.hocon', '--iglu-config', resolver],
    statements: r.loaderStatements(),
  });
  return { transformer, loader };
}

function igluCentralResolver() {
  return {
    schema: 'iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1',
    data: {
      cacheSize: 500,
      repositories: [{ name: 'Iglu Central', priority: 0, vendorPrefixes: ['com.snowplowanalytics'], connection: { http: { uri: 'https://iglucentral.com' } } }],
    },
  };
}
