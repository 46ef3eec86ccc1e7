/** Enrich 3.x-6.x (app-contracts.md §3, checker rules 1, 2 and 10). */
import { major } from 'semver';
import { fileAt } from '../docker/container';
import type { AppCheck } from './app-check';
import { healthProbe, argValue, get, licenseProblem, load, requireKeys, type CheckContext } from './context';
import { resolverProblems } from './iglu-resolver';

async function enrichmentsProblems(ctx: CheckContext, value: string): Promise<string[]> {
  const v6 = major(ctx.version) >= 6;
  if (!value.startsWith('/')) {
    if (v6) return [`enrich ${ctx.version}: --enrichments must be a directory path (6.x reads no base64)`];
    const loaded = await load(ctx, value, { format: 'json', base64: true });
    if (!loaded.ok) return [`enrich --enrichments: ${loaded.error}`];
    return get(loaded.value, 'schema') === 'iglu:com.snowplowanalytics.snowplow/enrichments/jsonschema/1-0-0' && Array.isArray(get(loaded.value, 'data'))
      ? []
      : ['enrich --enrichments base64: must be iglu:com.snowplowanalytics.snowplow/enrichments/jsonschema/1-0-0 with a data array'];
  }
  const f = fileAt(ctx.container, value);
  if (f.kind === 'absent') return [`enrich --enrichments: ${f.why}`];
  if (f.kind === 'file') return [`enrich --enrichments ${value}: must be a directory, is a file`];
  const out: string[] = [];
  for (const [name, content] of f.entries) {
    const read = v6 ? name.endsWith('.json') : name.endsWith('.json') || name.endsWith('.hocon');
    if (!read) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content.toString('utf8'));
    } catch (e) {
      out.push(`enrich enrichment ${name}: not valid JSON: ${(e as Error).message}`);
      continue;
    }
    if (!/^iglu:[^/]+\/[^/]+\/jsonschema\/\d+-\d+-\d+$/.test(String(get(parsed, 'schema')))) out.push(`enrich enrichment ${name}: schema must be an iglu: URI`);
    if (typeof get(parsed, 'data.name') !== 'string' || typeof get(parsed, 'data.enabled') !== 'boolean') out.push(`enrich enrichment ${name}: data.name and data.enabled are required`);
  }
  return out;
}

export const enrichCheck: AppCheck = {
  component: 'enrich',
  images: {
    'snowplow/snowplow-enrich-kinesis': { cloud: 'aws', role: 'enrich' },
    'snowplow/snowplow-enrich-pubsub': { cloud: 'gcp', role: 'enrich' },
  },
  async check(ctx) {
    const out: string[] = [];
    const args = ctx.container.run.args;
    const v6 = major(ctx.version) >= 6;
    const config = argValue(args, 'config', 'c');
    const iglu = argValue(args, 'iglu-config', 'r');
    const enrichments = argValue(args, 'enrichments', 'e');
    for (const [name, v] of [['--config', config], ['--iglu-config', iglu], ['--enrichments', enrichments]] as const) {
      if (v === undefined) out.push(`enrich ${ctx.version}: ${name} is required in every version (decline exits before reading the config)`);
      else if (v6 && !v.startsWith('/')) out.push(`enrich ${ctx.version}: ${name} must be a path in 6.x`);
    }
    if (enrichments !== undefined) out.push(...(await enrichmentsProblems(ctx, enrichments)));
    if (iglu !== undefined) {
      const r = await load(ctx, iglu, { format: 'either', base64: !v6 });
      if (!r.ok) out.push(`enrich --iglu-config: ${r.error}`);
      else out.push(...resolverProblems(ctx, 'enrich resolver', r.value));
    }
    if (config === undefined) return out;
    const loaded = await load(ctx, config, { format: 'hocon', base64: !v6 });
    if (!loaded.ok) return [...out, `enrich --config: ${loaded.error}`];
    const c = loaded.value;
    if (major(ctx.version) >= 4) {
      const problem = licenseProblem(ctx, c, ['license.accept']);
      if (problem) out.push(problem);
    }
    if (ctx.cloud === 'aws') {
      out.push(...requireKeys(c, ['input.streamName', 'output.good.streamName', 'output.bad.streamName'], `enrich ${ctx.version} config`));
      for (const k of ['input.streamName', 'output.good.streamName', 'output.bad.streamName']) {
        const s = get(c, k);
        if (typeof s === 'string' && !ctx.stack.kinesisStreams.has(s)) out.push(`enrich config: ${k} "${s}" is not a Kinesis stream of this stack`);
      }
      const app = get(c, 'input.appName');
      if (typeof app !== 'string') out.push(`enrich ${ctx.version}: input.appName must be set explicitly (the default changes from snowplow-enrich-kinesis to snowplow-enrich in 6.x, which moves the lease table)`);
      else if (!ctx.stack.leaseTables.has(app)) out.push(`enrich: input.appName "${app}" is not a DynamoDB table of this stack (the KCL names its lease table after it)`);
    } else {
      const sub = get(c, 'input.subscription');
      if (typeof sub !== 'string' || !/^projects\/[^/]+\/subscriptions\/[^/]+$/.test(sub)) out.push(`enrich config: input.subscription must be projects/<p>/subscriptions/<s>, got ${JSON.stringify(sub)}`);
      else if (!ctx.stack.subscriptions.has(sub)) out.push(`enrich config: input.subscription ${sub} is not a subscription of this stack`);
      for (const k of ['output.good.topic', 'output.bad.topic']) {
        const t = get(c, k);
        if (typeof t !== 'string' || !/^projects\/[^/]+\/topics\/[^/]+$/.test(t)) out.push(`enrich config: ${k} must be projects/<p>/topics/<t>, got ${JSON.stringify(t)}`);
        else if (!ctx.stack.topics.has(t)) out.push(`enrich config: ${k} ${t} is not a topic of this stack`);
      }
    }
    return out;
  },
  async listens(ctx) {
    return major(ctx.version) >= 6 ? healthProbe(ctx) : undefined;
  },
};
