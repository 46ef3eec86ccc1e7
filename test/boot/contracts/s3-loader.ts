/** S3 loader 2.x, 2.3.x and 3.x (app-contracts.md §4, checker rules 2, 4 and 10). */
import { gte, major } from 'semver';
import type { AppCheck } from './app-check';
import { healthProbe, argValue, get, licenseProblem, load, requireKeys, type CheckContext } from './context';

function bucketOf(path: unknown): string | undefined {
  return typeof path === 'string' ? /^s3a?:\/\/([^/]+)/.exec(path)?.[1] : undefined;
}

function references(ctx: CheckContext, c: unknown, paths: { stream: string[]; s3: string }): string[] {
  const out: string[] = [];
  for (const k of paths.stream) {
    const s = get(c, k);
    if (typeof s === 'string' && !ctx.stack.kinesisStreams.has(s)) out.push(`s3-loader config: ${k} "${s}" is not a Kinesis stream of this stack`);
  }
  const p = get(c, paths.s3);
  if (p !== undefined && !/^s3:\/\/[^/]+/.test(String(p))) out.push(`s3-loader config: ${paths.s3} must be an s3://bucket/prefix URI, got ${JSON.stringify(p)}`);
  const b = bucketOf(p);
  if (b && !ctx.stack.buckets.has(b)) out.push(`s3-loader config: ${paths.s3} names bucket "${b}", which is not a bucket of this stack`);
  const app = get(c, 'input.appName');
  if (typeof app === 'string' && !ctx.stack.leaseTables.has(app)) out.push(`s3-loader: input.appName "${app}" is not a DynamoDB table of this stack (the KCL lease table)`);
  return out;
}

export const s3LoaderCheck: AppCheck = {
  component: 's3-loader',
  images: { 'snowplow/snowplow-s3-loader': { cloud: 'aws', role: 's3-loader' } },
  async check(ctx) {
    const out: string[] = [];
    const path = argValue(ctx.container.run.args, 'config', 'c');
    if (path === undefined) return [`s3-loader ${ctx.version}: --config <path> is required`];
    const loaded = await load(ctx, path, { format: 'hocon' });
    if (!loaded.ok) return [`s3-loader --config: ${loaded.error}`];
    const c = loaded.value;
    if (major(ctx.version) >= 3) {
      if (ctx.container.tag.includes('lzo')) out.push(`s3-loader ${ctx.version}: 3.x has no LZO image (${ctx.container.run.image})`);
      const problem = licenseProblem(ctx, c, ['license.accept']);
      if (problem) out.push(problem);
      out.push(...requireKeys(c, ['purpose', 'input.streamName', 'output.good.path', 'output.bad.streamName'], `s3-loader ${ctx.version} config`));
      if (get(c, 'purpose') !== undefined && !['ENRICHED_EVENTS', 'SELF_DESCRIBING'].includes(String(get(c, 'purpose')))) {
        out.push(`s3-loader ${ctx.version}: purpose must be ENRICHED_EVENTS or SELF_DESCRIBING (RAW is gone in 3.x), got ${JSON.stringify(get(c, 'purpose'))}`);
      }
      for (const [old, now] of [['output.s3', 'output.good'], ['buffer', 'batching'], ['input.position', 'input.initialPosition.type']]) {
        if (get(c, old) !== undefined) out.push(`s3-loader ${ctx.version}: ${old} is the 2.x shape; 3.x reads ${now}`);
      }
      if (typeof get(c, 'input.appName') !== 'string') out.push(`s3-loader ${ctx.version}: input.appName must be set explicitly to the stack's lease table (default snowplow-s3-loader)`);
      out.push(...references(ctx, c, { stream: ['input.streamName', 'output.bad.streamName'], s3: 'output.good.path' }));
    } else {
      if (gte(ctx.version, '2.3.0')) {
        const problem = licenseProblem(ctx, c, ['license.accept'], false);
        if (problem) out.push(problem);
      }
      out.push(
        ...requireKeys(
          c,
          ['purpose', 'input.appName', 'input.streamName', 'input.position', 'input.maxRecords', 'output.s3.path', 'output.s3.compression', 'output.s3.maxTimeout', 'output.bad.streamName', 'buffer.byteLimit', 'buffer.recordLimit', 'buffer.timeLimit'],
          `s3-loader ${ctx.version} (2.x, no defaults) config`,
        ),
      );
      const purpose = get(c, 'purpose');
      if (purpose !== undefined && !/^(raw|enriched_events|self_describing)$/i.test(String(purpose))) out.push(`s3-loader ${ctx.version}: purpose must be RAW, ENRICHED_EVENTS or SELF_DESCRIBING`);
      const compression = get(c, 'output.s3.compression');
      if (compression !== undefined && !/^(gzip|lzo)$/i.test(String(compression))) out.push(`s3-loader ${ctx.version}: output.s3.compression must be GZIP or LZO`);
      if (/^lzo$/i.test(String(compression)) && !ctx.container.tag.endsWith('-lzo')) out.push(`s3-loader ${ctx.version}: LZO output needs the -lzo image`);
      out.push(...references(ctx, c, { stream: ['input.streamName', 'output.bad.streamName'], s3: 'output.s3.path' }));
    }
    return out;
  },
  async listens(ctx) {
    return major(ctx.version) >= 3 ? healthProbe(ctx) : undefined;
  },
};
