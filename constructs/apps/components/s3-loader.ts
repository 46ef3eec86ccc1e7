/**
 * S3 loader on Kinesis (§4). 2.0-2.2: a flat config where every non-optional field is required
 * (`purpose`, `input.{appName,streamName,position,maxRecords}`, `output.s3.{path,compression,
 * maxTimeout}`, `output.bad.streamName`, `buffer.*`). 2.3.x: the same plus `license.accept` in the
 * file (no reference.conf reads the env var). 3.x: common-streams (`output.good.path`,
 * `batching`, `input.initialPosition.type`, health probe on 8000, license). Sources:
 * [S3L@2.2.9 Config.scala, config.hocon.sample]; [S3L@2.3.0 Config.scala]; [S3L@3.2.0 config/config.aws.minimal.hocon].
 */
import { imageFor, type AppContract, type ConfigObject, type SettingSpec } from '../contract';
import { compact, license, oneContainer } from '../parts';

export interface S3LoaderWiring {
  readonly input: string;
  /** Stream for rows the loader fails to write. */
  readonly bad: string;
  /** KCL app name = lease table name. */
  readonly appName: string;
  /** s3://bucket/prefix/ */
  readonly path: string;
  /** ENRICHED_EVENTS for the enriched stream, SELF_DESCRIBING for bad rows. */
  readonly purpose: 'ENRICHED_EVENTS' | 'SELF_DESCRIBING';
}

const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  partitionFormat: { type: 'string', description: 'Folder pattern under the prefix, e.g. "{YYYY}/{MM}/{dd}/{HH}"' },
};

type Line = '2.0-2.2' | '2.3' | '3.x';

function config(line: Line, region: string, w: S3LoaderWiring, partitionFormat: string | undefined): ConfigObject {
  if (line === '3.x') {
    return {
      ...license(true),
      purpose: w.purpose,
      input: { appName: w.appName, streamName: w.input, initialPosition: { type: 'TRIM_HORIZON' } },
      output: { good: compact({ path: w.path, partitionFormat }), bad: { streamName: w.bad } },
      batching: { maxBytes: 67108864, maxDelay: '2 minutes' },
    };
  }
  return {
    ...license(line === '2.3'),
    region,
    purpose: w.purpose,
    input: { appName: w.appName, streamName: w.input, position: 'TRIM_HORIZON', maxRecords: 10000 },
    output: { s3: compact({ path: w.path, partitionFormat, compression: 'GZIP', maxTimeout: 120000 }), bad: { streamName: w.bad } },
    buffer: { byteLimit: 67108864, recordLimit: 10000, timeLimit: 120000 },
  };
}

function contract(line: Line, range: string): AppContract<S3LoaderWiring> {
  const v3 = line === '3.x';
  const c: AppContract<S3LoaderWiring> = {
    component: 's3-loader',
    range,
    label: line,
    images: { aws: ['snowplow/snowplow-s3-loader'] },
    license: line === '2.0-2.2' ? 'none' : 'config',
    argsSummary: '--config <file>',
    settings: SETTINGS,
    secrets: {},
    health: v3 ? { port: 8000, path: '/' } : undefined,
    needs: ['input stream', 'output streams', 'lease table', 'bucket'],
    sources: 'app-contracts.md §4, §1.1, §1.3',
    launch: (common, w) => {
      if (common.cloud !== 'aws' || common.region === undefined) throw new Error(`${common.service}: the S3 loader runs on AWS only`);
      const partitionFormat = common.settings?.partitionFormat as string | undefined;
      const health = v3 ? { port: 8000, path: '/' } : undefined;
      return oneContainer(common, {
        contract: `s3-loader ${line}`,
        name: 's3-loader',
        image: imageFor(c, 'aws', common.version),
        configFile: 's3-loader.hocon',
        config: config(line, common.region, w, partitionFormat),
        health,
      });
    },
  };
  return c;
}

export const S3_LOADER_CONTRACTS: readonly AppContract<S3LoaderWiring>[] = [
  contract('2.0-2.2', '>=2.0.0 <2.3.0'),
  contract('2.3', '>=2.3.0 <3.0.0'),
  contract('3.x', '>=3.0.0 <4.0.0'),
];
