/**
 * The GCP startup script of a pipeline VM (Container-Optimized OS, which ships Docker and runs
 * the script at every boot): the one boot script (constructs/apps/boot-script.ts) with the GCP
 * way of reading secrets (Secret Manager's REST API with the VM's own service account token;
 * COS has curl but no gcloud), of knowing the Iglu Server and its database (addresses Terraform
 * fills in), of shipping logs (gcplogs) and of admitting inbound traffic (COS accepts inbound
 * SSH only, so each served port is opened with iptables at every boot).
 *
 * The script is plain text in instance metadata, and Terraform reads "${" and "%{" in strings as
 * template syntax, so literal text is escaped; cdktf tokens (references to other resources) are
 * left as they are so Terraform fills them in.
 */
import { renderBootScript, shellQuote, wired, type BootBackend } from '../apps/boot-script';
import type { BootSource, LaunchDescription } from '../apps/contract';

export interface GcpBootProps {
  /** Project whose Secret Manager holds the secrets. */
  readonly projectId: string;
  /** Secret Manager secret id of each secret the launch reads, by short secret name. Default: none. */
  readonly secretIds?: Readonly<Record<string, string>>;
  /** Iglu Server API URL (may be a token). Required when a boot value needs it. */
  readonly igluUrl?: string;
  /** Iglu database private IP (may be a token) and the secret holding its password. */
  readonly igluDatabase?: { readonly host: string; readonly passwordSecretId: string };
}

const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/** Escapes Terraform template syntax in literal text, leaving cdktf tokens intact. */
export function escapeTemplate(text: string): string {
  // A replacer function: in a replacement string "$$" would itself collapse to "$".
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A value Terraform fills in, printed by the script; refused when its literal part could break the quoting. */
function literal(value: string, what: string): string {
  if (/['\n]/.test(value.replace(TOKEN, ''))) throw new Error(`GCP boot script: ${what} must not contain quotes or newlines`);
  return `printf '%s' ${shellQuote(value)}`;
}

export function gcpBootBackend(p: GcpBootProps): BootBackend {
  const need = wired('GCP');
  const secretId = (name: string) => need(p.secretIds?.[name], `the Secret Manager id of secret "${name}"`);
  return {
    cloud: 'gcp',
    prelude: ['# Container-Optimized OS ships Docker.'],
    startPrelude: [],
    functions: [
      "metadata() { curl -sSf -H 'Metadata-Flavor: Google' \"http://metadata.google.internal/computeMetadata/v1/$1\"; }",
      'read_secret() {',
      '  local token',
      '  token="$(metadata instance/service-accounts/default/token | sed -E \'s/.*"access_token" *: *"([^"]+)".*/\\1/\')" || return 1',
      '  [ -n "$token" ] || return 1',
      // The token goes to curl on stdin, not in its arguments (visible in the process list).
      `  printf 'Authorization: Bearer %s\\n' "$token" | curl -sSf -H @- "https://secretmanager.googleapis.com/v1/projects/${p.projectId}/secrets/$1/versions/latest:access" | sed -nE 's/.*"data" *: *"([^"]+)".*/\\1/p' | base64 -d`,
      '}',
    ],
    command: (s: BootSource) => {
      switch (s.kind) {
        case 'secret':
          return `read_secret ${shellQuote(secretId(s.secret))}`;
        case 'iglu-url':
          return literal(need(p.igluUrl, 'the Iglu Server URL'), 'the Iglu Server URL');
        case 'iglu-db-host':
          return literal(need(p.igluDatabase, 'the Iglu database').host, 'the Iglu database host');
        case 'iglu-db-password':
          return `read_secret ${shellQuote(need(p.igluDatabase, 'the Iglu database').passwordSecretId)}`;
        case 'instance-id':
          return 'hostname';
      }
    },
    fixHint: (s: BootSource) => {
      switch (s.kind) {
        case 'secret':
          return `add a version with gcloud secrets versions add ${secretId(s.secret)} --project ${p.projectId}, and check the VM's service account may access it`;
        case 'iglu-db-password':
          return `add a version with gcloud secrets versions add ${p.igluDatabase?.passwordSecretId} --project ${p.projectId}`;
        default:
          return 'Terraform fills this in; apply the whole stack';
      }
    },
    logOptions: () => ['--log-driver gcplogs', '--log-opt gcp-log-cmd=false'],
    hostFirewall: true,
  };
}

export function renderStartupScript(launch: LaunchDescription, p: GcpBootProps): string {
  return escapeTemplate(renderBootScript(launch, gcpBootBackend(p)));
}

/** The script as bash runs it, from instance metadata whose tokens Terraform has filled in (tests). */
export function unescapeTemplate(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Environment variable a secret was exposed as before the app layer. Kept for callers not yet on contracts. */
export function secretEnvVar(secretName: string): string {
  return secretName.toUpperCase().replace(/-/g, '_');
}
