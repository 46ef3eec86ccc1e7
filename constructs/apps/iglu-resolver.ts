/**
 * The Iglu resolver every schema-reading app gets (§3.2, §6.1, §8): Iglu Central, and the
 * pipeline's own Iglu Server first when the customer runs one. The server's URL is known only
 * once the cloud has made its load balancer, so it is a boot value.
 */
import { boot, type BootValueSpec, type ConfigFile, type ConfigObject } from './contract';

/**
 * Iglu Central over HTTPS, so the apps need egress on 443 only (Snowplow's own modules write
 * http://iglucentral.com; the site serves both).
 */
export const IGLU_CENTRAL_URL = 'https://iglucentral.com';
export const IGLU_URL_VARIABLE = 'IGLU_URL';

export interface ResolverOptions {
  /** The pipeline runs its own Iglu Server. */
  readonly igluServer: boolean;
  /** File name under the config directory. Default: iglu_resolver.json. */
  readonly path?: string;
}

export function resolverConfig(o: ResolverOptions): ConfigObject {
  const repositories: ConfigObject[] = [
    ...(o.igluServer
      ? [{ name: 'Iglu Server', priority: 0, vendorPrefixes: [], connection: { http: { uri: boot(IGLU_URL_VARIABLE) } } }]
      : []),
    { name: 'Iglu Central', priority: 10, vendorPrefixes: [], connection: { http: { uri: IGLU_CENTRAL_URL } } },
  ];
  return {
    schema: 'iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-3',
    data: { cacheSize: 500, cacheTtl: 600, repositories },
  };
}

export function resolverFile(o: ResolverOptions): ConfigFile {
  return { path: o.path ?? 'iglu_resolver.json', format: 'json', content: resolverConfig(o) };
}

export function resolverBootValues(o: ResolverOptions): BootValueSpec[] {
  return o.igluServer ? [{ variable: IGLU_URL_VARIABLE, source: { kind: 'iglu-url' }, secret: false }] : [];
}
