/**
 * The boot script of a pipeline VM, rendered from a LaunchDescription and a cloud's BootBackend.
 * The app knowledge is all in the launch description; the backend says only how this cloud
 * installs Docker, reads a secret, looks up an address and ships logs. AWS user data and the GCP
 * startup script are this one script.
 *
 * What the script does, in order:
 * 1. the cloud prelude (AWS installs Docker), then writes the config templates (rendered JSON,
 *    boot values as quoted placeholders) and two helper scripts under /etc/pipeline/<service>;
 * 2. `materialize.sh` obtains every boot value with the VM's own identity; a failed or empty
 *    read, or a value that does not match its pattern, stops with a log line naming the value
 *    (never the value). It JSON-quotes each value, fills the placeholders and writes the config
 *    to a tmpfs directory (/run) readable by root and the pipeline group only. A changed result
 *    replaces the old one and exits 3; an unchanged one exits 0;
 * 3. `start.sh` runs materialize, opens the served ports in the host firewall where the OS drops
 *    inbound traffic (COS), runs the setup steps to completion and the containers detached;
 *    containers get the config directory read-only and the pipeline group, never a secret in
 *    their environment or arguments;
 * 4. a systemd timer re-runs materialize every 5 minutes and restarts the containers when a
 *    value changed (a rotated secret, e.g. RDS's managed Iglu password), and re-runs start.sh
 *    when the app is not running (a boot that stopped on a secret not set yet).
 *
 * `PIPELINE_ROOT` (unset on a VM) lets a test run the script against a temporary root.
 */
import { bootPlaceholder, renderConfigFile } from './render';
import { CONTAINER_CONFIG_DIR, type BootSource, type ContainerRun, type LaunchDescription } from './contract';

export interface BootBackend {
  readonly cloud: 'aws' | 'gcp';
  /** Shell lines run first (install and start Docker). */
  readonly prelude: readonly string[];
  /** Shell lines start.sh runs first at every boot (e.g. make sure Docker is up). */
  readonly startPrelude: readonly string[];
  /** Shell function definitions the fetch commands use (written into materialize.sh). */
  readonly functions: readonly string[];
  /** A shell command that prints the value of a boot source on stdout and fails when it cannot. */
  readonly command: (source: BootSource) => string;
  /** What to tell the operator when a source cannot be read. */
  readonly fixHint: (source: BootSource) => string;
  /** docker log flags for a container. */
  readonly logOptions: (container: string) => readonly string[];
  /** Open served ports with iptables (COS accepts inbound SSH only). */
  readonly hostFirewall: boolean;
  /** Where to register start.sh so it runs at every later boot (cloud-init per-boot). Default: none (the cloud re-runs the script itself). */
  readonly perBootPath?: string;
}

/** Group that may read the materialized config; containers join it with --group-add. */
export const PIPELINE_GID = 2470;
const MARKER = 'PIPELINE_EOF';

/** bash: JSON-quotes $1 into REPLY (backslash, quote, tab, CR, LF escaped); fails on other control characters. */
const QUOTE_FUNCTION: readonly string[] = [
  'quote() {',
  '  local s=$1',
  "  s=${s//\\\\/\\\\\\\\}; s=${s//\\\"/\\\\\\\"}; s=${s//$'\\t'/\\\\t}; s=${s//$'\\r'/\\\\r}; s=${s//$'\\n'/\\\\n}",
  '  [[ $s != *[[:cntrl:]]* ]] || return 1',
  '  REPLY="\\"$s\\""',
  '}',
];
const EXIT_CHANGED = 3;

/** A cloud backend's accessor for wiring it needs: the value, or an error saying what to pass. */
export function wired(backend: string): <T>(v: T | undefined, what: string) => T {
  return (v, what) => {
    if (v === undefined) throw new Error(`${backend} boot script: ${what} is not wired; pass it to the VM service`);
    return v;
  };
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

function heredoc(path: string, content: string): string[] {
  const body = content.replace(/\n$/, '');
  if (body.split('\n').some((l) => l === MARKER)) throw new Error(`${path}: a line equals the heredoc marker ${MARKER}`);
  return [`cat > ${path} <<'${MARKER}'`, body, MARKER];
}

const SERVICE = /^[a-z][a-z0-9-]{0,62}$/;

function checkLaunch(l: LaunchDescription): void {
  if (!SERVICE.test(l.service)) throw new Error(`launch ${l.service}: the service name must be lower-case letters, digits and dashes`);
  if (l.containers.length === 0) throw new Error(`launch ${l.service}: no containers to run`);
  const names = [...l.setup, ...l.containers].map((c) => c.name);
  for (const n of names) if (!SERVICE.test(n)) throw new Error(`launch ${l.service}: container name "${n}" must be lower-case letters, digits and dashes`);
  if (new Set(names).size !== names.length) throw new Error(`launch ${l.service}: container names repeat: ${names.join(', ')}`);
  for (const p of l.ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`launch ${l.service}: port ${p} is not a TCP port`);
}

function materialize(l: LaunchDescription, b: BootBackend, files: ReturnType<typeof renderConfigFile>[]): string[] {
  const declared = new Map(l.bootValues.map((v) => [v.variable, v]));
  for (const f of files) {
    for (const v of f.bootVariables) if (!declared.has(v)) throw new Error(`launch ${l.service}: ${f.path} uses boot value ${v}, which the launch does not declare`);
  }
  const lines: string[] = [
    '#!/bin/bash',
    '# Obtains the boot values and writes the config to tmpfs; exit 3 when it changed.',
    'set -euo pipefail',
    'shopt -u patsub_replacement 2>/dev/null || true',
    'ROOT="${PIPELINE_ROOT:-}"',
    `ETC="$ROOT/etc/pipeline/${l.service}"`,
    `RUN="$ROOT/run/pipeline/${l.service}"`,
    `fail() { echo "pipeline-boot ${l.service}: FATAL: $*" >&2; exit 1; }`,
    // JSON string of $1 in REPLY; other control characters than tab, CR, LF are refused.
    ...QUOTE_FUNCTION,
    // Retries a read a few times: a resource made in the same apply may not answer yet.
    'attempt() {',
    '  local i',
    '  for i in 1 2 3 4 5; do "$@" && return 0; sleep "${PIPELINE_RETRY_DELAY:-10}"; done',
    '  return 1',
    '}',
    ...b.functions,
    'declare -A VALUE',
  ];
  l.bootValues.forEach((v, i) => {
    const what = v.source.kind === 'secret' ? `secret ${v.source.secret} (${v.variable})` : `${v.source.kind} (${v.variable})`;
    lines.push(
      `read_${i}() { ${b.command(v.source)}; }`,
      `raw="$(attempt read_${i})" || fail ${shellQuote(`could not read ${what}: ${b.fixHint(v.source)}`)}`,
      `[ -n "$raw" ] || fail ${shellQuote(`${what} is empty: ${b.fixHint(v.source)}`)}`,
      ...(v.pattern ? [`[[ $raw =~ ${v.pattern} ]] || fail ${shellQuote(`${what} does not match ${v.pattern} (value not shown)`)}`] : []),
      `quote "$raw" || fail ${shellQuote(`${what} holds control characters`)}`,
      `VALUE[${v.variable}]=$REPLY`,
    );
  });
  lines.push(
    'unset raw',
    'umask 0027',
    'install -d -m 0750 -g ' + PIPELINE_GID + ' "$RUN"',
    'stage="$(mktemp -d "$RUN/stage.XXXXXX")"',
    'trap \'rm -rf "$stage"\' EXIT',
    ...[...new Set(files.map((f) => f.path.split('/').slice(0, -1).join('/')).filter(Boolean))].map((d) => `install -d -m 0750 "$stage/${d}"`),
  );
  for (const f of files) {
    lines.push(`text="$(<"$ETC/templates/${f.path}")"`);
    for (const v of f.bootVariables) lines.push(`text=\${text//${shellQuote(bootPlaceholder(v))}/"\${VALUE[${v}]}"}`);
    lines.push(`printf '%s\\n' "$text" > "$stage/${f.path}"`);
  }
  lines.push(
    'unset text',
    `chgrp -R ${PIPELINE_GID} "$stage"`,
    'chmod 0750 "$stage"',
    // Compared by digest: COS has no diff.
    `digest() { local f; for f in ${files.map((f) => shellQuote(f.path)).join(' ')}; do printf '%s\\0' "$f"; cat "$1/$f"; done | sha256sum; }`,
    'if [ -d "$RUN/config" ] && [ "$(digest "$stage")" = "$(digest "$RUN/config" 2>/dev/null)" ]; then exit 0; fi',
    'rm -rf "$RUN/config.old"',
    'if [ -d "$RUN/config" ]; then mv "$RUN/config" "$RUN/config.old"; fi',
    'mv "$stage" "$RUN/config"',
    'rm -rf "$RUN/config.old"',
    `exit ${EXIT_CHANGED}`,
  );
  return lines;
}

function dockerRun(l: LaunchDescription, b: BootBackend, c: ContainerRun, detached: boolean, share: number): string {
  const env = { JDK_JAVA_OPTIONS: `-XX:InitialRAMPercentage=${share} -XX:MaxRAMPercentage=${share}`, ...(c.env ?? {}) };
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(k) || /[\n'$`\\]/.test(v)) throw new Error(`launch ${l.service}: env ${k} must be UPPER_SNAKE_CASE with a value free of quotes, $, backslashes and newlines`);
  }
  return [
    detached ? 'docker run --detach --restart always' : 'docker run --rm',
    `--name ${c.name}`,
    '--network host',
    `--group-add ${PIPELINE_GID}`,
    `--mount "type=bind,source=$RUN/config,target=${CONTAINER_CONFIG_DIR},readonly"`,
    ...Object.keys(env)
      .sort()
      .map((k) => `--env ${shellQuote(`${k}=${env[k as keyof typeof env]}`)}`),
    `--label pipeline.service=${l.service}`,
    ...b.logOptions(c.name),
    shellQuote(c.image),
    ...c.args.map(shellQuote),
  ].join(' \\\n  ');
}

function start(l: LaunchDescription, b: BootBackend): string[] {
  const share = Math.floor(75 / l.containers.length);
  const lines: string[] = [
    '#!/bin/bash',
    `# Starts ${l.service} (${l.contract}): config, firewall, setup steps, containers.`,
    'set -euo pipefail',
    'ROOT="${PIPELINE_ROOT:-}"',
    `ETC="$ROOT/etc/pipeline/${l.service}"`,
    `RUN="$ROOT/run/pipeline/${l.service}"`,
    `log() { echo "pipeline-boot ${l.service}: $*" >&2; }`,
    ...b.startPrelude,
    'rc=0; bash "$ETC/materialize.sh" || rc=$?',
    `if [ "$rc" -ne 0 ] && [ "$rc" -ne ${EXIT_CHANGED} ]; then log "FATAL: the config could not be written (see above); not starting"; exit 1; fi`,
  ];
  if (b.hostFirewall) {
    for (const p of l.ports) lines.push(`iptables -C INPUT -p tcp --dport ${p} -j ACCEPT 2>/dev/null || iptables -A INPUT -p tcp --dport ${p} -j ACCEPT`);
  }
  for (const c of l.setup) {
    lines.push(`docker rm -f ${c.name} >/dev/null 2>&1 || true`);
    const onFail =
      (c.onFailure ?? 'stop') === 'stop'
        ? `{ log "FATAL: setup step ${c.name} failed; not starting the app"; exit 1; }`
        : `log "setup step ${c.name} exited non-zero; going on (it fails when there is nothing left to do)"`;
    lines.push(`if ! ${dockerRun(l, b, c, false, share)}; then ${onFail}; fi`);
  }
  for (const c of l.containers) lines.push(`docker rm -f ${c.name} >/dev/null 2>&1 || true`, dockerRun(l, b, c, true, share));
  lines.push(`log "started ${l.containers.map((c) => c.name).join(', ')}"`);
  return lines;
}

function refresh(l: LaunchDescription): string[] {
  return [
    '#!/bin/bash',
    '# Re-reads the boot values; restarts the containers when one changed, keeps them running when a read fails.',
    'set -uo pipefail',
    'ROOT="${PIPELINE_ROOT:-}"',
    `ETC="$ROOT/etc/pipeline/${l.service}"`,
    // A boot that stopped (a secret not set yet) is retried here, so setting the value is enough.
    `if ! docker inspect ${l.containers[0].name} >/dev/null 2>&1; then exec bash "$ETC/start.sh"; fi`,
    'rc=0; bash "$ETC/materialize.sh" || rc=$?',
    `if [ "$rc" -eq ${EXIT_CHANGED} ]; then echo "pipeline-boot ${l.service}: a boot value changed; restarting" >&2; docker restart ${l.containers.map((c) => c.name).join(' ')}; exit $?; fi`,
    'exit "$rc"',
  ];
}

function timerUnits(l: LaunchDescription): { service: string; timer: string } {
  return {
    service: [
      '[Unit]',
      `Description=Re-read the secrets of ${l.service} and restart it when one changed`,
      'After=docker.service',
      '[Service]',
      'Type=oneshot',
      `ExecStart=/bin/bash /etc/pipeline/${l.service}/refresh.sh`,
    ].join('\n'),
    // First run 10 minutes after the timer starts, when the first start (image pulls) is done.
    timer: ['[Unit]', `Description=Periodic secret re-read of ${l.service}`, '[Timer]', 'OnActiveSec=10min', 'OnUnitActiveSec=5min', '[Install]', 'WantedBy=timers.target'].join('\n'),
  };
}

/** The whole boot script of one VM group. */
export function renderBootScript(l: LaunchDescription, b: BootBackend): string {
  checkLaunch(l);
  const files = l.files.map(renderConfigFile);
  const paths = files.map((f) => f.path);
  if (new Set(paths).size !== paths.length) throw new Error(`launch ${l.service}: config file paths repeat`);
  const dirs = [...new Set(paths.map((p) => p.split('/').slice(0, -1).join('/')).filter(Boolean))];
  const unit = `pipeline-refresh-${l.service}`;
  const units = timerUnits(l);
  const lines: string[] = [
    '#!/bin/bash',
    `# ${l.service}: ${l.contract}; ${[...l.setup, ...l.containers].map((c) => c.image).filter((v, i, a) => a.indexOf(v) === i).join(' ')}`,
    'set -euo pipefail',
    'ROOT="${PIPELINE_ROOT:-}"',
    `ETC="$ROOT/etc/pipeline/${l.service}"`,
    ...b.prelude,
    'rm -rf "$ETC/templates"',
    'install -d -m 0755 "$ETC" "$ETC/templates"' + dirs.map((d) => ` "$ETC/templates/${d}"`).join(''),
    ...files.flatMap((f) => heredoc(`"$ETC/templates/${f.path}"`, f.text)),
    ...heredoc('"$ETC/materialize.sh"', materialize(l, b, files).join('\n')),
    ...heredoc('"$ETC/start.sh"', start(l, b).join('\n')),
  ];
  if (l.bootValues.length > 0) {
    lines.push(
      ...heredoc('"$ETC/refresh.sh"', refresh(l).join('\n')),
      'install -d -m 0755 "$ROOT/etc/systemd/system"',
      ...heredoc(`"$ROOT/etc/systemd/system/${unit}.service"`, units.service),
      ...heredoc(`"$ROOT/etc/systemd/system/${unit}.timer"`, units.timer),
    );
  }
  if (b.perBootPath) lines.push(`install -d -m 0755 "$ROOT${b.perBootPath}"`, `install -m 0755 "$ETC/start.sh" "$ROOT${b.perBootPath}/pipeline-${l.service}.sh"`);
  // The timer first: it also retries a start that stops on a value not set yet.
  if (l.bootValues.length > 0) lines.push('systemctl daemon-reload', `systemctl enable --now ${unit}.timer`);
  lines.push('bash "$ETC/start.sh"');
  lines.push('');
  return lines.join('\n');
}
