/**
 * The enrichments directory enrich reads with `--enrichments` (§3.1): defaults that need no
 * external asset (campaign attribution, event fingerprint, YAUAA user-agent parsing), which a
 * customer file extends or overrides under `components.enrich.enrichments.<name>` with the
 * enrichment's self-describing JSON (set `data.enabled` to false to switch a default off).
 * Files end in .json, the one extension every enrich major reads from a directory.
 * Sources: [ENR@6.10.0 config/enrichments/*.json].
 */
import type { ConfigFile, ConfigObject } from './contract';

export const DEFAULT_ENRICHMENTS: Readonly<Record<string, ConfigObject>> = {
  campaign_attribution: {
    schema: 'iglu:com.snowplowanalytics.snowplow/campaign_attribution/jsonschema/1-0-1',
    data: {
      name: 'campaign_attribution',
      vendor: 'com.snowplowanalytics.snowplow',
      enabled: true,
      parameters: {
        mapping: 'static',
        fields: { mktMedium: ['utm_medium'], mktSource: ['utm_source'], mktTerm: ['utm_term'], mktContent: ['utm_content'], mktCampaign: ['utm_campaign'] },
      },
    },
  },
  event_fingerprint_config: {
    schema: 'iglu:com.snowplowanalytics.snowplow/event_fingerprint_config/jsonschema/1-0-1',
    data: {
      name: 'event_fingerprint_config',
      vendor: 'com.snowplowanalytics.snowplow',
      enabled: true,
      parameters: { excludeParameters: ['eid', 'nuid', 'stm', 'cv'], hashAlgorithm: 'MD5' },
    },
  },
  yauaa_enrichment_config: {
    schema: 'iglu:com.snowplowanalytics.snowplow.enrichments/yauaa_enrichment_config/jsonschema/1-0-0',
    data: { name: 'yauaa_enrichment_config', vendor: 'com.snowplowanalytics.snowplow.enrichments', enabled: true },
  },
};

export const ENRICHMENTS_DIR = 'enrichments';

/** One file per enrichment: the defaults, with the customer's entries added or replacing a default of the same name. */
export function enrichmentFiles(custom: Readonly<Record<string, ConfigObject>> = {}): ConfigFile[] {
  const all: Record<string, ConfigObject> = { ...DEFAULT_ENRICHMENTS, ...custom };
  return Object.keys(all)
    .sort()
    .map((name) => {
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new Error(`enrichment name "${name}" must be lower case letters, digits, _ or -`);
      return { path: `${ENRICHMENTS_DIR}/${name}.json`, format: 'json', content: all[name] };
    });
}
