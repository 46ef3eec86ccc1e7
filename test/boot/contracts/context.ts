/**
 * What a contract check gets to look at for one container, and the helpers every check uses:
 * argument lookup the way the apps' CLI parsers read it, loading the file (or base64 value) an
 * argument names and parsing it with the container's environment, and licence acceptance
 * (app-contracts.md §1.1, checker rule 2).
 */
import { parse as parseHocon } from '@pushcorn/hocon-parser';
import type { CustomerSpec } from '../../../customers/schema';
import { fileAt, type Container } from '../docker/container';
import type { StackFacts } from './stack-facts';

export interface CheckContext {
  readonly spec: CustomerSpec;
  readonly cloud: 'aws' | 'gcp';
  /** The customer component this container belongs to and its pinned version. */
  readonly component: string;
  readonly version: string;
  readonly container: Container;
  /** Every container and setup run of this boot script, in order. */
  readonly script: readonly Container[];
  readonly stack: StackFacts;
  /** The component's sizing (instances that may run at once). */
  readonly maxInstances: number;
  /** Security groups of the VM (AWS, references as in the launch template); empty on GCP. */
  readonly securityGroups: readonly string[];
  /** Secret values the stubs handed out during the run. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Notes a value for the stack-wide rules (e.g. both ends of the RDB queue). */
  readonly note: (key: string, value: string) => void;
}

export type Loaded = { readonly ok: true; readonly value: any; readonly origin: string } | { readonly ok: false; readonly error: string };

/** The value of an option in the app's command line: `--name v`, `--name=v`, `-s v`. */
export function argValue(args: readonly string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${long}` || (short && a === `-${short}`)) return args[i + 1];
    if (a.startsWith(`--${long}=`)) return a.slice(long.length + 3);
    if (short && a.startsWith(`-${short}=`)) return a.slice(short.length + 2);
  }
  return undefined;
}

export function hasArg(args: readonly string[], long: string, short?: string): boolean {
  return args.some((a) => a === `--${long}` || a.startsWith(`--${long}=`) || (short !== undefined && (a === `-${short}` || a.startsWith(`-${short}=`))));
}

/** Option names in the app's command line (`--config`, `-r`), to find ones the app does not know. */
export function argNames(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0]);
}

export function get(obj: unknown, path: string): unknown {
  let v: any = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

export function isTruthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(true|yes|on|1)$/i.test(v.trim()));
}

/**
 * Parses HOCON the way the apps' Typesafe Config does, with the container's environment as the
 * only source of `${VAR}` (an empty variable counts as absent, HOCON.md "Substitution fallback").
 * The parser reads process.env, so it is swapped for the duration of one parse.
 */
let parsing: Promise<unknown> = Promise.resolve();

export function parseHoconWithEnv(text: string, env: ReadonlyMap<string, string>): Promise<Loaded> {
  // One parse at a time: each swaps the process environment.
  const next = parsing.then(() => parseOnce(text, env));
  parsing = next.catch(() => undefined);
  return next;
}

async function parseOnce(text: string, env: ReadonlyMap<string, string>): Promise<Loaded> {
  const saved = process.env;
  process.env = Object.fromEntries([...env].filter(([, v]) => v !== ''));
  try {
    return { ok: true, value: await parseHocon({ text, strict: true }), origin: 'hocon' };
  } catch (e) {
    return { ok: false, error: (e as Error).message.split('\n')[0] };
  } finally {
    process.env = saved;
  }
}

/** Loads what a path (or, where the app allows it, base64) argument gives the app. */
export async function load(ctx: CheckContext, value: string | undefined, how: { format: 'hocon' | 'json' | 'either'; base64?: boolean }): Promise<Loaded> {
  if (value === undefined) return { ok: false, error: 'argument missing' };
  let text: string;
  let origin: string;
  if (value.startsWith('/')) {
    const f = fileAt(ctx.container, value);
    if (f.kind === 'absent') return { ok: false, error: f.why };
    if (f.kind === 'dir') return { ok: false, error: `${value} is a directory, the app expects a file` };
    text = f.content.toString('utf8');
    origin = `${value} (host ${f.host})`;
  } else if (how.base64 && /^[A-Za-z0-9+/=_-]+$/.test(value)) {
    text = Buffer.from(value, 'base64').toString('utf8');
    origin = 'base64 argument';
  } else {
    return { ok: false, error: `${value.slice(0, 40)} is not an absolute path${how.base64 ? ' nor base64' : ''}` };
  }
  const asJson = (): Loaded => {
    try {
      return { ok: true, value: JSON.parse(text), origin };
    } catch (e) {
      return { ok: false, error: `${origin}: not valid JSON: ${(e as Error).message}` };
    }
  };
  if (how.format === 'json') return asJson();
  const json = how.format === 'either' ? asJson() : undefined;
  if (json?.ok) return json;
  const hocon = await parseHoconWithEnv(text, ctx.container.env);
  return hocon.ok ? { ...hocon, origin } : { ok: false, error: `${origin}: ${hocon.error}` };
}

/**
 * Checker rule 2: accepted through a config key or, where the app reads it, the environment
 * variable ACCEPT_LIMITED_USE_LICENSE with a truthy value.
 */
export function licenseProblem(ctx: CheckContext, config: unknown, keys: readonly string[], envAccepted = true): string | undefined {
  if (keys.some((k) => isTruthy(get(config, k)))) return undefined;
  const env = ctx.container.env.get('ACCEPT_LIMITED_USE_LICENSE');
  if (envAccepted && env !== undefined && isTruthy(env)) return undefined;
  const via = envAccepted ? `${keys.join(' or ')} = true, or env ACCEPT_LIMITED_USE_LICENSE=true` : `${keys.join(' or ')} = true in the config file (the env var alone is not read)`;
  return `${ctx.component} ${ctx.version} refuses to start without licence acceptance: needs ${via}`;
}

/** Keys that must be present (non-empty) in a config, reported together. */
export function requireKeys(config: unknown, keys: readonly string[], what: string): string[] {
  return keys.filter((k) => {
    const v = get(config, k);
    return v === undefined || v === null || v === '';
  }).map((k) => `${what}: required key ${k} is missing`);
}

/**
 * The common-streams health probe (§1.4): every path but /metrics on monitoring.healthProbe.port,
 * default 8000. For apps built on common-streams only.
 */
export async function healthProbe(ctx: CheckContext, configArg = 'config'): Promise<{ port: number; healthPaths: RegExp } | undefined> {
  const loaded = await load(ctx, argValue(ctx.container.run.args, configArg), { format: 'hocon' });
  const port = loaded.ok ? get(loaded.value, 'monitoring.healthProbe.port') : undefined;
  return { port: port === undefined ? 8000 : Number(port), healthPaths: /^\/(?!metrics$).*/ };
}
