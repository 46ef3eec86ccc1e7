/**
 * Collector (§2). 2.x decodes `streams.good` and `streams.bad` as strings with one `sink` block
 * (Kinesis region or Pub/Sub project) and has no license check; 3.x wants per-sink objects with
 * `name` plus `region` or `googleProjectId`, and `license.accept`. Both serve one port with
 * `GET /health`. Sources: [COL@2.10.0, @2.5.0, @3.4.0 examples/config.{kinesis,pubsub}.minimal.hocon].
 */
import { imageFor, setting, type AppContract, type ConfigObject, type LaunchCommon, type SettingSpec } from '../contract';
import { compact, license, oneContainer } from '../parts';

export interface CollectorWiring {
  /** Raw stream (AWS) or topic short name (GCP). */
  readonly good: string;
  readonly bad: string;
  readonly port: number;
  /** Domain the collector's cookie is set for. */
  readonly cookieDomain: string;
  /** Compress the raw stream (3.6.0 and later; apps/compression.ts decides). Default: off. */
  readonly compression?: boolean;
}

const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  cookieName: { type: 'string', description: 'Name of the first-party cookie (default sp)' },
  cookieExpiration: { type: 'string', description: 'Cookie lifetime, e.g. "365 days" (default)' },
};

const IMAGES = { aws: ['snowplow/scala-stream-collector-kinesis'], gcp: ['snowplow/scala-stream-collector-pubsub'] } as const;

function cookie(common: LaunchCommon, w: CollectorWiring): ConfigObject {
  return compact({
    enabled: true,
    name: common.settings?.cookieName,
    expiration: setting<string>(common, 'cookieExpiration', '365 days'),
    domains: [w.cookieDomain],
    secure: true,
    httpOnly: true,
    sameSite: 'None',
  });
}

function sinkTarget(common: LaunchCommon): ConfigObject {
  if (common.cloud === 'aws') return { region: common.region! };
  return { googleProjectId: common.projectId! };
}

function contract(line: '2.x' | '3.x'): AppContract<CollectorWiring> {
  const v3 = line === '3.x';
  const c: AppContract<CollectorWiring> = {
    component: 'collector',
    range: v3 ? '>=3.0.0 <4.0.0' : '>=2.0.0 <3.0.0',
    label: line,
    images: IMAGES,
    license: v3 ? 'config' : 'none',
    argsSummary: '--config <file>',
    settings: SETTINGS,
    secrets: {},
    health: { port: 8080, path: '/health' },
    needs: ['output streams', 'load balancer'],
    sources: 'app-contracts.md §2.1-§2.6',
    launch: (common, w) => {
      const target = sinkTarget(common);
      const streams: ConfigObject = v3
        ? { good: { name: w.good, ...target }, bad: { name: w.bad, ...target } }
        : { good: w.good, bad: w.bad, sink: target };
      const config: ConfigObject = {
        collector: { ...license(v3), interface: '0.0.0.0', port: w.port, paths: {}, cookie: cookie(common, w), streams, ...(v3 && w.compression ? { compression: { enabled: true } } : {}) },
      };
      return oneContainer(common, {
        contract: `collector ${line}`,
        name: 'collector',
        image: imageFor(c, common.cloud, common.version),
        configFile: 'collector.hocon',
        config,
        health: { port: w.port, path: '/health' },
      });
    },
  };
  return c;
}

export const COLLECTOR_CONTRACTS: readonly AppContract<CollectorWiring>[] = [contract('2.x'), contract('3.x')];
