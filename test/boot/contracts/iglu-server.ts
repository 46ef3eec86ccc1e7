/** Iglu Server 0.10-0.14 (app-contracts.md §9, checker rules 2 and 6). */
import { gte } from 'semver';
import type { AppCheck } from './app-check';
import { argValue, get, licenseProblem, load, requireKeys } from './context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const igluServerCheck: AppCheck = {
  component: 'iglu-server',
  images: { 'snowplow/iglu-server': { role: 'server' } },
  async check(ctx) {
    const out: string[] = [];
    const c = ctx.container;
    const args = c.run.args;
    const setup = args[0] === 'setup';
    const path = argValue(args, 'config');
    if (path === undefined) return [`iglu-server ${setup ? 'setup' : 'server'}: --config <path> is required here (the database settings have no defaults)`];
    const loaded = await load(ctx, path, { format: 'hocon' });
    if (!loaded.ok) return [`iglu-server --config: ${loaded.error}`];
    const conf = get(loaded.value, 'iglu') ?? loaded.value;
    if (gte(ctx.version, '0.12.0')) {
      const problem = licenseProblem(ctx, loaded.value, ['license.accept', 'iglu.license.accept']);
      if (problem) out.push(problem);
    }
    out.push(...requireKeys(conf, ['database.host', 'database.dbname', 'database.username', 'database.password'], `iglu-server ${ctx.version} config`));
    const type = get(conf, 'database.type');
    if (type !== undefined && type !== 'postgres') out.push(`iglu-server: database.type ${String(type)} keeps nothing; use postgres`);
    const key = get(conf, 'superApiKey');
    if (key === undefined && ctx.spec.components['iglu-server' as keyof typeof ctx.spec.components] && (ctx.spec.components as any)['iglu-server'].secrets.includes('iglu-super-api-key')) {
      out.push('iglu-server: the customer lists iglu-super-api-key but the config has no superApiKey; nobody can publish schemas');
    }
    if (key !== undefined && !UUID.test(String(key))) out.push('iglu-server: superApiKey must parse as a UUID');
    const password = get(conf, 'database.password');
    if (typeof password === 'string' && ![...ctx.secrets.values()].some((v) => v === password || v.includes(JSON.stringify(password).slice(1, -1)))) {
      out.push('iglu-server: database.password is not the value read from the secret store');
    }
    if (setup) {
      if (c.detached) out.push('iglu-server setup must run to completion (not detached) before the server starts');
      return out;
    }
    const setupRun = ctx.script.find((x) => x.repository === c.repository && x.run.args[0] === 'setup');
    if (!setupRun) out.push('iglu-server: no `setup --config <file>` run before the server; the tables never get created');
    else {
      if (ctx.script.indexOf(setupRun) > ctx.script.indexOf(c)) out.push('iglu-server: setup runs after the server started');
      if (argValue(setupRun.run.args, 'config') !== path) out.push(`iglu-server: setup uses --config ${String(argValue(setupRun.run.args, 'config'))}, the server ${path}; they must be the same file`);
    }
    return out;
  },
  async listens(ctx) {
    if (ctx.container.run.args[0] === 'setup') return undefined;
    const loaded = await load(ctx, argValue(ctx.container.run.args, 'config'), { format: 'hocon' });
    const conf = loaded.ok ? (get(loaded.value, 'iglu') ?? loaded.value) : undefined;
    return { port: Number(get(conf, 'repoServer.port') ?? 8080), healthPaths: /^\/api\/meta\/health(\/db)?$/ };
  },
};
