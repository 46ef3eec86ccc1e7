/**
 * Elasticsearch/OpenSearch loader on Kinesis (§7). 1.x: the old flat layout (`source`, `sink`,
 * `queue`, `streams`, `elasticsearch`). 2.x: `input {type kinesis,...}`, `output.good.{client,
 * aws, cluster}`, `output.bad {type kinesis,...}`, `purpose`. 3.x: common-streams, `output.good.url`
 * and `auth`, license, health probe on 8000. Sources: [ESL@1.0.7 examples/config.hocon.sample];
 * [ESL@2.0.1, @2.1.3 config/config.kinesis.minimal.hocon, Config.scala]; [ESL@3.0.1 config/config.aws.minimal.hocon].
 */
import { imageFor, setting, type AppContract, type BootValue, type ConfigObject, type LaunchCommon, type SecretSpec, type SettingSpec } from '../contract';
import { compact, license, oneContainer, secretBootValues, secretValue } from '../parts';

export interface ElasticsearchLoaderWiring {
  readonly input: string;
  readonly bad: string;
  readonly appName: string;
}

const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  endpoint: { type: 'string', required: true, description: 'Cluster host name (no scheme)' },
  port: { type: 'number', description: 'Cluster port (default 443)' },
  ssl: { type: 'boolean', description: 'HTTPS to the cluster (default true)' },
  index: { type: 'string', required: true, description: 'Index the events go to' },
  documentType: { type: 'string', description: '1.x-2.x only: document type (default _doc)' },
  user: { type: 'string', description: 'User for basic authentication (with the password secret)' },
  awsSigning: { type: 'boolean', description: 'Sign requests with the instance role (Amazon OpenSearch with IAM), default false' },
};

const SECRETS: Readonly<Record<string, SecretSpec>> = {
  'opensearch-password': { variable: 'OPENSEARCH_PASSWORD', description: 'Password of the basic-auth user' },
  'elasticsearch-password': { variable: 'ELASTICSEARCH_PASSWORD', description: 'Password of the basic-auth user' },
};

function password(common: LaunchCommon): BootValue | undefined {
  return secretValue(common, SECRETS, 'opensearch-password') ?? secretValue(common, SECRETS, 'elasticsearch-password');
}

function config(line: string, common: LaunchCommon, w: ElasticsearchLoaderWiring): ConfigObject {
  const region = common.region!;
  const endpoint = setting<string>(common, 'endpoint');
  const ssl = setting<boolean>(common, 'ssl', true);
  const port = setting<number>(common, 'port', 443);
  const index = setting<string>(common, 'index');
  const user = common.settings?.user as string | undefined;
  const signing = setting<boolean>(common, 'awsSigning', false);
  const pw = password(common);
  if ((user === undefined) !== (pw === undefined)) throw new Error(`${common.service}: basic authentication needs both settings.user and the password secret`);
  if (line === '3.x') {
    const auth = signing ? { type: 'AWSSigning', region } : user !== undefined ? { type: 'Basic', username: user, password: pw! } : { type: 'NoAuth' };
    return {
      ...license(true),
      purpose: 'ENRICHED_EVENTS',
      input: { appName: w.appName, streamName: w.input, initialPosition: { type: 'TRIM_HORIZON' } },
      output: { good: { url: `${ssl ? 'https' : 'http'}://${endpoint}:${port}`, index, auth }, bad: { streamName: w.bad } },
    };
  }
  const documentType = setting<string>(common, 'documentType', '_doc');
  const client = compact({ endpoint, port, ssl, username: user, password: pw, maxRetries: 6 });
  if (line === '1.x') {
    return {
      source: 'kinesis',
      sink: { good: 'elasticsearch', bad: 'kinesis' },
      enabled: 'good',
      aws: { accessKey: 'iam', secretKey: 'iam' },
      queue: { enabled: 'kinesis', initialPosition: 'TRIM_HORIZON', maxRecords: 10000, region, appName: w.appName },
      streams: { inStreamName: w.input, outStreamName: w.bad, buffer: { byteLimit: 5242880, recordLimit: 1000, timeLimit: 60000 } },
      elasticsearch: { client: { ...client, maxTimeout: 10000 }, aws: { signing, region }, cluster: { name: 'elasticsearch', index, documentType } },
    };
  }
  return {
    purpose: 'ENRICHED_EVENTS',
    input: { type: 'kinesis', appName: w.appName, streamName: w.input, initialPosition: 'TRIM_HORIZON', region },
    output: {
      good: { client, aws: { signing, region }, cluster: { index, documentType } },
      bad: { type: 'kinesis', streamName: w.bad, region },
    },
    monitoring: { metrics: { cloudWatch: false } },
  };
}

function contract(line: '1.x' | '2.x' | '3.x', range: string): AppContract<ElasticsearchLoaderWiring> {
  const v3 = line === '3.x';
  const c: AppContract<ElasticsearchLoaderWiring> = {
    component: 'elasticsearch-loader',
    range,
    label: line,
    images: { aws: ['snowplow/elasticsearch-loader'] },
    license: v3 ? 'config' : 'none',
    argsSummary: '--config <file>',
    settings: SETTINGS,
    secrets: SECRETS,
    health: v3 ? { port: 8000, path: '/' } : undefined,
    needs: ['input stream', 'output streams', 'lease table'],
    sources: 'app-contracts.md §7',
    launch: (common, w) => {
      if (common.cloud !== 'aws') throw new Error(`${common.service}: the Elasticsearch loader runs on AWS only here`);
      const health = v3 ? { port: 8000, path: '/' } : undefined;
      return oneContainer(common, {
        contract: `elasticsearch-loader ${line}`,
        name: 'elasticsearch-loader',
        image: imageFor(c, 'aws', common.version),
        configFile: 'es-loader.hocon',
        config: config(line, common, w),
        bootValues: secretBootValues(common, SECRETS),
        health,
      });
    },
  };
  return c;
}

export const ELASTICSEARCH_LOADER_CONTRACTS: readonly AppContract<ElasticsearchLoaderWiring>[] = [
  contract('1.x', '>=1.0.0 <2.0.0'),
  contract('2.x', '>=2.0.0 <3.0.0'),
  contract('3.x', '>=3.0.0 <4.0.0'),
];
