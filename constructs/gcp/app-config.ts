/**
 * Images and configuration of the pipeline apps on GCP. The version pin from the customer file
 * becomes the image tag; the configuration follows the app's major version where its format
 * changed (license acceptance from collector 3 and enrich 4; BigQuery loader 2 replaced the 1.x
 * loader, mutator and repeater with one app).
 */
import { major } from 'semver';
import { hoconSettings } from '../aws/app-config';

export const GCP_IMAGES: Readonly<Record<string, string>> = {
  collector: 'snowplow/scala-stream-collector-pubsub',
  enrich: 'snowplow/snowplow-enrich-pubsub',
  'bigquery-loader': 'snowplow/bigquery-loader-pubsub',
  'iglu-server': 'snowplow/iglu-server',
};

/** BigQuery loader 1.x shipped as three images. */
export const BIGQUERY_LOADER_1X_IMAGES = {
  streamloader: 'snowplow/snowplow-bigquery-streamloader',
  mutator: 'snowplow/snowplow-bigquery-mutator',
  repeater: 'snowplow/snowplow-bigquery-repeater',
} as const;

export function gcpImage(component: string, version: string): string {
  const repo = GCP_IMAGES[component];
  if (repo === undefined) throw new Error(`no GCP image is known for component "${component}"; add it to GCP_IMAGES`);
  return `${repo}:${version}`;
}

/** BigQuery loader before 2.0: a streamloader, a mutator and a repeater. */
export function isBigqueryLoader1x(version: string): boolean {
  return major(version) < 2;
}

const q = (s: string) => JSON.stringify(s);

export function collectorConfig(p: { version: string; projectId: string; good: string; bad: string; port: number; domain: string }): string {
  const v3 = major(p.version) >= 3;
  const streams = v3
    ? [
        '  streams {',
        `    good { name = ${q(p.good)}, googleProjectId = ${q(p.projectId)} }`,
        `    bad { name = ${q(p.bad)}, googleProjectId = ${q(p.projectId)} }`,
        '  }',
      ]
    : ['  streams {', `    good = ${q(p.good)}`, `    bad = ${q(p.bad)}`, `    sink { googleProjectId = ${q(p.projectId)} }`, '  }'];
  return [
    'collector {',
    ...(v3 ? ['  license { accept = true }'] : []),
    '  interface = "0.0.0.0"',
    `  port = ${p.port}`,
    '  paths { }',
    `  cookie { enabled = true, domains = [${q(p.domain)}], secure = true, sameSite = "None" }`,
    ...streams,
    '}',
  ].join('\n');
}

export function enrichConfig(p: { version: string; subscription: string; good: string; bad: string; settings: Readonly<Record<string, string | number | boolean>> }): string {
  return [
    '{',
    ...(major(p.version) >= 4 ? ['  license { accept = true }'] : []),
    `  input { subscription = ${q(p.subscription)} }`,
    '  output {',
    `    good { topic = ${q(p.good)} }`,
    `    bad { topic = ${q(p.bad)} }`,
    '  }',
    ...hoconSettings(p.settings, '  '),
    '}',
  ].join('\n');
}

export interface BigqueryLoaderConfigProps {
  readonly version: string;
  readonly projectId: string;
  readonly subscription: string;
  readonly datasetId: string;
  readonly tableId: string;
  readonly bad: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** 1.x only: the types topic, failed-inserts topic, their subscriptions and the dead-letter bucket. */
  readonly v1?: {
    readonly typesTopic: string;
    readonly typesSubscription: string;
    readonly failedInsertsTopic: string;
    readonly failedInsertsSubscription: string;
    readonly deadLetterBucket: string;
  };
}

export function bigqueryLoaderConfig(p: BigqueryLoaderConfigProps): string {
  if (!isBigqueryLoader1x(p.version)) {
    return [
      '{',
      '  license { accept = true }',
      `  input { subscription = ${q(p.subscription)} }`,
      '  output {',
      `    good { project = ${q(p.projectId)}, dataset = ${q(p.datasetId)}, table = ${q(p.tableId)} }`,
      `    bad { topic = ${q(p.bad)} }`,
      '  }',
      ...hoconSettings(p.settings, '  '),
      '}',
    ].join('\n');
  }
  if (p.v1 === undefined) throw new Error(`bigqueryLoaderConfig ${p.version}: a 1.x loader needs its types and failed-inserts topics and dead-letter bucket`);
  // Written out rather than as ${loader.output.good} substitutions: one place to read each value.
  const good = `good { datasetId = ${q(p.datasetId)}, tableId = ${q(p.tableId)} }`;
  return [
    '{',
    `  projectId = ${q(p.projectId)}`,
    '  loader {',
    `    input { subscription = ${q(p.subscription)} }`,
    '    output {',
    `      ${good}`,
    `      bad { topic = ${q(p.bad)} }`,
    `      types { topic = ${q(p.v1.typesTopic)} }`,
    `      failedInserts { topic = ${q(p.v1.failedInsertsTopic)} }`,
    '    }',
    '  }',
    `  mutator { input { subscription = ${q(p.v1.typesSubscription)} }, output { ${good} } }`,
    '  repeater {',
    `    input { subscription = ${q(p.v1.failedInsertsSubscription)} }`,
    `    output { ${good}, deadLetters { bucket = ${q(`gs://${p.v1.deadLetterBucket}`)} } }`,
    '  }',
    '  monitoring { }',
    ...hoconSettings(p.settings, '  '),
    '}',
  ].join('\n');
}

/** Iglu Server reads its database address and password (and super API key) from the environment at boot. */
export function igluServerConfig(p: { port: number; superApiKeyEnvVar?: string }): string {
  return [
    '{',
    `  repoServer { interface = "0.0.0.0", port = ${p.port} }`,
    '  database {',
    '    type = "postgres"',
    '    host = ${IGLU_DB_HOST}',
    '    port = 5432',
    '    dbname = "iglu"',
    '    username = "iglu"',
    '    password = ${IGLU_DB_PASSWORD}',
    '  }',
    ...(p.superApiKeyEnvVar ? [`  superApiKey = \${?${p.superApiKeyEnvVar}}`] : []),
    '}',
  ].join('\n');
}

/** The Iglu resolver the apps validate against: Iglu Central, and the pipeline's own Iglu Server first when it has one. */
export function igluResolver(igluServerApiUrl?: string): string {
  const repositories = [
    ...(igluServerApiUrl ? [{ name: 'Iglu Server', priority: 0, vendorPrefixes: [], connection: { http: { uri: igluServerApiUrl } } }] : []),
    { name: 'Iglu Central', priority: 10, vendorPrefixes: [], connection: { http: { uri: 'http://iglucentral.com' } } },
  ];
  return JSON.stringify(
    { schema: 'iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-3', data: { cacheSize: 500, cacheTtl: 600, repositories } },
    null,
    2,
  );
}
