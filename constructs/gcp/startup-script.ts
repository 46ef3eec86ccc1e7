/**
 * The startup script of a pipeline VM (Container-Optimized OS, which ships Docker): write the
 * app's files, read the secrets it needs from Secret Manager into the environment of the docker
 * command, and run the pinned image(s). COS runs the script on every boot, so containers are
 * recreated with fresh secret values after a restart. Secret values never appear in metadata,
 * state or plans: only secret ids do.
 *
 * The script is plain text in instance metadata, and Terraform reads "${" and "%{" in strings as
 * template syntax, so literal text is escaped; cdktf tokens (references to other resources) are
 * left as they are so Terraform fills them in.
 */

export interface ContainerSpec {
  /** Container name; also the docker log label. */
  readonly name: string;
  /** Full image reference including the pinned tag. */
  readonly image: string;
  /** Arguments after the image name. */
  readonly args: readonly string[];
}

export interface StartupScriptProps {
  readonly component: string;
  /** Project whose Secret Manager holds the secrets. */
  readonly projectId: string;
  /** Files written under /etc/pipeline (mounted read-only into every container). */
  readonly files: Readonly<Record<string, string>>;
  /** Secrets exposed to the containers as environment variables. Default: none. */
  readonly secrets?: readonly { readonly secretId: string; readonly envVar: string }[];
  /** Plain (non-secret) environment variables; values may be cdktf tokens. Default: none. */
  readonly env?: Readonly<Record<string, string>>;
  /** One-off commands run to completion before the long-running containers, e.g. idempotent setup. Default: none. */
  readonly setup?: readonly ContainerSpec[];
  /** Long-running containers, restarted by Docker if they exit. */
  readonly containers: readonly ContainerSpec[];
}

/** Environment variable a secret is exposed as: iglu-super-api-key -> IGLU_SUPER_API_KEY. */
export function secretEnvVar(secretName: string): string {
  return secretName.toUpperCase().replace(/-/g, '_');
}

const TOKEN = /\$\{TfToken\[[^\]]+\]\}/;

/** Escapes Terraform template syntax in literal text, leaving cdktf tokens intact. */
export function escapeTemplate(text: string): string {
  // A replacer function: in a replacement string "$$" would itself collapse to "$".
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

const FILE_MARKER = 'PIPELINE_FILE_EOF';

export function renderStartupScript(props: StartupScriptProps): string {
  if (props.containers.length === 0) throw new Error(`startup script for ${props.component}: no containers to run`);
  const lines: string[] = ['#!/bin/bash', 'set -euo pipefail', `# ${props.component}: ${props.containers.map((c) => c.image).join(' ')}`, 'install -d -m 0755 /etc/pipeline'];
  for (const name of Object.keys(props.files).sort()) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new Error(`startup script for ${props.component}: file name "${name}" must be a plain file name`);
    const content = props.files[name];
    if (content.includes(FILE_MARKER)) throw new Error(`startup script for ${props.component}: ${name} must not contain the heredoc marker ${FILE_MARKER}`);
    lines.push(`cat > /etc/pipeline/${name} <<'${FILE_MARKER}'`, content.trimEnd(), FILE_MARKER);
  }
  const env = props.env ?? {};
  for (const name of Object.keys(env).sort()) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`startup script for ${props.component}: environment variable "${name}" must be UPPER_SNAKE_CASE`);
    const value = env[name];
    if (!TOKEN.test(value) && /['\n]/.test(value)) throw new Error(`startup script for ${props.component}: ${name} must not contain quotes or newlines`);
    lines.push(`export ${name}='${value}'`);
  }
  const secrets = props.secrets ?? [];
  if (secrets.length > 0) {
    // COS has curl but no gcloud: the metadata server gives the VM's token, Secret Manager's REST API the value.
    lines.push(
      "metadata() { curl -sSf -H 'Metadata-Flavor: Google' \"http://metadata.google.internal/computeMetadata/v1/$1\"; }",
      'read_secret() {',
      '  local auth',
      '  auth="Authorization: Bearer $(metadata instance/service-accounts/default/token | sed -E \'s/.*"access_token" *: *"([^"]+)".*/\\1/\')"',
      `  curl -sSf -H "$auth" "https://secretmanager.googleapis.com/v1/projects/${props.projectId}/secrets/$1/versions/latest:access" | sed -nE 's/.*"data" *: *"([^"]+)".*/\\1/p' | base64 -d`,
      '}',
      // Assign, then export: `export X="$(...)"` would hide a failed read (no version yet) from set -e.
      ...secrets.flatMap((s) => [`${s.envVar}="$(read_secret ${shellQuote(s.secretId)})"`, `export ${s.envVar}`]),
    );
  }
  const envFlags = [...Object.keys(env).sort(), ...secrets.map((s) => s.envVar)].map((v) => `--env ${v}`);
  const docker = (c: ContainerSpec, detached: boolean) =>
    [
      detached ? 'docker run --detach --restart always' : 'docker run --rm',
      `--name ${c.name}`,
      '--network host',
      ...envFlags,
      '--volume /etc/pipeline:/etc/pipeline:ro',
      '--log-driver gcplogs',
      '--log-opt gcp-log-cmd=false',
      `--label component=${props.component}`,
      shellQuote(c.image),
      ...c.args.map(shellQuote),
    ].join(' \\\n  ');
  for (const c of props.setup ?? []) {
    lines.push(`docker rm -f ${c.name} >/dev/null 2>&1 || true`, `${docker(c, false)} || echo "${c.name} exited non-zero; continuing (setup is idempotent)"`);
  }
  for (const c of props.containers) {
    lines.push(`docker rm -f ${c.name} >/dev/null 2>&1 || true`, docker(c, true));
  }
  lines.push('');
  return escapeTemplate(lines.join('\n'));
}
