/** BigQuery loader 1.x (three apps) and 2.x (app-contracts.md §8, checker rules 2 and 5). */
import { major } from 'semver';
import type { AppCheck } from './app-check';
import { argNames, argValue, healthProbe, get, licenseProblem, load, requireKeys, type CheckContext } from './context';
import { resolverProblems } from './iglu-resolver';

const V1_KEYS = [
  'projectId',
  'loader.input.subscription',
  'loader.output.good.datasetId',
  'loader.output.good.tableId',
  'loader.output.bad.topic',
  'loader.output.types.topic',
  'loader.output.failedInserts.topic',
  'mutator.input.subscription',
  'mutator.output.good',
  'repeater.input.subscription',
  'repeater.output.good',
  'repeater.output.deadLetters.bucket',
];

async function v1(ctx: CheckContext, role: string): Promise<string[]> {
  const out: string[] = [];
  const args = ctx.container.run.args;
  if (argNames(args).includes('--iglu-config')) out.push(`bigquery ${role} ${ctx.version}: 1.x takes --resolver, not --iglu-config`);
  const resolver = argValue(args, 'resolver');
  if (resolver === undefined) out.push(`bigquery ${role} ${ctx.version}: --resolver is required`);
  else {
    const r = await load(ctx, resolver, { format: 'either', base64: true });
    if (!r.ok) out.push(`bigquery ${role} --resolver: ${r.error}`);
    else out.push(...resolverProblems(ctx, `bigquery ${role} resolver`, r.value));
  }
  const config = argValue(args, 'config');
  if (config === undefined) return [...out, `bigquery ${role} ${ctx.version}: no --config (the settings would have to come from system properties)`];
  const loaded = await load(ctx, config, { format: 'hocon', base64: true });
  if (!loaded.ok) return [...out, `bigquery ${role} --config: ${loaded.error}`];
  const c = get(loaded.value, 'snowplow') ?? loaded.value;
  out.push(...requireKeys(c, V1_KEYS, `bigquery-loader ${ctx.version} config`));
  const bucket = get(c, 'repeater.output.deadLetters.bucket');
  if (bucket !== undefined && !/^gs:\/\/[^/]+/.test(String(bucket))) out.push('bigquery-loader 1.x: repeater.output.deadLetters.bucket must be gs://<bucket>');
  for (const k of ['loader.input.subscription', 'mutator.input.subscription', 'repeater.input.subscription']) {
    const s = get(c, k);
    if (typeof s === 'string' && s.includes('/')) out.push(`bigquery-loader 1.x: ${k} is a short subscription name, got ${s}`);
    else if (typeof s === 'string' && ![...ctx.stack.subscriptions].some((x) => x.endsWith(`/subscriptions/${s}`))) out.push(`bigquery-loader 1.x: ${k} "${s}" is not a subscription of this stack`);
  }
  const dataset = get(c, 'loader.output.good.datasetId');
  if (typeof dataset === 'string' && !ctx.stack.datasets.has(dataset)) out.push(`bigquery-loader: dataset "${dataset}" is not a dataset of this stack`);
  if (role === 'streamloader') {
    const create = ctx.script.findIndex((x) => x.repository === 'snowplow/snowplow-bigquery-mutator' && x.run.args[0] === 'create' && !x.detached);
    const self = ctx.script.indexOf(ctx.container);
    const mutatorVm = ctx.script.some((x) => x.repository === 'snowplow/snowplow-bigquery-mutator');
    if (mutatorVm && (create < 0 || create > self)) out.push('bigquery-loader 1.x: `mutator create` must run to completion before the StreamLoader starts (it creates the events table)');
  }
  if (role === 'mutator' && !['create', 'listen', 'add-column'].includes(args[0] ?? '')) out.push(`bigquery mutator: first argument must be a subcommand (create, listen, add-column), got ${JSON.stringify(args[0])}`);
  return out;
}

async function v2(ctx: CheckContext): Promise<string[]> {
  const out: string[] = [];
  const args = ctx.container.run.args;
  const config = argValue(args, 'config');
  const iglu = argValue(args, 'iglu-config');
  if (config === undefined || !config.startsWith('/')) out.push(`bigquery-loader ${ctx.version}: --config <path> is required`);
  if (iglu === undefined || !iglu.startsWith('/')) out.push(`bigquery-loader ${ctx.version}: --iglu-config <path> is required`);
  if (iglu !== undefined) {
    const r = await load(ctx, iglu, { format: 'either' });
    if (!r.ok) out.push(`bigquery-loader --iglu-config: ${r.error}`);
    else out.push(...resolverProblems(ctx, 'bigquery-loader resolver', r.value));
  }
  if (config === undefined) return out;
  const loaded = await load(ctx, config, { format: 'hocon' });
  if (!loaded.ok) return [...out, `bigquery-loader --config: ${loaded.error}`];
  const c = loaded.value;
  const problem = licenseProblem(ctx, c, ['license.accept']);
  if (problem) out.push(problem);
  out.push(...requireKeys(c, ['input.subscription', 'output.good.project', 'output.good.dataset', 'output.bad.topic'], `bigquery-loader ${ctx.version} config`));
  const sub = get(c, 'input.subscription');
  if (typeof sub === 'string' && !/^projects\/[^/]+\/subscriptions\/[^/]+$/.test(sub)) out.push(`bigquery-loader ${ctx.version}: input.subscription must be the full projects/<p>/subscriptions/<s>, got ${sub}`);
  else if (typeof sub === 'string' && !ctx.stack.subscriptions.has(sub)) out.push(`bigquery-loader: input.subscription ${sub} is not a subscription of this stack`);
  const bad = get(c, 'output.bad.topic');
  if (typeof bad === 'string' && !/^projects\/[^/]+\/topics\/[^/]+$/.test(bad)) out.push(`bigquery-loader ${ctx.version}: output.bad.topic must be the full projects/<p>/topics/<t>, got ${bad}`);
  else if (typeof bad === 'string' && !ctx.stack.topics.has(bad)) out.push(`bigquery-loader: output.bad.topic ${bad} is not a topic of this stack`);
  const dataset = get(c, 'output.good.dataset');
  if (typeof dataset === 'string' && !ctx.stack.datasets.has(dataset)) out.push(`bigquery-loader: dataset "${dataset}" is not a dataset of this stack`);
  return out;
}

export const bigqueryCheck: AppCheck = {
  component: 'bigquery-loader',
  images: {
    'snowplow/bigquery-loader-pubsub': { cloud: 'gcp', role: 'loader' },
    'snowplow/snowplow-bigquery-streamloader': { cloud: 'gcp', role: 'streamloader' },
    'snowplow/snowplow-bigquery-mutator': { cloud: 'gcp', role: 'mutator' },
    'snowplow/snowplow-bigquery-repeater': { cloud: 'gcp', role: 'repeater' },
  },
  async check(ctx, role) {
    const is1x = major(ctx.version) < 2;
    if (is1x !== (role !== 'loader')) return [`bigquery-loader ${ctx.version}: image ${ctx.container.repository} belongs to the ${is1x ? '2.x' : '1.x'} line`];
    return is1x ? v1(ctx, role) : v2(ctx);
  },
  async listens(ctx) {
    return major(ctx.version) >= 2 ? healthProbe(ctx) : undefined;
  },
};
