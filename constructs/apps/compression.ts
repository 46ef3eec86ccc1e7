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
import { gte, satisfies, valid } from 'semver';
import { componentPins, type ComponentId, type CustomerSpec } from '../../customers/schema';
import { CATALOG_VERSION, semverOf } from '../../upgrades/catalog/version';

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

/** A backport counts as its base; a prerelease is below its release; anything else is not at least `min`. */
function atLeast(version: string, min: string): boolean {
  if (CATALOG_VERSION.test(version)) return satisfies(semverOf(version), `>=${min}`);
  return valid(version) !== null && gte(version, min);
}

/**
 * Readers of a stream the customer file itself adds: its roles on the stream (an application the
 * customer runs). Access grants are a person's time-limited debugging access, not a consumer.
 */
function customReaders(spec: CustomerSpec, stream: 'raw' | 'enriched'): string[] {
  const names: string[] = [];
  for (const role of spec.roles) {
    const aliases: readonly string[] = 'statements' in role ? role.statements.flatMap((st) => st.resources) : role.bindings.flatMap((b) => b.resources);
    if (aliases.includes(`${stream}-stream`) || aliases.includes(`${stream}-topic`)) names.push(`role ${role.name}`);
  }
  return names;
}

export function compressionOf(spec: CustomerSpec): Compression {
  if (spec.features?.compression !== true) return { raw: false, enriched: false, waiting: [] };
  const pins = new Map(componentPins(spec).map((p) => [p.component, p.version]));
  const collector = pins.get('collector') ?? '0.0.0';
  const enrich = pins.get('enrich') ?? '0.0.0';

  const rawWaits: string[] = [];
  if (!atLeast(collector, RAW_COMPRESSION_FROM.collector)) rawWaits.push(`until collector >= ${RAW_COMPRESSION_FROM.collector} runs (pinned ${collector})`);
  if (!atLeast(enrich, RAW_COMPRESSION_FROM.enrich)) rawWaits.push(`until enrich >= ${RAW_COMPRESSION_FROM.enrich} runs (pinned ${enrich})`);
  // A reader the file adds may not read compressed records: fail closed.
  for (const reader of customReaders(spec, 'raw')) rawWaits.push(`while ${reader} reads it (Enrich is the only reader of compressed raw records; remove that access to compress)`);

  const enrichedWaits: string[] = [];
  if (!atLeast(enrich, ENRICHED_COMPRESSION_FROM)) enrichedWaits.push(`until enrich >= ${ENRICHED_COMPRESSION_FROM} runs (pinned ${enrich})`);
  for (const component of NEVER_READS) if (pins.has(component)) enrichedWaits.push(`while ${component} reads it (it reads no compressed records)`);
  for (const [component, min] of Object.entries(ENRICHED_READERS) as [ComponentId, string][]) {
    const version = pins.get(component);
    if (version !== undefined && !atLeast(version, min)) enrichedWaits.push(`until ${component} >= ${min} runs (pinned ${version})`);
  }
  for (const reader of customReaders(spec, 'enriched')) enrichedWaits.push(`while ${reader} reads it (a custom consumer must decompress first; remove that access to compress)`);

  return {
    raw: rawWaits.length === 0,
    enriched: enrichedWaits.length === 0,
    waiting: [...rawWaits.map((w) => `the raw stream stays uncompressed ${w}`), ...enrichedWaits.map((w) => `the enriched stream stays uncompressed ${w}`)],
  };
}
