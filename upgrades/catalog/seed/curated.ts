/**
 * Facts releases.tsv has no column for, each taken from ../shared/reference/releases-notes.md
 * (item numbers refer to its "Cross-component requirements" list and its licence table):
 * requirements, migration notes, licence gates, and the majors an upgrade must land on
 * (pipeline-facts.md: "upgrade one step at a time" where a major changes the configuration).
 */
import type { ComponentId } from '../../../customers/schema';
import type { Feature, Severity } from '../schema';
import { ENRICHED_COMPRESSION_FROM, ENRICHED_READERS, RAW_COMPRESSION_FROM } from '../../../constructs/apps/compression';
import { compareVersions } from '../version';
import { PUBLISHED_RATINGS } from './published-ratings';

export interface CuratedRelease {
  readonly migration?: readonly string[];
  readonly requires?: Readonly<Record<string, string>>;
}

export interface CuratedConditional {
  /** Applies to this release and every later one (the capability stays). */
  readonly from: string;
  readonly feature: Feature;
  readonly requires: Readonly<Record<string, string>>;
  readonly source: string;
}

export interface CuratedComponent {
  readonly name: string;
  readonly mustStepThroughMajors: readonly number[];
  readonly licenseFrom?: string;
  readonly releases: Readonly<Record<string, CuratedRelease>>;
  readonly conditional: readonly CuratedConditional[];
}

const LICENSE = 'Accept the Snowplow Limited Use License (license.accept = true or ACCEPT_LIMITED_USE_LICENSE=yes): the app will not start without it';

/**
 * Public ratings of advisories releases.tsv names, from releases-notes.md ("severity_hint" and
 * "Public ratings of the main inferred advisories").
 */
const NOTES_RATINGS: Readonly<Record<string, Severity>> = {
  'CVE-2021-44228': 'critical',
  'CVE-2021-45046': 'critical',
  'CVE-2022-42889': 'critical',
  'CVE-2024-47561': 'critical',
  'CVE-2023-44981': 'critical',
  'CVE-2024-1597': 'critical',
  'CVE-2022-25857': 'high',
  'CVE-2024-57699': 'high',
  'CVE-2023-44487': 'high',
  'CVE-2020-36518': 'high',
};

/**
 * Every advisory rating the seed may use, with where it comes from; used only where the table's
 * severity is "unknown". releases-notes.md first, then the published records (published-ratings.ts).
 */
export const ADVISORY_RATINGS: ReadonlyMap<string, { readonly severity: Severity; readonly from: string }> = new Map([
  ...Object.entries(NOTES_RATINGS).map(([id, severity]) => [id, { severity, from: 'releases-notes.md' }] as const),
  ...PUBLISHED_RATINGS.filter((r) => NOTES_RATINGS[r.id] === undefined).map(
    (r) => [r.id, { severity: r.severity, from: `${r.score === null ? '' : `CVSS ${r.score.toFixed(1)}, `}${r.publisher}` }] as const,
  ),
]);

/**
 * The stated default for a security release whose source gives no severity and names no rated
 * advisory: medium (30-day deadline by default). Most such rows are dependency or OS-package
 * bumps; medium keeps them ahead of bug fixes without letting them outrank a named high.
 */
export const DEFAULT_SEVERITY: Severity = 'medium';

/** Releases before this day enter the catalog only where their line still had releases after it. */
export const HISTORY_FROM = '2022-01-01';

export const CURATED: Readonly<Record<ComponentId, CuratedComponent>> = {
  collector: {
    name: 'Collector (scala-stream-collector-kinesis / -pubsub)',
    mustStepThroughMajors: [3],
    licenseFrom: '3.0.0',
    releases: {
      '3.0.0': { migration: ['Collector 3 exposes one port (http or https): where both were used, move the http->https redirect to the load balancer (releases-notes.md item 11)'] },
      '3.6.0': { migration: ['Raw-stream compression (collector.compression.enabled, default off) needs Enrich >= 6.1.0 deployed first; no S3 loader may read a compressed raw stream (item 1)'] },
    },
    conditional: [
      {
        from: RAW_COMPRESSION_FROM.collector,
        feature: 'compression',
        requires: { enrich: `>=${RAW_COMPRESSION_FROM.enrich}` },
        source: 'releases-notes.md item 1: collector 3-6-x upgrade guide and configure page',
      },
    ],
  },
  enrich: {
    name: 'Enrich (snowplow-enrich-kinesis / -pubsub)',
    mustStepThroughMajors: [3, 4, 6],
    licenseFrom: '4.0.0',
    releases: {
      '4.0.0': {
        migration: [
          'Default atomic field limits rise (mkt_clickid 1000; page_url, page_referrer 10000) unless featureFlags.acceptInvalid: resize Redshift columns, remove VARCHAR limits on Snowflake/Databricks first; nothing for BigQuery (item 4)',
        ],
      },
      '6.0.0': {
        migration: [
          'Rename configuration: incomplete becomes failed, some feature flags move to validation (item 12)',
          'The pii stream, remote adapters, file I/O, DynamoDB-held enrichment configs and KCL CloudWatch metrics are removed: move off them first where used (item 12)',
        ],
      },
      '6.11.0': {
        migration: [
          'Enriched-stream compression (compression.enabled, default off) needs every consumer at a minimum version first (requiresWhen); also Databricks 0.5.0, Lake loader 0.10.0, Snowbridge 5.2.0; RDB Loader reads no compressed records, so the fleet keeps compression off where it runs; custom consumers must be updated (item 2)',
        ],
      },
      '6.12.0': {
        migration: ['CloudFront/Firehose CDN tracking (sources/cdn-trackers/cloudfront) needs this release or later: move pipelines using that integration here before turning it on (item 8)'],
      },
      '6.13.0': {
        migration: ['The referer-parser enrichment\'s utm_sources option needs its configuration schema 2-0-2: where it is used, update the enrichment JSON to that schema with this move (item 9)'],
      },
    },
    conditional: [
      {
        from: ENRICHED_COMPRESSION_FROM,
        feature: 'compression',
        requires: Object.fromEntries(Object.entries(ENRICHED_READERS).map(([component, min]) => [component, `>=${min}`])),
        source: 'releases-notes.md item 2: enrich 6-11-x upgrade guide and configuration reference',
      },
    ],
  },
  's3-loader': {
    name: 'S3 loader (snowplow-s3-loader)',
    mustStepThroughMajors: [3],
    licenseFrom: '2.3.0',
    releases: {
      '3.0.0': { migration: ['purpose = RAW and LZO are dropped: a loader archiving the raw stream or writing LZO must change first; config fields are renamed or removed and file names change (item 3)'] },
    },
    conditional: [],
  },
  'snowflake-streaming-loader': {
    name: 'Snowflake streaming loader',
    mustStepThroughMajors: [],
    licenseFrom: '0.3.0',
    releases: {},
    conditional: [],
  },
  'rdb-loader': {
    name: 'RDB loader (Redshift / Databricks)',
    mustStepThroughMajors: [6],
    licenseFrom: '6.0.0',
    releases: {
      '2.0.0': { migration: ['The loader and shredder configurations are split (item 13)'] },
      '6.0.0': { migration: ['Redshift: recovery tables are added; patch incorrectly evolved schemas with the latest igluctl (static generate, table-check) first (item 6)'] },
    },
    conditional: [],
  },
  'elasticsearch-loader': {
    name: 'Elasticsearch / OpenSearch loader',
    mustStepThroughMajors: [3],
    licenseFrom: '3.0.0',
    releases: {
      '3.0.0': { migration: ['Migrate the loader configuration to the 3.x format; NSQ users move to Kinesis first (item 10)'] },
    },
    conditional: [],
  },
  'bigquery-loader': {
    name: 'BigQuery loader (bigquery-loader-pubsub)',
    mustStepThroughMajors: [2],
    licenseFrom: '2.0.0',
    releases: {
      '2.0.0': {
        migration: [
          'Column naming changes (_1 instead of _1_0_0) unless legacyColumnMode/legacyColumns: dbt projects outside Snowplow models need combine_column_versions; Repeater, Mutator, the types and failedInserts topics and the deadLetter bucket become obsolete (item 5)',
        ],
      },
    },
    conditional: [],
  },
  'iglu-server': {
    name: 'Iglu Server (schema registry)',
    mustStepThroughMajors: [],
    licenseFrom: '0.12.0',
    releases: {},
    conditional: [],
  },
};

export { LICENSE };

/** The conditional requirements a release carries: every curated rule that holds from an earlier (or the same) release on. */
export function conditionalRequirementsOf(component: ComponentId, version: string): { feature: Feature; requires: Record<string, string>; source: string }[] {
  return CURATED[component].conditional
    .filter((c) => compareVersions(version, c.from) >= 0)
    .map((c) => ({ feature: c.feature, requires: { ...c.requires }, source: c.source }));
}
