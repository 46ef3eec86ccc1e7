/** Collector 2.x and 3.x (app-contracts.md §2, checker rule 3). */
import { gte, major } from 'semver';
import type { AppCheck } from './app-check';
import { argValue, get, licenseProblem, load, requireKeys } from './context';

export const collectorCheck: AppCheck = {
  component: 'collector',
  images: {
    'snowplow/scala-stream-collector-kinesis': { cloud: 'aws', role: 'collector' },
    'snowplow/scala-stream-collector-pubsub': { cloud: 'gcp', role: 'collector' },
  },
  async check(ctx) {
    const out: string[] = [];
    const args = ctx.container.run.args;
    const path = argValue(args, 'config', 'c');
    if (path === undefined) return ['collector: no --config; without it decoding fails (interface and port have no default)'];
    const loaded = await load(ctx, path, { format: 'hocon' });
    if (!loaded.ok) return [`collector --config: ${loaded.error}`];
    const c = get(loaded.value, 'collector');
    if (c === undefined) return ['collector config: no `collector { ... }` block'];
    out.push(...requireKeys(c, ['interface', 'port'], 'collector config collector'));
    if (get(c, 'port') !== undefined && !Number.isInteger(Number(get(c, 'port')))) out.push(`collector config: collector.port ${String(get(c, 'port'))} is not a port number`);
    const sinkKey = ctx.cloud === 'aws' ? 'region' : 'googleProjectId';
    if (major(ctx.version) < 3) {
      for (const s of ['good', 'bad']) {
        const v = get(c, `streams.${s}`);
        if (typeof v !== 'string') out.push(`collector ${ctx.version} (2.x): collector.streams.${s} must be the stream name as a string, got ${v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 60)} (the 3.x object form does not decode)`);
      }
      if (get(c, `streams.sink.${sinkKey}`) === undefined) out.push(`collector ${ctx.version} (2.x): collector.streams.sink.${sinkKey} is required`);
    } else {
      const problem = licenseProblem(ctx, loaded.value, ['collector.license.accept']);
      if (problem) out.push(problem);
      for (const s of ['good', 'bad']) {
        const v = get(c, `streams.${s}`);
        if (typeof v === 'string') {
          if (get(c, `streams.sink.${sinkKey}`) === undefined) out.push(`collector ${ctx.version}: legacy string collector.streams.${s} needs collector.streams.sink.${sinkKey}`);
        } else {
          out.push(...requireKeys(v, ['name', sinkKey], `collector ${ctx.version} collector.streams.${s}`));
        }
      }
      const compression = get(c, 'compression.enabled');
      if (compression !== undefined && !gte(ctx.version, '3.6.0')) out.push(`collector ${ctx.version}: collector.compression exists only from 3.6.0`);
    }
    for (const s of ['good', 'bad']) {
      const name = get(c, `streams.${s}`);
      const stream = typeof name === 'string' ? name : get(name, 'name');
      if (typeof stream === 'string' && ctx.cloud === 'aws' && !ctx.stack.kinesisStreams.has(stream)) out.push(`collector: streams.${s} "${stream}" is not a Kinesis stream of this stack`);
      if (typeof stream === 'string' && ctx.cloud === 'gcp' && ![...ctx.stack.topics].some((t) => t.endsWith(`/topics/${stream}`))) out.push(`collector: streams.${s} "${stream}" is not a Pub/Sub topic of this stack`);
    }
    return out;
  },
  async listens(ctx) {
    const loaded = await load(ctx, argValue(ctx.container.run.args, 'config', 'c'), { format: 'hocon' });
    if (!loaded.ok) return undefined;
    const ssl = get(loaded.value, 'collector.ssl.enable') === true;
    const port = Number(get(loaded.value, ssl ? 'collector.ssl.port' : 'collector.port') ?? (ssl ? 443 : NaN));
    return { port, healthPaths: /^\/(health|sink-health|robots\.txt)$/ };
  },
};
