/**
 * BigQuery loader on Pub/Sub (§8). 1.x is three apps sharing one config: StreamLoader, Mutator
 * (`create` run to completion first, as it creates the events table, then `listen`) and
 * Repeater; they take `--resolver`, not `--iglu-config`, and short subscription and topic names.
 * 2.x is one app with `--config` and `--iglu-config`, full resource paths, license and a health
 * probe on 8000. Sources: [BQL@1.7.2 config/config.minimal.hocon, MutatorCli.scala,
 * RepeaterCli.scala]; [BQL@2.0.0, @2.2.0 Run.scala, config/config.pubsub.minimal.hocon].
 */
import { imageFor, type AppContract, type ConfigObject, type SettingSpec } from '../contract';
import { resolverBootValues, resolverFile } from '../iglu-resolver';
import { compact, inContainer, license, oneContainer } from '../parts';

export interface BigqueryLoaderWiring {
  /** Enriched subscription short name. */
  readonly subscription: string;
  /** Bad topic short name. */
  readonly bad: string;
  readonly datasetId: string;
  readonly tableId: string;
  readonly igluServer: boolean;
  /** 1.x only: its own topics, subscriptions and dead-letter bucket. */
  readonly v1?: {
    readonly typesTopic: string;
    readonly typesSubscription: string;
    readonly failedInsertsTopic: string;
    readonly failedInsertsSubscription: string;
    readonly deadLetterBucket: string;
  };
}

const SETTINGS_2X: Readonly<Record<string, SettingSpec>> = {
  legacyColumnMode: { type: 'boolean', description: 'Keep 1.x column names for every schema (2.x upgrade guide)' },
  exitOnMissingIgluSchema: { type: 'boolean', description: 'Stop when a schema cannot be resolved (default true)' },
};

const V1: AppContract<BigqueryLoaderWiring> = {
  component: 'bigquery-loader',
  range: '>=1.0.0 <2.0.0',
  label: '1.x',
  images: { gcp: ['snowplow/snowplow-bigquery-streamloader', 'snowplow/snowplow-bigquery-mutator', 'snowplow/snowplow-bigquery-repeater'] },
  license: 'none',
  argsSummary: 'streamloader: --config <file> --resolver <resolver>; mutator: create (setup), then listen; repeater: --bufferSize=20 --timeout=20 --backoffPeriod=900',
  settings: {},
  secrets: {},
  needs: ['input stream', 'output streams', 'dataset', 'bucket', 'iglu resolver'],
  sources: 'app-contracts.md §8.1',
  launch: (common, w) => {
    if (w.v1 === undefined) throw new Error(`${common.service}: a 1.x BigQuery loader needs its types and failed-inserts topics and a dead-letter bucket`);
    const good = { datasetId: w.datasetId, tableId: w.tableId };
    const config: ConfigObject = {
      projectId: common.projectId!,
      loader: {
        input: { subscription: w.subscription },
        output: { good, bad: { topic: w.bad }, types: { topic: w.v1.typesTopic }, failedInserts: { topic: w.v1.failedInsertsTopic } },
      },
      mutator: { input: { subscription: w.v1.typesSubscription }, output: { good } },
      repeater: { input: { subscription: w.v1.failedInsertsSubscription }, output: { good, deadLetters: { bucket: `gs://${w.v1.deadLetterBucket}` } } },
      monitoring: {},
    };
    const resolver = resolverFile({ igluServer: w.igluServer });
    const args = ['--config', inContainer('bigquery-loader.hocon'), '--resolver', inContainer(resolver.path)];
    const image = (i: number) => imageFor(V1, 'gcp', common.version, i);
    return {
      service: common.service,
      contract: 'bigquery-loader 1.x',
      files: [{ path: 'bigquery-loader.hocon', format: 'hocon', content: config }, resolver],
      bootValues: resolverBootValues({ igluServer: w.igluServer }),
      // create fails once the table exists, which is every boot after the first.
      setup: [{ name: 'mutator-create', image: image(1), args: ['create', ...args, '--partitionColumn=load_tstamp'], onFailure: 'continue' }],
      containers: [
        { name: 'streamloader', image: image(0), args },
        { name: 'mutator', image: image(1), args: ['listen', ...args] },
        { name: 'repeater', image: image(2), args: [...args, '--bufferSize=20', '--timeout=20', '--backoffPeriod=900'] },
      ],
      ports: [],
    };
  },
};

const V2: AppContract<BigqueryLoaderWiring> = {
  component: 'bigquery-loader',
  range: '>=2.0.0 <3.0.0',
  label: '2.x',
  images: { gcp: ['snowplow/bigquery-loader-pubsub'] },
  license: 'config',
  argsSummary: '--config <file> --iglu-config <resolver>',
  settings: SETTINGS_2X,
  secrets: {},
  health: { port: 8000, path: '/' },
  needs: ['input stream', 'output streams', 'dataset', 'iglu resolver'],
  sources: 'app-contracts.md §8.2',
  launch: (common, w) => {
    const p = common.projectId!;
    const config = compact({
      ...license(true),
      input: { subscription: `projects/${p}/subscriptions/${w.subscription}` },
      output: { good: { project: p, dataset: w.datasetId, table: w.tableId }, bad: { topic: `projects/${p}/topics/${w.bad}` } },
      legacyColumnMode: common.settings?.legacyColumnMode,
      exitOnMissingIgluSchema: common.settings?.exitOnMissingIgluSchema,
    });
    return oneContainer(common, {
      contract: 'bigquery-loader 2.x',
      name: 'bigquery-loader',
      image: imageFor(V2, 'gcp', common.version),
      configFile: 'bigquery-loader.hocon',
      config,
      resolver: { igluServer: w.igluServer },
      health: { port: 8000, path: '/' },
    });
  },
};

export const BIGQUERY_LOADER_CONTRACTS: readonly AppContract<BigqueryLoaderWiring>[] = [V1, V2];
