/**
 * The boot script of a pipeline VM: install Docker, write the app's configuration, fetch the
 * secrets the app needs from Secrets Manager into a root-only tmpfs file, run the pinned image.
 * Secret values are read at boot, so they never appear in user data, state or plans.
 */

export interface UserDataProps {
  readonly component: string;
  /** Full image reference including the pinned tag. */
  readonly image: string;
  readonly region: string;
  readonly logGroupName: string;
  /** HOCON configuration written to /etc/pipeline/config.hocon. */
  readonly config: string;
  /** Arguments after the image name. */
  readonly args: readonly string[];
  /** Secrets to expose as environment variables: name in Secrets Manager -> variable. */
  readonly secrets: readonly { readonly secretName: string; readonly envVar: string }[];
  /** Shell lines run before the container starts, e.g. to look up an endpoint. Default: none. */
  readonly bootScript?: readonly string[];
}

/** Environment variable a secret is exposed as: snowflake-private-key -> SNOWFLAKE_PRIVATE_KEY. */
export function secretEnvVar(secretName: string): string {
  return secretName.toUpperCase().replace(/-/g, '_');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

export function renderUserData(props: UserDataProps): string {
  if (JSON.stringify(props).includes('${Token[') || JSON.stringify(props).includes('${TfToken[')) {
    throw new Error(`user data for ${props.component} holds an unresolved token; pass literal names (user data is encoded before synthesis)`);
  }
  if (props.config.includes('PIPELINE_CONFIG_EOF')) {
    throw new Error(`user data for ${props.component}: the configuration must not contain the heredoc marker PIPELINE_CONFIG_EOF`);
  }
  const secretLines = props.secrets.map(
    (s) =>
      `printf '%s=%s\\n' ${s.envVar} "$(aws secretsmanager get-secret-value --region ${props.region} --secret-id ${shellQuote(s.secretName)} --query SecretString --output text)" >> /run/pipeline/app.env`,
  );
  const run = [
    'docker run --detach --restart always',
    `--name ${props.component}`,
    '--network host',
    '--env-file /run/pipeline/app.env',
    '--volume /etc/pipeline:/etc/pipeline:ro',
    '--log-driver awslogs',
    `--log-opt awslogs-region=${props.region}`,
    `--log-opt awslogs-group=${props.logGroupName}`,
    '--log-opt awslogs-stream-prefix=app',
    shellQuote(props.image),
    ...props.args.map(shellQuote),
  ].join(' \\\n  ');
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    `# ${props.component} ${props.image}`,
    'dnf install -y docker',
    'systemctl enable --now docker',
    'install -d -m 0755 /etc/pipeline',
    "cat > /etc/pipeline/config.hocon <<'PIPELINE_CONFIG_EOF'",
    props.config.trimEnd(),
    'PIPELINE_CONFIG_EOF',
    'install -d -m 0700 /run/pipeline',
    'install -m 0600 /dev/null /run/pipeline/app.env',
    ...secretLines,
    ...(props.bootScript ?? []),
    run,
    '',
  ].join('\n');
}
