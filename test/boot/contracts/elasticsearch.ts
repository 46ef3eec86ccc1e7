/** Elasticsearch loader 2.x and 3.x (app-contracts.md §7, checker rule 2). */
import { major } from 'semver';
import type { AppCheck } from './app-check';
import { healthProbe, argValue, get, licenseProblem, load, requireKeys } from './context';

export const elasticsearchCheck: AppCheck = {
  component: 'elasticsearch-loader',
  images: { 'snowplow/elasticsearch-loader': { cloud: 'aws', role: 'loader' } },
  async check(ctx) {
    const out: string[] = [];
    const path = argValue(ctx.container.run.args, 'config');
    const v3 = major(ctx.version) >= 3;
    if (path === undefined) return [`elasticsearch-loader ${ctx.version}: --config <path> is ${v3 ? 'required' : 'the only way to give the loader its settings'}`];
    const loaded = await load(ctx, path, { format: 'hocon' });
    if (!loaded.ok) return [`elasticsearch-loader --config: ${loaded.error}`];
    const c = loaded.value;
    const secretValues = [...ctx.secrets.values()];
    if (v3) {
      const problem = licenseProblem(ctx, c, ['license.accept']);
      if (problem) out.push(problem);
      out.push(...requireKeys(c, ['input.streamName', 'output.good.url', 'output.good.index', 'output.bad.streamName', 'purpose'], `elasticsearch-loader ${ctx.version} config`));
      if (get(c, 'purpose') !== undefined && !['ENRICHED_EVENTS', 'BAD_ROWS', 'JSON'].includes(String(get(c, 'purpose')))) out.push('elasticsearch-loader 3.x: purpose must be ENRICHED_EVENTS, BAD_ROWS or JSON, in upper case');
      for (const old of ['input.type', 'output.good.client', 'output.good.cluster', 'output.good.type', 'input.buffer']) if (get(c, old) !== undefined) out.push(`elasticsearch-loader ${ctx.version}: ${old} is the 2.x shape`);
      const password = get(c, 'output.good.auth.password');
      if (typeof password === 'string' && !secretValues.includes(password)) out.push('elasticsearch-loader: output.good.auth.password is not the value read from the secret store');
    } else {
      out.push(...requireKeys(c, ['input.type', 'input.streamName', 'input.initialPosition', 'input.region', 'output.good.client.endpoint', 'output.bad.type', 'output.bad.streamName', 'purpose'], `elasticsearch-loader ${ctx.version} (2.x) config`));
      if (get(c, 'input.type') !== undefined && get(c, 'input.type') !== 'kinesis') out.push('elasticsearch-loader 2.x: input.type must be kinesis here');
      if (get(c, 'purpose') !== undefined && !/^(enriched_events|bad_rows|json)$/i.test(String(get(c, 'purpose')))) out.push('elasticsearch-loader 2.x: purpose must be ENRICHED_EVENTS, BAD_ROWS or JSON');
      const password = get(c, 'output.good.client.password');
      if (typeof password === 'string' && !secretValues.includes(password)) out.push('elasticsearch-loader: output.good.client.password is not the value read from the secret store');
    }
    for (const k of ['input.streamName', 'output.bad.streamName']) {
      const s = get(c, k);
      if (typeof s === 'string' && !ctx.stack.kinesisStreams.has(s)) out.push(`elasticsearch-loader config: ${k} "${s}" is not a Kinesis stream of this stack`);
    }
    return out;
  },
  async listens(ctx) {
    return major(ctx.version) >= 3 ? healthProbe(ctx) : undefined;
  },
};
