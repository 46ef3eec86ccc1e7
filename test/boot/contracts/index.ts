/** Every app the contracts know, found by image repository. */
import type { AppCheck } from './app-check';
import { bigqueryCheck } from './bigquery';
import { collectorCheck } from './collector';
import { elasticsearchCheck } from './elasticsearch';
import { enrichCheck } from './enrich';
import { igluServerCheck } from './iglu-server';
import { rdbLoaderCheck } from './rdb-loader';
import { s3LoaderCheck } from './s3-loader';
import { snowflakeCheck } from './snowflake';

export const APP_CHECKS: readonly AppCheck[] = [collectorCheck, enrichCheck, s3LoaderCheck, snowflakeCheck, rdbLoaderCheck, elasticsearchCheck, bigqueryCheck, igluServerCheck];

export function appFor(repository: string): { check: AppCheck; role: string; cloud?: 'aws' | 'gcp' } | undefined {
  for (const check of APP_CHECKS) {
    const image = check.images[repository];
    if (image) return { check, role: image.role, cloud: image.cloud };
  }
  return undefined;
}
