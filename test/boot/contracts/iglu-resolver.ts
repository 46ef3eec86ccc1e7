/** The Iglu resolver file every validating app reads (app-contracts.md §3.2 "Credentials"; §8). */
import { get, type CheckContext } from './context';

/** On AWS: the URI's load balancer listens on its port, and the VM's security groups let it send there. */
function reachability(ctx: CheckContext, what: string, uri: string): string[] {
  if (ctx.cloud !== 'aws') return [];
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [];
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const lb = /^(?:internal-)?(.+)-1234567890\.elb\.amazonaws\.com$/.exec(url.hostname)?.[1];
  const out: string[] = [];
  const listeners = lb ? ctx.stack.listenerPorts(lb) : undefined;
  if (listeners && !listeners.includes(port)) out.push(`${what}: ${uri} uses port ${port}, but load balancer ${lb} listens on ${listeners.join(', ') || 'no port'}`);
  if (ctx.securityGroups.length > 0 && !ctx.stack.egressAllows(ctx.securityGroups, port)) out.push(`${what}: the VM's security groups allow no egress to tcp ${port}, so ${uri} is unreachable`);
  return out;
}

/** Problems with a parsed resolver; the stack's own Iglu Server, when it runs one, must be in it and reachable. */
export function resolverProblems(ctx: CheckContext, what: string, resolver: unknown): string[] {
  const pipelineIglu = ctx.stack.hasIglu;
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
      out.push(...reachability(ctx, what, uri));
    }
  }
  return out;
}
