/** RDB loader 5.x/6.x: transformer-kinesis and the Redshift loader over a FIFO queue (app-contracts.md §6, rules 2 and 12). */
import { major } from 'semver';
import type { AppCheck } from './app-check';
import { argValue, get, licenseProblem, load, requireKeys, type CheckContext, type Loaded } from './context';
import { resolverProblems } from './iglu-resolver';

async function common(ctx: CheckContext, what: string): Promise<{ out: string[]; config?: Loaded }> {
  const out: string[] = [];
  const args = ctx.container.run.args;
  const config = argValue(args, 'config');
  const iglu = argValue(args, 'iglu-config');
  if (config === undefined) out.push(`${what} ${ctx.version}: --config is required`);
  if (iglu === undefined) out.push(`${what} ${ctx.version}: --iglu-config is required`);
  else {
    const r = await load(ctx, iglu, { format: 'either', base64: true });
    if (!r.ok) out.push(`${what} --iglu-config: ${r.error}`);
    else out.push(...resolverProblems(ctx, `${what} resolver`, r.value));
  }
  if (config === undefined) return { out };
  const loaded = await load(ctx, config, { format: 'hocon', base64: true });
  if (!loaded.ok) return { out: [...out, `${what} --config: ${loaded.error}`] };
  if (major(ctx.version) >= 6) {
    const problem = licenseProblem(ctx, loaded.value, ['license.accept', 'snowplow.license.accept']);
    if (problem) out.push(problem);
  }
  return { out, config: loaded };
}

function queueName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  const name = get(v, 'queueName');
  return typeof name === 'string' ? name : undefined;
}

export const rdbLoaderCheck: AppCheck = {
  component: 'rdb-loader',
  images: {
    'snowplow/transformer-kinesis': { cloud: 'aws', role: 'transformer' },
    'snowplow/rdb-loader-redshift': { cloud: 'aws', role: 'loader' },
  },
  async check(ctx, role) {
    const what = role === 'transformer' ? 'transformer-kinesis' : 'rdb-loader-redshift';
    const { out, config } = await common(ctx, what);
    if (!config?.ok) return out;
    const c = config.value;
    if (role === 'transformer') {
      out.push(...requireKeys(c, ['input.streamName', 'output.path', 'queue.type', 'formats.transformationType'], `${what} ${ctx.version} config`));
      const s = get(c, 'input.streamName');
      if (typeof s === 'string' && !ctx.stack.kinesisStreams.has(s)) out.push(`${what}: input.streamName "${s}" is not a Kinesis stream of this stack`);
      if (get(c, 'queue.type') === 'sqs') {
        const q = get(c, 'queue.queueName');
        if (typeof q === 'string') ctx.note('rdb queue written', q);
        if (typeof q !== 'string') out.push(`${what}: queue.queueName is required for queue.type sqs`);
        else if (!ctx.stack.queues.has(q)) out.push(`${what}: queue.queueName "${q}" is not an SQS queue of this stack`);
        else if (!ctx.stack.queues.get(q)) out.push(`${what}: queue "${q}" must be FIFO (the transformer sends with a message group id)`);
      }
      const p = get(c, 'output.path');
      if (p !== undefined && !/^s3a?:\/\/[^/]+/.test(String(p))) out.push(`${what}: output.path must be an s3:// URI`);
      const t = get(c, 'formats.transformationType');
      if (t !== undefined && !['widerow', 'shred'].includes(String(t))) out.push(`${what}: formats.transformationType must be widerow or shred`);
      const app = get(c, 'input.appName');
      if (typeof app === 'string' && !ctx.stack.leaseTables.has(app)) out.push(`${what}: input.appName "${app}" is not a DynamoDB table of this stack`);
      return out;
    }
    out.push(...requireKeys(c, ['messageQueue', 'storage.type', 'storage.host', 'storage.database', 'storage.schema', 'storage.username', 'storage.password'], `${what} ${ctx.version} config`));
    if (get(c, 'storage.type') !== undefined && get(c, 'storage.type') !== 'redshift') out.push(`${what}: storage.type must be redshift`);
    const q = queueName(get(c, 'messageQueue'));
    if (q !== undefined) ctx.note('rdb queue read', q);
    if (q !== undefined && !ctx.stack.queues.get(q)) out.push(`${what}: messageQueue "${q}" is not a FIFO SQS queue of this stack`);
    if (get(c, 'storage.roleArn') === undefined && get(c, 'storage.loadAuthMethod.roleArn') === undefined) {
      out.push(`${what}: Redshift loads through COPY with a role: set storage.roleArn (or storage.loadAuthMethod TempCreds with roleArn)`);
    }
    const password = get(c, 'storage.password');
    if (typeof password === 'string' && ![...ctx.secrets.values()].includes(password)) out.push(`${what}: storage.password is not the value read from the secret store`);
    return out;
  },
};
