/**
 * Stream compression (`features.compression` in a customer file): which of the pipeline's
 * streams are compressed, given the versions the file pins. The collector compresses the raw
 * stream from 3.6.0, which only Enrich >= 6.1.0 reads (and nothing else reads the raw stream
 * here: the S3 loaders archive the enriched and bad streams). Enrich compresses the enriched
 * stream from 6.11.0, which each consumer reads only from the version below; RDB Loader reads
 * no compressed records at all (releases-notes.md items 1 and 2; the 6-11-x and 3-6-x upgrade
 * guides). The catalog's conditional requirements are seeded from the same minimums, so the
 * planner moves the consumers first and this turns compression on once they run.
 */
import { satisfies } from 'semver';
import { componentPins, type ComponentId } from '../../customers/schema';
import { semverOf } from '../../upgrades/catalog/version';

export const RAW_COMPRESSION_FROM = { collector: '3.6.0', enrich: '6.1.0' } as const;
export const ENRICHED_COMPRESSION_FROM = '6.11.0';

/** The enriched-stream consumers that read compressed records, and from which version. */
export const ENRICHED_READERS: Readonly<Partial<Record<ComponentId, string>>> = {
  'bigquery-loader': '2.2.0',
  'elasticsearch-loader': '3.0.0',
  's3-loader': '3.2.0',
  'snowflake-streaming-loader': '0.6.0',
};

/** Enriched-stream consumers with no version that reads compressed records. */
const NEVER_READS: readonly ComponentId[] = ['rdb-loader'];

export interface Compression {
  readonly raw: boolean;
  readonly enriched: boolean;
  /** Why a stream stays uncompressed although the file enables the feature (empty when it does not). */
  readonly waiting: readonly string[];
}

const atLeast = (version: string, min: string) => satisfies(semverOf(version), `>=${min}`);

export function compressionOf(spec: { readonly features?: { readonly compression?: boolean } } & Parameters<typeof componentPins>[0]): Compression {
  if (spec.features?.compression !== true) return { raw: false, enriched: false, waiting: [] };
  const pins = new Map(componentPins(spec).map((p) => [p.component, p.version]));
  const waiting: string[] = [];
  const collector = pins.get('collector');
  const enrich = pins.get('enrich');
  let raw = collector !== undefined && enrich !== undefined && atLeast(collector, RAW_COMPRESSION_FROM.collector);
  if (raw && !atLeast(enrich!, RAW_COMPRESSION_FROM.enrich)) {
    raw = false;
    waiting.push(`the raw stream stays uncompressed until enrich >= ${RAW_COMPRESSION_FROM.enrich} runs (pinned ${enrich})`);
  }
  let enriched = enrich !== undefined && atLeast(enrich, ENRICHED_COMPRESSION_FROM);
  if (enriched) {
    for (const component of NEVER_READS) {
      if (pins.has(component)) waiting.push(`the enriched stream stays uncompressed: ${component} reads no compressed records`);
    }
    for (const [component, min] of Object.entries(ENRICHED_READERS) as [ComponentId, string][]) {
      const version = pins.get(component);
      if (version !== undefined && !atLeast(version, min)) waiting.push(`the enriched stream stays uncompressed until ${component} >= ${min} runs (pinned ${version})`);
    }
    enriched = waiting.every((w) => !w.startsWith('the enriched'));
  }
  return { raw, enriched, waiting };
}
