/** The Iglu resolver file every validating app reads (app-contracts.md §3.2 "Credentials"; §8). */
import { get } from './context';

/** Problems with a parsed resolver; `pipelineIglu` says the stack runs its own Iglu Server, which must be in it. */
export function resolverProblems(what: string, resolver: unknown, pipelineIglu: boolean): string[] {
  const out: string[] = [];
  const schema = get(resolver, 'schema');
  if (typeof schema !== 'string' || !/^iglu:com\.snowplowanalytics\.iglu\/resolver-config\/jsonschema\/1-0-\d+$/.test(schema)) {
    out.push(`${what}: schema must be iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-x, got ${JSON.stringify(schema)}`);
  }
  if (typeof get(resolver, 'data.cacheSize') !== 'number') out.push(`${what}: data.cacheSize (a number) is required`);
  const repos = get(resolver, 'data.repositories');
  if (!Array.isArray(repos) || repos.length === 0) return [...out, `${what}: data.repositories must list at least one repository`];
  repos.forEach((r, i) => {
    for (const k of ['name', 'priority', 'vendorPrefixes']) if (get(r, k) === undefined) out.push(`${what}: repositories[${i}].${k} is required`);
    const uri = get(r, 'connection.http.uri');
    if (typeof uri !== 'string' || !/^https?:\/\/[^\s/]+/.test(uri)) out.push(`${what}: repositories[${i}].connection.http.uri must be an http(s) URL, got ${JSON.stringify(uri)}`);
  });
  if (pipelineIglu) {
    const own = repos.filter((r) => typeof get(r, 'connection.http.uri') === 'string' && !/iglucentral\.com/.test(String(get(r, 'connection.http.uri'))));
    if (own.length === 0) out.push(`${what}: the stack runs an Iglu Server but the resolver lists only Iglu Central; custom schemas will not resolve`);
    for (const r of own) {
      const uri = String(get(r, 'connection.http.uri'));
      if (!/\/api\/?$/.test(uri)) out.push(`${what}: the pipeline's Iglu Server URI ${uri} must end with /api (the Iglu Server API root)`);
      if (uri.includes('tf-computed-')) out.push(`${what}: the Iglu Server URI ${uri} holds a value Terraform never fills in`);
    }
  }
  return out;
}
