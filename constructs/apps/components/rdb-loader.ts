/**
 * RDB loader on AWS (§6): a stream transformer reads the enriched stream, writes shredded files
 * to S3 and, per window, a message on an SQS FIFO queue; the Redshift loader reads the queue and
 * COPYs the files through the cluster's IAM role. One customer pin (`rdb-loader`) versions both
 * apps, which are released together.
 *
 * 2.x: images snowplow-rdb-stream-shredder and snowplow-rdb-loader, no storage.type, no formats.
 * 3.0-5.x: transformer-kinesis and rdb-loader-redshift, `storage.type` and
 * `formats.transformationType` (Redshift loads the shredded format). 6.x: license acceptance.
 * Sources: [RDB@2.2.0, 3.0.0, 4.3.0, 5.0.0 config/*minimal.hocon; build.sbt Docker/packageName];
 * [RDB@6.1.5 CHANGELOG 6.0.0, CliConfig.scala, TransformerCliConfig.scala].
 */
import { gte } from 'semver';
import { imageFor, setting, type AppContract, type LaunchCommon, type SecretSpec, type SettingSpec } from '../contract';
import { compact, license, oneContainer, secretBootValues, secretValue } from '../parts';

export interface TransformerWiring {
  /** Enriched stream name. */
  readonly input: string;
  /** KCL app name = lease table name. */
  readonly appName: string;
  /** s3://bucket/prefix/ the transformer writes to and the loader COPYs from. */
  readonly outputPath: string;
  /** SQS FIFO queue name (ends in .fifo). */
  readonly queueName: string;
  /** Bad stream for failed rows (5.4.0 and later; older versions write them to S3). */
  readonly bad: string;
  readonly igluServer: boolean;
}

export interface RedshiftLoaderWiring {
  readonly queueName: string;
  /** ARN of the role the Redshift cluster assumes to COPY from the transformer output (a literal ARN). */
  readonly copyRoleArn: string;
  readonly igluServer: boolean;
}

const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  host: { type: 'string', required: true, description: 'Redshift endpoint host name' },
  port: { type: 'number', description: 'Redshift port (default 5439)' },
  database: { type: 'string', required: true, description: 'Redshift database' },
  schema: { type: 'string', required: true, description: 'Schema the events table lives in (e.g. atomic)' },
  user: { type: 'string', required: true, description: 'Database user the loader connects as' },
  maxError: { type: 'number', description: 'Redshift MAXERROR for COPY (default 10)' },
  windowing: { type: 'string', description: 'Transformer window, e.g. "10 minutes" (default)' },
};

const SECRETS: Readonly<Record<string, SecretSpec>> = {
  'redshift-password': { variable: 'REDSHIFT_PASSWORD', required: true, description: 'Password of the loader database user' },
};

interface Line {
  readonly range: string;
  readonly label: string;
  readonly transformerImage: string;
  readonly loaderImage: string;
  readonly storageType: boolean;
  readonly formats: boolean;
  readonly license: boolean;
}

const LINES: readonly Line[] = [
  { range: '>=2.0.0 <3.0.0', label: '2.x', transformerImage: 'snowplow/snowplow-rdb-stream-shredder', loaderImage: 'snowplow/snowplow-rdb-loader', storageType: false, formats: false, license: false },
  { range: '>=3.0.0 <6.0.0', label: '3.x-5.x', transformerImage: 'snowplow/transformer-kinesis', loaderImage: 'snowplow/rdb-loader-redshift', storageType: true, formats: true, license: false },
  { range: '>=6.0.0 <7.0.0', label: '6.x', transformerImage: 'snowplow/transformer-kinesis', loaderImage: 'snowplow/rdb-loader-redshift', storageType: true, formats: true, license: true },
];

const region = (common: LaunchCommon) => {
  if (common.region === undefined) throw new Error(`${common.service}: the RDB loader runs on AWS only and needs a region`);
  return common.region;
};

function transformer(line: Line): AppContract<TransformerWiring> {
  const contract: AppContract<TransformerWiring> = {
    component: 'rdb-loader',
    app: 'transformer-kinesis',
    range: line.range,
    label: line.label,
    images: { aws: [line.transformerImage] },
    license: line.license ? 'config' : 'none',
    argsSummary: '--config <file> --iglu-config <resolver>',
    settings: SETTINGS,
    secrets: {},
    needs: ['input stream', 'lease table', 'bucket', 'fifo queue', 'iglu resolver'],
    sources: 'app-contracts.md §6.1, §6.2, §6.5; RDB@2.2.0/3.0.0/4.3.0 config/*.minimal.hocon',
    launch: (common, w) => {
      if (!w.queueName.endsWith('.fifo')) throw new Error(`${common.service}: queue ${w.queueName} must be a FIFO queue (name ending in .fifo), the transformer sends with a message group id`);
      const r = region(common);
      const config = compact({
        ...license(line.license),
        input: { type: 'kinesis', appName: w.appName, streamName: w.input, region: r, position: 'TRIM_HORIZON' },
        output: compact({
          path: w.outputPath,
          compression: 'GZIP',
          region: r,
          bad: gte(common.version, '5.4.0') ? { type: 'kinesis', streamName: w.bad, region: r } : undefined,
        }),
        windowing: setting<string>(common, 'windowing', '10 minutes'),
        queue: { type: 'sqs', queueName: w.queueName, region: r },
        formats: line.formats ? { transformationType: 'shred' } : undefined,
      });
      return oneContainer(common, {
        contract: `rdb-loader transformer ${line.label}`,
        name: 'transformer-kinesis',
        image: imageFor(contract, 'aws', common.version),
        configFile: 'transformer.hocon',
        config,
        resolver: { igluServer: w.igluServer },
      });
    },
  };
  return contract;
}

function loader(line: Line): AppContract<RedshiftLoaderWiring> {
  const contract: AppContract<RedshiftLoaderWiring> = {
    component: 'rdb-loader',
    app: 'rdb-loader-redshift',
    range: line.range,
    label: line.label,
    images: { aws: [line.loaderImage] },
    license: line.license ? 'config' : 'none',
    argsSummary: '--config <file> --iglu-config <resolver>',
    settings: SETTINGS,
    secrets: SECRETS,
    needs: ['fifo queue', 'warehouse copy role', 'iglu resolver'],
    sources: 'app-contracts.md §6.1, §6.3, §6.5; RDB@2.2.0/3.0.0/4.3.0 config/*.minimal.hocon',
    launch: (common, w) => {
      const password = secretValue(common, SECRETS, 'redshift-password');
      if (password === undefined) throw new Error(`${common.service}: the Redshift loader needs the secret redshift-password`);
      const config = compact({
        ...license(line.license),
        region: region(common),
        messageQueue: w.queueName,
        storage: compact({
          type: line.storageType ? 'redshift' : undefined,
          host: setting<string>(common, 'host'),
          port: setting<number>(common, 'port', 5439),
          database: setting<string>(common, 'database'),
          schema: setting<string>(common, 'schema'),
          username: setting<string>(common, 'user'),
          password,
          roleArn: w.copyRoleArn,
          jdbc: { ssl: true },
          maxError: setting<number>(common, 'maxError', 10),
        }),
      });
      return oneContainer(common, {
        contract: `rdb-loader redshift ${line.label}`,
        name: 'rdb-loader-redshift',
        image: imageFor(contract, 'aws', common.version),
        configFile: 'loader.hocon',
        config,
        resolver: { igluServer: w.igluServer },
        bootValues: secretBootValues(common, SECRETS),
      });
    },
  };
  return contract;
}

export const TRANSFORMER_CONTRACTS: readonly AppContract<TransformerWiring>[] = LINES.map(transformer);
export const REDSHIFT_LOADER_CONTRACTS: readonly AppContract<RedshiftLoaderWiring>[] = LINES.map(loader);
