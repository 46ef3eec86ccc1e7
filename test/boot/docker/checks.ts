/**
 * What the Docker daemon and CLI accept for a container (app-contracts.md §10, checker rules 7
 * and 8): known options, a restart policy for long-running apps, log options the chosen driver
 * validates, and an env file docker's parser reads the way the author meant.
 */
import type { Container } from './container';
import { flag, optionValues } from './run-args';

/** §10.1 [MOBY cloudwatchlogs.go ValidateLogOpt; DDOCS awslogs.md]. */
const AWSLOGS_OPTS = new Set([
  'awslogs-region',
  'awslogs-endpoint',
  'awslogs-group',
  'awslogs-stream',
  'awslogs-create-group',
  'awslogs-create-stream',
  'awslogs-datetime-format',
  'awslogs-multiline-pattern',
  'tag',
  'awslogs-force-flush-interval-seconds',
  'awslogs-max-buffered-events',
  'awslogs-credentials-endpoint',
  'awslogs-format',
]);
/** §10.2 [MOBY gcplogs/gcplogging.go ValidateLogOpts]: no `tag`. */
const GCPLOGS_OPTS = new Set(['gcp-project', 'gcp-log-cmd', 'labels', 'labels-regex', 'env', 'env-regex', 'gcp-meta-zone', 'gcp-meta-name', 'gcp-meta-id']);
/** §10.3 [MOBY jsonfilelog.go]. */
const JSON_FILE_OPTS = new Set(['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag']);
const LOCAL_OPTS = new Set(['max-file', 'max-size', 'compress']);
/** Accepted for every driver and stripped before its validator runs [MOBY daemon/logger/factory.go]. */
const BUILT_IN_OPTS = new Set(['mode', 'max-buffer-size']);
const DRIVER_OPTS: Record<string, ReadonlySet<string>> = { awslogs: AWSLOGS_OPTS, gcplogs: GCPLOGS_OPTS, 'json-file': JSON_FILE_OPTS, local: LOCAL_OPTS, none: new Set() };
const BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;

function logChecks(c: Container): string[] {
  const out: string[] = [];
  const driver = optionValues(c.run, 'log-driver').pop() ?? 'json-file';
  const known = DRIVER_OPTS[driver];
  if (!known) {
    out.push(`--log-driver ${driver}: not a driver this harness knows the options of (awslogs, gcplogs, json-file, local, none)`);
    return out;
  }
  const opts = new Map<string, string>();
  for (const o of optionValues(c.run, 'log-opt')) {
    const eq = o.indexOf('=');
    if (eq <= 0) {
      out.push(`--log-opt ${o}: expected key=value`);
      continue;
    }
    opts.set(o.slice(0, eq), o.slice(eq + 1));
  }
  for (const [k, v] of opts) {
    if (BUILT_IN_OPTS.has(k)) continue;
    if (!known.has(k)) {
      const why = k === 'awslogs-stream-prefix' ? ' (an Amazon ECS task-definition option; docker refuses it: use awslogs-stream or tag)' : '';
      out.push(`--log-opt ${k}=${v}: unknown log opt '${k}' for ${driver} log driver${why}`);
    }
  }
  if (opts.has('mode') && !['blocking', 'non-blocking'].includes(opts.get('mode')!)) out.push(`--log-opt mode=${opts.get('mode')}: must be blocking or non-blocking`);
  if (opts.has('max-buffer-size') && opts.get('mode') !== 'non-blocking') out.push('--log-opt max-buffer-size is only valid with mode=non-blocking');
  if (driver === 'awslogs') {
    if (!opts.get('awslogs-group')) out.push('--log-driver awslogs needs --log-opt awslogs-group=<group> (docker refuses an empty or missing group)');
    for (const k of ['awslogs-create-group', 'awslogs-create-stream']) if (opts.has(k) && !BOOL.test(opts.get(k)!)) out.push(`--log-opt ${k}=${opts.get(k)}: not a boolean`);
  }
  if (driver === 'gcplogs' && opts.has('gcp-log-cmd') && !BOOL.test(opts.get('gcp-log-cmd')!)) out.push(`--log-opt gcp-log-cmd=${opts.get('gcp-log-cmd')}: not a boolean`);
  return out;
}

function restartChecks(c: Container): string[] {
  const out: string[] = [];
  const restart = optionValues(c.run, 'restart').pop();
  if (restart !== undefined && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(restart)) out.push(`--restart ${restart}: not a restart policy (no, always, unless-stopped, on-failure[:N])`);
  if (flag(c.run, 'rm') && restart !== undefined && restart !== 'no') out.push(`Conflicting options: --restart ${restart} and --rm`);
  if (c.detached && (restart === undefined || restart === 'no')) out.push(`detached container ${c.name || c.run.image} has no restart policy: a crash or a reboot leaves the app down`);
  return out;
}

/** Everything docker itself would refuse or silently get wrong for this container. */
export function dockerChecks(c: Container): string[] {
  const out = [...c.dockerErrors];
  if (c.name && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(c.name)) out.push(`--name ${c.name}: invalid container name`);
  if (c.tag === 'latest' || c.tag === '') out.push(`image ${c.run.image} has no pinned tag`);
  out.push(...logChecks(c), ...restartChecks(c), ...c.envFileWarnings);
  return out;
}
