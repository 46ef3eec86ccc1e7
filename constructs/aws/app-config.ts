/**
 * Images and configuration of the pipeline apps on AWS. The version pin from the customer file
 * becomes the image tag; the configuration follows the app's major version where its format
 * changed (license acceptance from collector 3 and enrich 4).
 */
import { major } from 'semver';

export const AWS_IMAGES: Readonly<Record<string, string>> = {
  collector: 'snowplow/scala-stream-collector-kinesis',
  enrich: 'snowplow/snowplow-enrich-kinesis',
  's3-loader': 'snowplow/snowplow-s3-loader',
  'snowflake-streaming-loader': 'snowplow/snowflake-loader-kinesis',
  'rdb-loader': 'snowplow/rdb-loader-redshift',
  'elasticsearch-loader': 'snowplow/elasticsearch-loader',
  'iglu-server': 'snowplow/iglu-server',
};

export function awsImage(component: string, version: string): string {
  const repo = AWS_IMAGES[component];
  if (repo === undefined) throw new Error(`no AWS image is known for component "${component}"; add it to AWS_IMAGES`);
  return `${repo}:${version}`;
}

function hoconValue(v: string | number | boolean): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Renders settings as HOCON key = value lines, sorted for stable output. */
export function hoconSettings(settings: Readonly<Record<string, string | number | boolean>>, indent = '    '): string[] {
  return Object.keys(settings)
    .sort()
    .map((k) => `${indent}${k} = ${hoconValue(settings[k])}`);
}

export interface ConsumerConfigProps {
  readonly region: string;
  readonly appName: string;
  readonly input: string;
  readonly output?: Readonly<Record<string, string>>;
  readonly licenseAccepted: boolean;
  readonly extra?: readonly string[];
}

export function consumerConfig(p: ConsumerConfigProps): string {
  return [
    '{',
    ...(p.licenseAccepted ? ['  license { accept = true }'] : []),
    '  input {',
    `    appName = ${JSON.stringify(p.appName)}`,
    `    streamName = ${JSON.stringify(p.input)}`,
    `    region = ${JSON.stringify(p.region)}`,
    '    initialPosition = { type = "TRIM_HORIZON" }',
    '  }',
    ...(p.output
      ? [
          '  output {',
          ...Object.keys(p.output)
            .sort()
            .map((k) => `    ${k} { streamName = ${JSON.stringify(p.output![k])}, region = ${JSON.stringify(p.region)} }`),
          '  }',
        ]
      : []),
    ...(p.extra ?? []),
    '  monitoring { metrics { cloudwatch = true } }',
    '}',
  ].join('\n');
}

export function collectorConfig(p: { version: string; region: string; good: string; bad: string; port: number; domain: string }): string {
  const v3 = major(p.version) >= 3;
  return [
    'collector {',
    ...(v3 ? ['  license { accept = true }'] : []),
    '  interface = "0.0.0.0"',
    `  port = ${p.port}`,
    `  paths { }`,
    `  cookie { enabled = true, domains = [${JSON.stringify(p.domain)}], secure = true, sameSite = "None" }`,
    '  streams {',
    `    good { name = ${JSON.stringify(p.good)}, region = ${JSON.stringify(p.region)} }`,
    `    bad { name = ${JSON.stringify(p.bad)}, region = ${JSON.stringify(p.region)} }`,
    '  }',
    '  monitoring.metrics.statsd.enabled = false',
    '}',
  ].join('\n');
}

/** Enrich 4.0 introduced the license flag. */
export function enrichNeedsLicense(version: string): boolean {
  return major(version) >= 4;
}
