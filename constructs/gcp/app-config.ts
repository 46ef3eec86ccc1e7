/**
 * The GCP side of the app layer: what the topology needs to know about an app version. Images,
 * config shapes, arguments, license and health per version live in constructs/apps, once for
 * both clouds.
 */
import { BIGQUERY_LOADER_CONTRACTS } from '../apps/components/bigquery-loader';
import { pick } from '../apps/registry';

/** BigQuery loader 1.x runs three apps and needs its own types and failed-inserts topics and a dead-letter bucket. */
export function isBigqueryLoader1x(version: string): boolean {
  return pick(BIGQUERY_LOADER_CONTRACTS, version).label === '1.x';
}
