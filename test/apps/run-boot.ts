/**
 * Runs a rendered boot script under bash against a temporary root, with stub docker, aws, curl,
 * dnf, systemctl and iptables on PATH. The stubs record their arguments; `aws` answers from a
 * table of secret values the test gives (a missing entry fails like a missing secret).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BootRun {
  readonly status: number | null;
  readonly stderr: string;
  readonly root: string;
  /** Each recorded call: argv of the stub, one array per call. */
  readonly calls: (tool: string) => string[][];
  readonly file: (path: string) => string;
}

const RECORD = (tool: string, body = '') => `#!/bin/bash
{ printf '%s\\0' "$@"; printf '\\n'; } >> "$STUB_LOG/${tool}"
${body}
`;

export function runBoot(script: string, answers: Readonly<Record<string, string>> = {}, root = mkdtempSync(join(tmpdir(), 'boot-'))): BootRun {
  if (existsSync(join(root, 'stub-bin'))) return rerun(root, script, answers);
  const bin = join(root, 'stub-bin');
  const log = join(root, 'stub-log');
  mkdirSync(bin);
  mkdirSync(log);
  writeFileSync(join(root, 'answers.json'), JSON.stringify(answers));
  // aws: answers by the value after --secret-id / --name / --db-instance-identifier.
  const aws = RECORD(
    'aws',
    `key=""; prev=""; for a in "$@"; do case "$prev" in --secret-id|--name|--db-instance-identifier) key="$a";; esac; prev="$a"; done
node -e 'const a=require(process.argv[1]); let k=process.argv[2]; if (!(k in a) && "*" in a) k="*"; if (!(k in a)) { console.error("An error occurred (ResourceNotFoundException)"); process.exit(254) } process.stdout.write(a[k] + "\\n")' "$ANSWERS" "$key"`,
  );
  const tools: Record<string, string> = {
    aws,
    docker: RECORD('docker'),
    dnf: RECORD('dnf'),
    systemctl: RECORD('systemctl'),
    iptables: RECORD('iptables', '[ "$1" = -C ] && exit 1; exit 0'),
    curl: RECORD(
      'curl',
      `for a in "$@"; do [ "$a" = @- ] && cat > /dev/null; done
url="\${@: -1}"
case "$url" in
  *latest/api/token) echo imds-token;;
  *meta-data/instance-id) echo i-0123456789abcdef0;;
  *service-accounts/default/token) echo '{"access_token":"ya29.stub","expires_in":3599,"token_type":"Bearer"}';;
  *secretmanager.googleapis.com*)
    id="\${url#*/secrets/}"; id="\${id%%/versions*}"
    node -e 'const a=require(process.argv[1]); let k=process.argv[2]; if (!(k in a) && "*" in a) k="*"; if (!(k in a)) process.exit(22); console.log(JSON.stringify({ name: k, payload: { data: Buffer.from(a[k]).toString("base64") } }, null, 2))' "$ANSWERS" "$id";;
  *) exit 22;;
esac`,
    ),
    chgrp: RECORD('chgrp'),
  };
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  // `install -g` needs the group to exist; the stub drops -g like chgrp is dropped.
  writeFileSync(join(bin, 'install'), '#!/bin/bash\nargs=(); skip=0; for a in "$@"; do if [ $skip = 1 ]; then skip=0; continue; fi; [ "$a" = -g ] && { skip=1; continue; }; args+=("$a"); done; exec /usr/bin/install "${args[@]}"\n');
  chmodSync(join(bin, 'install'), 0o755);
  return rerun(root, script, answers);
}

/** Runs a script (or a file under the root, given as `@path`) again in a root made by runBoot, with new answers. */
export function rerun(root: string, script: string, answers: Readonly<Record<string, string>>): BootRun {
  const bin = join(root, 'stub-bin');
  const log = join(root, 'stub-log');
  writeFileSync(join(root, 'answers.json'), JSON.stringify(answers));
  const args = script.startsWith('@') ? [join(root, script.slice(1))] : ['-c', script];
  const r = spawnSync('bash', args, {
    env: { PATH: `${bin}:/usr/bin:/bin`, PIPELINE_ROOT: root, PIPELINE_RETRY_DELAY: '0', STUB_LOG: log, ANSWERS: join(root, 'answers.json'), HOME: root },
    encoding: 'utf8',
  });
  return {
    status: r.status,
    stderr: r.stderr,
    root,
    calls: (tool) => {
      const f = join(log, tool);
      if (!existsSync(f)) return [];
      return readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\0').slice(0, -1));
    },
    file: (path) => readFileSync(join(root, path), 'utf8'),
  };
}
