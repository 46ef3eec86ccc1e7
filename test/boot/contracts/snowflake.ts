/** Snowflake streaming loader 0.x (app-contracts.md §5, checker rules 2 and 11). */
import { gte } from 'semver';
import type { AppCheck } from './app-check';
import { argNames, argValue, healthProbe, get, licenseProblem, load, requireKeys } from './context';

export const snowflakeCheck: AppCheck = {
  component: 'snowflake-streaming-loader',
  images: {
    'snowplow/snowflake-loader-kinesis': { cloud: 'aws', role: 'loader' },
    'snowplow/snowflake-loader-pubsub': { cloud: 'gcp', role: 'loader' },
  },
  async check(ctx) {
    const out: string[] = [];
    const args = ctx.container.run.args;
    const unknown = argNames(args).filter((a) => a !== '--config' && a !== '-c');
    if (unknown.length > 0) out.push(`snowflake-streaming-loader ${ctx.version}: takes only --config; ${unknown.join(', ')} would be refused`);
    const loaded = await load(ctx, argValue(args, 'config', 'c'), { format: 'hocon' });
    if (!loaded.ok) return [...out, `snowflake-streaming-loader --config: ${loaded.error}`];
    const c = loaded.value;
    if (gte(ctx.version, '0.3.0')) {
      const problem = licenseProblem(ctx, c, ['license.accept']);
      if (problem) out.push(problem);
    }
    const input = ctx.cloud === 'aws' ? ['input.streamName', 'output.bad.streamName'] : ['input.subscription', 'output.bad.topic'];
    out.push(...requireKeys(c, [...input, 'output.good.url', 'output.good.user', 'output.good.privateKey', 'output.good.database', 'output.good.schema'], `snowflake-streaming-loader ${ctx.version} config`));
    if (get(c, 'destination') !== undefined) out.push('snowflake-streaming-loader config: `destination` is not a key of this app; the Snowflake settings belong under output.good');
    const url = get(c, 'output.good.url');
    if (url !== undefined && !/^https:\/\/[^/\s]+\.snowflakecomputing\.com\/?$/.test(String(url))) out.push(`snowflake-streaming-loader: output.good.url must be https://<org>-<account>.snowflakecomputing.com, got ${JSON.stringify(url)}`);
    const key = get(c, 'output.good.privateKey');
    if (typeof key === 'string' && ![...ctx.secrets.values()].includes(key)) out.push('snowflake-streaming-loader: output.good.privateKey is not the private key read from the secret store (a multi-line PEM must arrive whole)');
    for (const k of input) {
      const s = get(c, k);
      if (typeof s === 'string' && ctx.cloud === 'aws' && !ctx.stack.kinesisStreams.has(s)) out.push(`snowflake-streaming-loader config: ${k} "${s}" is not a Kinesis stream of this stack`);
    }
    const app = get(c, 'input.appName');
    if (ctx.cloud === 'aws' && typeof app !== 'string') out.push('snowflake-streaming-loader: input.appName must be set explicitly to the stack lease table');
    else if (ctx.cloud === 'aws' && !ctx.stack.leaseTables.has(String(app))) out.push(`snowflake-streaming-loader: input.appName "${String(app)}" is not a DynamoDB table of this stack`);
    return out;
  },
  async perInstance(ctx) {
    const loaded = await load(ctx, argValue(ctx.container.run.args, 'config', 'c'), { format: 'hocon' });
    return { key: 'output.good.channel', value: loaded.ok ? (get(loaded.value, 'output.good.channel') ?? 'snowplow (the default)') : undefined };
  },
  async listens(ctx) {
    return true ? healthProbe(ctx) : undefined;
  },
};
