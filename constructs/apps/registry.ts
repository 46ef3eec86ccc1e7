/**
 * Every app contract, and the lookups the clouds and `fleet validate` use. A component version
 * that no contract range covers has no launch: it is refused, with the covered ranges as the hint.
 */
import { covers, type AppContract } from './contract';
import { BIGQUERY_LOADER_CONTRACTS } from './components/bigquery-loader';
import { COLLECTOR_CONTRACTS } from './components/collector';
import { ELASTICSEARCH_LOADER_CONTRACTS } from './components/elasticsearch-loader';
import { ENRICH_CONTRACTS } from './components/enrich';
import { IGLU_SERVER_CONTRACTS } from './components/iglu-server';
import { REDSHIFT_LOADER_CONTRACTS, TRANSFORMER_CONTRACTS } from './components/rdb-loader';
import { S3_LOADER_CONTRACTS } from './components/s3-loader';
import { SNOWFLAKE_LOADER_CONTRACTS } from './components/snowflake-streaming-loader';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContract = AppContract<any>;

const ALL: readonly (readonly AnyContract[])[] = [
  COLLECTOR_CONTRACTS,
  ENRICH_CONTRACTS,
  S3_LOADER_CONTRACTS,
  SNOWFLAKE_LOADER_CONTRACTS,
  ELASTICSEARCH_LOADER_CONTRACTS,
  BIGQUERY_LOADER_CONTRACTS,
  TRANSFORMER_CONTRACTS,
  REDSHIFT_LOADER_CONTRACTS,
  IGLU_SERVER_CONTRACTS,
];

export const CONTRACTS: readonly AnyContract[] = ALL.flat();

export function appOf(c: Pick<AppContract, 'component' | 'app'>): string {
  return c.app ?? c.component;
}

/** The apps a component runs (rdb-loader: transformer and loader; others: one). */
export function appsOf(component: string): string[] {
  return [...new Set(CONTRACTS.filter((c) => c.component === component).map(appOf))];
}

/** "2.x (>=2.0.0 <3.0.0), 3.x (...)" for a component's app, for hints. */
export function coveredRanges(component: string, app?: string): string {
  const list = CONTRACTS.filter((c) => c.component === component && (app === undefined || appOf(c) === app));
  const seen = new Set<string>();
  return list
    .filter((c) => (seen.has(c.range) ? false : (seen.add(c.range), true)))
    .map((c) => `${c.label} (${c.range})`)
    .join(', ');
}

/** Why a pin has no launch, or undefined when every app of the component has a contract for it. */
export function contractGap(component: string, version: string): string | undefined {
  const apps = appsOf(component);
  if (apps.length === 0) return `no app contract is known for component ${component}`;
  for (const app of apps) {
    if (!CONTRACTS.some((c) => c.component === component && appOf(c) === app && covers(c, version))) {
      return `${component} ${version} has no runtime contract${app !== component ? ` for ${app}` : ''}; covered: ${coveredRanges(component, app)}. Pin a covered version, or add a contract in constructs/apps/components/ after reading the release's config contract`;
    }
  }
  return undefined;
}

/** The contract of one app for a version, from a list of one app's contracts. */
export function pick<W>(list: readonly AppContract<W>[], version: string): AppContract<W> {
  const found = list.find((c) => covers(c, version));
  if (found === undefined) {
    const first = list[0];
    throw new Error(`${first ? appOf(first) : 'app'} ${version} has no runtime contract; covered: ${list.map((c) => `${c.label} (${c.range})`).join(', ')}`);
  }
  return found;
}

/** Every contract that applies to a component version (one per app). */
export function contractsFor(component: string, version: string): AnyContract[] {
  return CONTRACTS.filter((c) => c.component === component && covers(c, version));
}
