/**
 * AWS user data for a pipeline VM: the one boot script (constructs/apps/boot-script.ts) with the
 * AWS way of installing Docker (Amazon Linux 2023), reading secrets (Secrets Manager, with the
 * instance role of this component only), looking up the Iglu Server (an SSM parameter Terraform
 * writes) and its database (the RDS instance and its managed secret), and shipping logs
 * (Docker's awslogs driver with the options that driver accepts: group, region, stream).
 * The script holds secret ids only, never values; it must be literal text (no tokens), as EC2
 * user data is encoded here, before synthesis.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { renderBootScript, shellQuote, wired, type BootBackend } from '../apps/boot-script';
import type { BootSource, LaunchDescription } from '../apps/contract';

export interface AwsBootProps {
  readonly region: string;
  readonly logGroupName: string;
  /** Secrets Manager id of each secret the launch reads, by short secret name. Default: none. */
  readonly secretIds?: Readonly<Record<string, string>>;
  /** SSM parameter holding the Iglu Server API URL. Required when a boot value needs it. */
  readonly igluUrlParameter?: string;
  /** RDS instance whose endpoint and managed master secret the Iglu Server uses. */
  readonly igluDatabaseIdentifier?: string;
}

/** Raw user data larger than this is refused by EC2. */
export const USER_DATA_LIMIT = 16384;

const IMDS = [
  'imds() {',
  '  local t',
  "  t=\"$(curl -sSf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)\" || return 1",
  "  printf 'X-aws-ec2-metadata-token: %s\\n' \"$t\" | curl -sSf -H @- \"http://169.254.169.254/latest/meta-data/$1\"",
  '}',
];

export function awsBootBackend(p: AwsBootProps): BootBackend {
  const r = shellQuote(p.region);
  const need = wired('AWS');
  const secretId = (name: string) => need(p.secretIds?.[name], `the Secrets Manager id of secret "${name}"`);
  return {
    cloud: 'aws',
    prelude: ['dnf install -y docker', 'systemctl enable --now docker'],
    startPrelude: ['systemctl start docker', ...IMDS, 'INSTANCE_ID="$(imds instance-id)" || { log "FATAL: no instance id from IMDSv2"; exit 1; }'],
    functions: [
      'db_password() {',
      '  local arn json',
      `  arn="$(aws rds describe-db-instances --region ${r} --db-instance-identifier "$1" --query 'DBInstances[0].MasterUserSecret.SecretArn' --output text)" || return 1`,
      '  [ -n "$arn" ] && [ "$arn" != None ] || return 1',
      `  json="$(aws secretsmanager get-secret-value --region ${r} --secret-id "$arn" --query SecretString --output text)" || return 1`,
      // The JSON goes through a pipe (not argv) to Python, which cloud-init guarantees on AL2023.
      `  printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"], end="")'`,
      '}',
    ],
    command: (s: BootSource) => {
      switch (s.kind) {
        case 'secret':
          return `aws secretsmanager get-secret-value --region ${r} --secret-id ${shellQuote(secretId(s.secret))} --query SecretString --output text`;
        case 'iglu-url':
          return `aws ssm get-parameter --region ${r} --name ${shellQuote(need(p.igluUrlParameter, 'the Iglu URL parameter'))} --query Parameter.Value --output text`;
        case 'iglu-db-host':
          return `aws rds describe-db-instances --region ${r} --db-instance-identifier ${shellQuote(need(p.igluDatabaseIdentifier, 'the Iglu database'))} --query 'DBInstances[0].Endpoint.Address' --output text`;
        case 'iglu-db-password':
          return `db_password ${shellQuote(need(p.igluDatabaseIdentifier, 'the Iglu database'))}`;
        case 'instance-id':
          return 'hostname';
      }
    },
    fixHint: (s: BootSource) => {
      switch (s.kind) {
        case 'secret':
          return `set it with aws secretsmanager put-secret-value --secret-id ${secretId(s.secret)}, and check the instance role may read it`;
        case 'iglu-url':
          return `Terraform writes ${p.igluUrlParameter} with the Iglu Server; apply the whole stack`;
        case 'iglu-db-host':
        case 'iglu-db-password':
          return `check that RDS instance ${p.igluDatabaseIdentifier} is available and manages its master password`;
        case 'instance-id':
          return 'the host has no name';
      }
    },
    logOptions: (container: string) => [
      '--log-driver awslogs',
      `--log-opt awslogs-region=${p.region}`,
      `--log-opt awslogs-group=${p.logGroupName}`,
      `--log-opt "awslogs-stream=${container}/$INSTANCE_ID"`,
    ],
    hostFirewall: false,
    perBootPath: '/var/lib/cloud/scripts/per-boot',
  };
}

/** The boot script as text (what the harness runs). */
export function renderUserDataScript(launch: LaunchDescription, p: AwsBootProps): string {
  const script = renderBootScript(launch, awsBootBackend(p));
  if (/\$\{(Tf)?Token\[/.test(script)) {
    throw new Error(`user data for ${launch.service} holds an unresolved token; pass literal names (user data is encoded before synthesis)`);
  }
  return script;
}

/**
 * The launch template's user_data: base64 of the script, gzip-compressed first when it exceeds
 * EC2's 16 KB (cloud-init reads gzip user data).
 */
export function encodeUserData(script: string): string {
  const raw = Buffer.from(script, 'utf8');
  const body = raw.length <= USER_DATA_LIMIT ? raw : gzipSync(raw, { level: 9 });
  if (body.length > USER_DATA_LIMIT) throw new Error(`user data is ${body.length} bytes even compressed; EC2 accepts ${USER_DATA_LIMIT}`);
  return body.toString('base64');
}

/** The script back from a launch template's user_data (for tests and reviews). */
export function decodeUserData(userData: string): string {
  const body = Buffer.from(userData, 'base64');
  return (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
}

/** Environment variable a secret was exposed as before the app layer: snowflake-private-key -> SNOWFLAKE_PRIVATE_KEY. Kept for callers not yet on contracts. */
export function secretEnvVar(secretName: string): string {
  return secretName.toUpperCase().replace(/-/g, '_');
}
