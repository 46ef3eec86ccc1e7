/**
 * Runs a generated boot script for real: bash as root in a private mount namespace with overlays
 * over the system directories (sandbox.sh), stub commands first on PATH, and a
 * control directory that says what the stubbed cloud answers. Returns what the script did: every
 * stub call in order (argv, environment, copies of the files docker was pointed at), its exit
 * status and log, and the files it left on persistent paths.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity, SecretValues } from './identity';

const HERE = __dirname;
/** Commands recorded and answered with success (package managers, service control, the host firewall, waits). */
const NOOP_COMMANDS = [
  'dnf',
  'yum',
  'apt-get',
  'apt',
  'amazon-linux-extras',
  'systemctl',
  'iptables',
  'ip6tables',
  'iptables-save',
  'sleep',
  'usermod',
  'docker-credential-gcr',
  'toolbox',
];

export type SecretMode = { readonly kind: 'ok' } | { readonly kind: 'fail' | 'empty'; readonly secretId: string };

export interface RunOptions {
  readonly identity: Identity;
  readonly values: SecretValues;
  readonly mode?: SecretMode;
  /** SSM parameters the stack writes (name -> value and whether it is a SecureString). Default: none. */
  readonly parameters?: Readonly<Record<string, { readonly value: string; readonly secure: boolean }>>;
  /** Default: 20 s; a script that loops forever on a stubbed call fails instead of hanging the suite. */
  readonly timeoutSeconds?: number;
}

export interface StubCall {
  readonly tool: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Host path -> content (a copy taken when docker was called); directories hold their files. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Host directories copied (so a path can be told to be a directory). */
  readonly dirs: ReadonlySet<string>;
  /** Paths docker was pointed at that did not exist. */
  readonly missing: readonly string[];
  /** A secret this call handed out. */
  readonly secret?: { readonly id: string; readonly value: string };
  /** An AWS call the stub does not know. */
  readonly unknown?: string;
}

export interface RunResult {
  readonly exitCode: number;
  readonly log: string;
  readonly calls: readonly StubCall[];
  /** Files the script wrote or changed under the overlaid (persistent) directories: path -> content. */
  readonly persisted: ReadonlyMap<string, Buffer>;
}

function workBase(): { base: string; overlayTmp: boolean } {
  // /dev/shm is outside every overlaid directory, so /tmp can be overlaid too.
  if (existsSync('/dev/shm')) {
    try {
      return { base: mkdtempSync('/dev/shm/boot-harness-'), overlayTmp: true };
    } catch {
      /* fall through */
    }
  }
  return { base: mkdtempSync(join(tmpdir(), 'boot-harness-')), overlayTmp: false };
}

function writeTree(root: string, tree: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(tree)) {
    const file = join(root, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
  }
}

function installStubs(w: string): void {
  const lib = join(w, 'lib');
  mkdirSync(lib);
  mkdirSync(join(w, 'bin'));
  mkdirSync(join(w, 'rec', 'calls'), { recursive: true });
  const fill = (text: string) => text.replace(/@LIB@/g, lib).replace(/@REC@/g, join(w, 'rec')).replace(/@CTL@/g, join(w, 'ctl'));
  for (const f of ['record.sh', 'secret-value.sh', 'aws.js']) writeFileSync(join(lib, f), fill(readFileSync(join(HERE, f), 'utf8')));
  const stubs: Record<string, string> = {};
  for (const f of readdirSync(join(HERE, 'stubs'))) stubs[f] = fill(readFileSync(join(HERE, 'stubs', f), 'utf8'));
  for (const [name, text] of Object.entries(stubs)) {
    if (name === 'noop') continue;
    writeFileSync(join(w, 'bin', name), text);
  }
  for (const name of NOOP_COMMANDS) writeFileSync(join(w, 'bin', name), stubs.noop);
  for (const f of readdirSync(join(w, 'bin'))) chmodSync(join(w, 'bin', f), 0o755);
  copyFileSync(join(HERE, 'sandbox.sh'), join(w, 'sandbox.sh'));
}

function controlTree(o: RunOptions): Record<string, string> {
  const { identity: id, values } = o;
  const mode = o.mode ?? { kind: 'ok' };
  return {
    mode: mode.kind === 'ok' ? 'ok\n' : `${mode.kind} ${mode.secretId.replace(/[*?[\]]/g, '?')}\n`,
    'ssm.json': JSON.stringify(o.parameters ?? {}),
    ...Object.fromEntries(Object.entries(o.parameters ?? {}).filter(([, p]) => !p.secure).map(([name, p]) => [`ssm${name.startsWith('/') ? '' : '/'}${name}`, p.value])),
    kinds: values.kinds.map((k) => `${k.glob}\t${k.file}`).join('\n') + '\n',
    ...Object.fromEntries(Object.entries(values.files).map(([f, v]) => [`values/${f}`, v])),
    hostname: id.hostname,
    'imds-token': 'AQAEAtest-imds-token==',
    'aws-account': id.awsAccount,
    'imds/meta-data/instance-id': id.instanceId,
    'imds/meta-data/placement/region': id.awsRegion,
    'imds/meta-data/placement/availability-zone': `${id.awsRegion}a`,
    'imds/meta-data/local-ipv4': id.ip,
    'imds/meta-data/local-hostname': id.hostname,
    'imds/meta-data/hostname': id.hostname,
    'imds/dynamic/instance-identity/document': JSON.stringify({ accountId: id.awsAccount, region: id.awsRegion, instanceId: id.instanceId, privateIp: id.ip }),
    'gce-access-token': 'ya29.test-access-token',
    'gcp-project-number': '123456789012',
    'gce/instance/service-accounts/default/token': '{"access_token":"ya29.test-access-token","expires_in":3599,"token_type":"Bearer"}',
    'gce/instance/id': '4567890123456789012',
    'gce/instance/name': id.hostname.split('.')[0],
    'gce/instance/hostname': id.hostname,
    'gce/instance/zone': `projects/123456789012/zones/${id.gcpZone}`,
    'gce/instance/network-interfaces/0/ip': id.ip,
    'gce/project/project-id': id.gcpProject,
    'gce/project/numeric-project-id': '123456789012',
  };
}

function readTree(root: string, prefix: string, files: Map<string, Buffer>, dirs: Set<string>, skip?: (path: string) => boolean): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const full = join(root, name);
    const path = `${prefix}/${name}`;
    if (skip?.(path)) continue;
    const st = lstatSync(full);
    if (st.isDirectory()) {
      dirs.add(path);
      readTree(full, path, files, dirs, skip);
    } else if (st.isFile()) {
      files.set(path, readFileSync(full));
    }
  }
}

function readCalls(rec: string): StubCall[] {
  const dir = join(rec, 'calls');
  return readdirSync(dir)
    .sort()
    .map((n) => {
      const d = join(dir, n);
      const text = (f: string) => (existsSync(join(d, f)) ? readFileSync(join(d, f), 'utf8') : undefined);
      const argv = (text('argv') ?? '').split('\0');
      argv.pop();
      const env: Record<string, string> = {};
      for (const entry of (text('env') ?? '').split('\0')) {
        const eq = entry.indexOf('=');
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
      }
      const files = new Map<string, Buffer>();
      const dirs = new Set<string>();
      readTree(join(d, 'files'), '', files, dirs);
      const id = text('secret-id');
      return {
        tool: text('tool') ?? '?',
        argv,
        env,
        files,
        dirs,
        missing: (text('missing') ?? '').split('\n').filter(Boolean),
        secret: id === undefined ? undefined : { id, value: text('secret-value') ?? '' },
        unknown: text('unknown'),
      };
    });
}

/** Runs a boot script in the sandbox; never touches the machine outside its work directory. */
export async function runBootScript(script: string, o: RunOptions): Promise<RunResult> {
  const started = Date.now();
  RUN_STATS.runs++;
  const { base: w, overlayTmp } = workBase();
  try {
    installStubs(w);
    writeTree(join(w, 'ctl'), controlTree(o));
    writeFileSync(join(w, 'script.sh'), script);
    const unshare = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
    await new Promise<void>((resolve, reject) => {
      const child = spawn('unshare', [...unshare, 'bash', join(w, 'sandbox.sh'), w, overlayTmp ? '1' : '0', String(o.timeoutSeconds ?? 20)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sandbox failed to start (exit ${code}): ${err.trim()}`))));
    });
    const exitCode = Number(readFileSync(join(w, 'exit'), 'utf8').trim());
    const persisted = new Map<string, Buffer>();
    const upper = join(w, 'upper');
    for (const d of existsSync(upper) ? readdirSync(upper) : []) {
      readTree(join(upper, d), `/${d}`, persisted, new Set());
    }
    return { exitCode, log: readFileSync(join(w, 'log'), 'utf8'), calls: readCalls(join(w, 'rec')), persisted };
  } finally {
    rmSync(w, { recursive: true, force: true });
    RUN_STATS.ms += Date.now() - started;
  }
}

/** Sandbox runs and their total wall time, for the harness's summary line. */
export const RUN_STATS = { runs: 0, ms: 0 };
