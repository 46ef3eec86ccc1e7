/**
 * `docker run` as the docker CLI parses it: the options it accepts (docker/cli
 * docs/reference/commandline/container_run.md), which of them take a value, and where the image
 * and the container's own arguments begin.
 */

/** Options that take a value (long name -> short alias if any). */
const VALUE_OPTIONS = new Set([
  'add-host', 'annotation', 'attach', 'blkio-weight', 'blkio-weight-device', 'cap-add', 'cap-drop', 'cgroup-parent', 'cgroupns',
  'cidfile', 'cpu-count', 'cpu-percent', 'cpu-period', 'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'cpu-shares', 'cpus',
  'cpuset-cpus', 'cpuset-mems', 'detach-keys', 'device', 'device-cgroup-rule', 'device-read-bps', 'device-read-iops',
  'device-write-bps', 'device-write-iops', 'dns', 'dns-option', 'dns-search', 'domainname', 'entrypoint', 'env', 'env-file',
  'expose', 'gpus', 'group-add', 'health-cmd', 'health-interval', 'health-retries', 'health-start-interval', 'health-start-period',
  'health-timeout', 'hostname', 'ip', 'ip6', 'ipc', 'isolation', 'kernel-memory', 'label', 'label-file', 'link', 'link-local-ip',
  'log-driver', 'log-opt', 'mac-address', 'memory', 'memory-reservation', 'memory-swap', 'memory-swappiness', 'mount', 'name',
  'network', 'net', 'network-alias', 'net-alias', 'oom-score-adj', 'pid', 'pids-limit', 'platform', 'publish', 'pull', 'restart',
  'runtime', 'security-opt', 'shm-size', 'stop-signal', 'stop-timeout', 'storage-opt', 'sysctl', 'tmpfs', 'ulimit', 'user',
  'userns', 'uts', 'volume', 'volume-driver', 'volumes-from', 'workdir',
]);
const BOOL_OPTIONS = new Set([
  'detach', 'disable-content-trust', 'help', 'init', 'interactive', 'no-healthcheck', 'oom-kill-disable', 'privileged',
  'publish-all', 'quiet', 'read-only', 'rm', 'sig-proxy', 'tty', 'use-api-socket',
]);
const SHORT: Record<string, string> = {
  a: 'attach', c: 'cpu-shares', d: 'detach', e: 'env', h: 'hostname', i: 'interactive', l: 'label', m: 'memory', p: 'publish',
  P: 'publish-all', q: 'quiet', t: 'tty', u: 'user', v: 'volume', w: 'workdir',
};

export interface RunOption {
  readonly name: string;
  /** The value; "true" for a boolean given without one. */
  readonly value: string;
}

export interface ParsedRun {
  readonly options: readonly RunOption[];
  readonly image: string;
  /** Arguments after the image: the container's command line. */
  readonly args: readonly string[];
  /** Options the docker CLI would refuse ("unknown flag"), or a missing value or image. */
  readonly errors: readonly string[];
}

/** Parses the argv after `docker run` (or `docker container run`). */
export function parseRunArgs(argv: readonly string[]): ParsedRun {
  const options: RunOption[] = [];
  const errors: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (VALUE_OPTIONS.has(name)) {
        if (eq > 0) options.push({ name, value: a.slice(eq + 1) });
        else if (i + 1 < argv.length) options.push({ name, value: argv[++i] });
        else errors.push(`flag needs an argument: --${name}`);
      } else if (BOOL_OPTIONS.has(name)) {
        options.push({ name, value: eq > 0 ? a.slice(eq + 1) : 'true' });
      } else {
        errors.push(`unknown flag: --${name}`);
      }
      continue;
    }
    // A cluster of short flags: -dit, or -e NAME=VALUE / -eNAME=VALUE.
    const cluster = a.slice(1);
    for (let j = 0; j < cluster.length; j++) {
      const name = SHORT[cluster[j]];
      if (name === undefined) {
        errors.push(`unknown shorthand flag: '${cluster[j]}' in ${a}`);
        break;
      }
      if (VALUE_OPTIONS.has(name)) {
        const rest = cluster.slice(j + 1).replace(/^=/, '');
        if (rest) options.push({ name, value: rest });
        else if (i + 1 < argv.length) options.push({ name, value: argv[++i] });
        else errors.push(`flag needs an argument: -${cluster[j]}`);
        break;
      }
      options.push({ name, value: 'true' });
    }
  }
  const image = argv[i] ?? '';
  if (!image) errors.push('"docker run" requires at least 1 argument (the image)');
  const canonical = options.map((o) => ({ name: o.name === 'net' ? 'network' : o.name === 'net-alias' ? 'network-alias' : o.name, value: o.value }));
  return { options: canonical, image, args: argv.slice(i + 1), errors };
}

export function optionValues(run: ParsedRun, name: string): string[] {
  return run.options.filter((o) => o.name === name).map((o) => o.value);
}

export function flag(run: ParsedRun, name: string): boolean {
  const v = optionValues(run, name).pop();
  return v !== undefined && v !== 'false';
}

/** The docker subcommand and its argv: `docker run ...`, `docker container run ...`. */
export function dockerSubcommand(argv: readonly string[]): { sub: string; rest: readonly string[] } {
  if (argv[0] === 'container') return { sub: argv[1] ?? '', rest: argv.slice(2) };
  return { sub: argv[0] ?? '', rest: argv.slice(1) };
}
