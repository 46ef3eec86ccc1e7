/**
 * Enrich (§3). Every major needs `--config`, `--iglu-config` and `--enrichments` (a directory
 * here, which every major accepts). 2.x exists as an fs2 app on Pub/Sub only (on Kinesis 2.x is
 * stream-enrich, another app): top-level `input`, `good`, `bad` with `type = PubSub` and `auth`.
 * 3.x-5.x: `input`/`output.good`/`output.bad`, license from 4.0.0. 6.x: common-streams (health
 * probe on 8000, LATEST by default, so the position is set). `input.appName` is always set to
 * the lease table (the default changed from 5 to 6). Sources: [ENR@2.0.5 config/config.pubsub.hocon.sample,
 * CliConfig.scala]; [ENR@3.0.0, 5.4.0, 6.10.0 config/config.{kinesis,pubsub}.minimal.hocon].
 */
import { gte } from 'semver';
import { imageFor, type AppContract, type ConfigObject, type LaunchCommon, type SettingSpec } from '../contract';
import { ENRICHMENTS_DIR, enrichmentFiles } from '../enrichments';
import { compact, inContainer, license, oneContainer } from '../parts';

export interface EnrichWiring {
  /** AWS: raw stream name. GCP: raw subscription short name. */
  readonly input: string;
  /** AWS: stream names. GCP: topic short names. */
  readonly good: string;
  readonly bad: string;
  /** AWS: KCL app name = lease table name. */
  readonly appName?: string;
  readonly igluServer: boolean;
  /** Customer enrichments by name (self-describing JSON). Default: none beyond the defaults. */
  readonly enrichments?: Readonly<Record<string, ConfigObject>>;
  /** Compress the enriched stream (6.11.0 and later; apps/compression.ts decides). Default: off. */
  readonly compression?: boolean;
}

const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  assetsUpdatePeriod: { type: 'string', description: 'How often enrichment assets are refreshed, e.g. "7 days"' },
};

const IMAGES = { aws: ['snowplow/snowplow-enrich-kinesis'], gcp: ['snowplow/snowplow-enrich-pubsub'] } as const;

const topicPath = (common: LaunchCommon, t: string) => `projects/${common.projectId}/topics/${t}`;
const subscriptionPath = (common: LaunchCommon, s: string) => `projects/${common.projectId}/subscriptions/${s}`;

function io(common: LaunchCommon, w: EnrichWiring, line: string): ConfigObject {
  if (common.cloud === 'gcp') {
    if (line === '2.x') {
      return {
        auth: { type: 'Gcp' },
        input: { type: 'PubSub', subscription: subscriptionPath(common, w.input) },
        good: { type: 'PubSub', topic: topicPath(common, w.good) },
        bad: { type: 'PubSub', topic: topicPath(common, w.bad) },
      };
    }
    return { input: { subscription: subscriptionPath(common, w.input) }, output: { good: { topic: topicPath(common, w.good) }, bad: { topic: topicPath(common, w.bad) } } };
  }
  if (w.appName === undefined) throw new Error(`${common.service}: enrich on Kinesis needs its lease table name as appName`);
  const region = line === '6.x' ? {} : { region: common.region! };
  return {
    input: { appName: w.appName, streamName: w.input, ...region, initialPosition: { type: 'TRIM_HORIZON' } },
    output: { good: { streamName: w.good, ...region }, bad: { streamName: w.bad, ...region } },
  };
}

function contract(line: '2.x' | '3.x-5.x' | '6.x', range: string): AppContract<EnrichWiring> {
  const common6 = line === '6.x';
  const c: AppContract<EnrichWiring> = {
    component: 'enrich',
    range,
    label: line,
    images: line === '2.x' ? { gcp: IMAGES.gcp } : IMAGES,
    license: line === '2.x' ? 'none' : line === '6.x' ? 'config' : 'config from 4.0.0',
    argsSummary: '--config <file> --iglu-config <resolver> --enrichments <dir>',
    settings: SETTINGS,
    secrets: {},
    health: common6 ? { port: 8000, path: '/' } : undefined,
    needs: ['input stream', 'output streams', 'lease table', 'iglu resolver'],
    sources: 'app-contracts.md §3.1-§3.3, §1.3, §1.4',
    launch: (common, w) => {
      const config = compact({
        ...license(gte(common.version, '4.0.0')),
        ...io(common, w, line),
        assetsUpdatePeriod: common.settings?.assetsUpdatePeriod,
        ...(common6 && w.compression ? { compression: { enabled: true } } : {}),
        ...(common.cloud === 'aws' && !common6 ? { monitoring: { metrics: { cloudwatch: false } } } : {}),
      });
      return oneContainer(common, {
        contract: `enrich ${line}`,
        name: 'enrich',
        image: imageFor(c, common.cloud, common.version),
        configFile: 'enrich.hocon',
        config,
        resolver: { igluServer: w.igluServer },
        files: enrichmentFiles(w.enrichments),
        args: ['--enrichments', inContainer(ENRICHMENTS_DIR)],
        health: common6 ? { port: 8000, path: '/' } : undefined,
      });
    },
  };
  return c;
}

export const ENRICH_CONTRACTS: readonly AppContract<EnrichWiring>[] = [
  contract('2.x', '>=2.0.0 <3.0.0'),
  contract('3.x-5.x', '>=3.0.0 <6.0.0'),
  contract('6.x', '>=6.0.0 <7.0.0'),
];
