/**
 * The harness itself: a boot script written to the contracts passes, and each defect the issue
 * found, put back into that script one at a time, is reported. Without this a check that can
 * never fire (or never pass) would go unnoticed.
 */
import { awsSpec } from '../support/specs';
import { stackFacts } from './contracts/stack-facts';
import type { BootScript, StackJson } from './extract';
import { checkBootScript } from './harness';

const KEY_ID = 'acme-retail-prod/snowflake-streaming-loader/snowflake-private-key';

const FETCH = `key=$(aws secretsmanager get-secret-value --region eu-west-1 --secret-id ${KEY_ID} --query SecretString --output text) || { echo "cannot read secret ${KEY_ID}" >&2; exit 1; }
[ -n "$key" ] || { echo "secret ${KEY_ID} is empty" >&2; exit 1; }
export SNOWFLAKE_PRIVATE_KEY="$key"`;

const GOOD = `#!/bin/bash
set -euo pipefail
dnf install -y docker
systemctl enable --now docker
install -d -m 0755 /opt/snowplow/config
cat > /opt/snowplow/config/loader.hocon <<'EOF'
{
  "license": { "accept": true }
  "input": { "streamName": "acme-retail-prod-enriched", "appName": "acme-retail-prod-snowflake-streaming-loader" }
  "output": {
    "good": { "url": "https://acme-retail.snowflakecomputing.com", "user": "SNOWPLOW_LOADER", "privateKey": \${SNOWFLAKE_PRIVATE_KEY}, "database": "ANALYTICS", "schema": "ATOMIC", "channel": \${HOSTNAME} }
    "bad": { "streamName": "acme-retail-prod-bad" }
  }
}
EOF
${FETCH}
token=$(curl -sSf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
id=$(curl -sSf -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)
docker run --detach --restart always --name loader --network host --env SNOWFLAKE_PRIVATE_KEY \\
  --mount type=bind,source=/opt/snowplow/config,target=/snowplow/config,readonly \\
  --log-driver awslogs --log-opt awslogs-group=/pipeline/acme-retail-prod/snowflake --log-opt "awslogs-stream=$id" \\
  snowplow/snowflake-loader-kinesis:0.6.1 --config /snowplow/config/loader.hocon
`;

const stack: StackJson = {
  resource: {
    aws_kinesis_stream: { enriched: { name: 'acme-retail-prod-enriched' }, bad: { name: 'acme-retail-prod-bad' } },
    aws_dynamodb_table: { lease: { name: 'acme-retail-prod-snowflake-streaming-loader' } },
  },
};
const spec = awsSpec('acme-retail-prod.json', (raw) => {
  raw.components['snowflake-streaming-loader'].version = '0.6.1';
});
const subject = { label: 'self-test', spec, stack, facts: stackFacts(stack, ''), scripts: [] };

function script(text: string): BootScript {
  return { cloud: 'aws', address: 'aws_launch_template.self', component: 'snowflake-streaming-loader', script: text, placeholders: [], resource: {}, image: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' };
}

async function problems(text: string): Promise<string[]> {
  return (await checkBootScript(subject, script(text))).problems;
}

function replaced(...edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the good script has no ${from}`);
    return text.replace(from, to);
  }, GOOD);
}

describe('boot-script harness', () => {
  test('a script that follows the contract boots cleanly, multi-line key and per-instance channel included', async () => {
    expect(await problems(GOOD)).toEqual([]);
  }, 60_000);

  test.each([
    ['the ECS-only awslogs-stream-prefix', ['--log-opt "awslogs-stream=$id"', '--log-opt awslogs-stream-prefix=app'], /unknown log opt 'awslogs-stream-prefix' for awslogs/, null],
    ['an unknown docker flag', ['--network host', '--network host --restart-policy always'], /unknown flag: --restart-policy/, null],
    ['a PEM written into an env file', ['export SNOWFLAKE_PRIVATE_KEY="$key"', "install -m 0600 /dev/null /run/app.env; printf 'SNOWFLAKE_PRIVATE_KEY=%s\\n' \"$key\" >> /run/app.env"], /variable '-----END PRIVATE KEY-----' contains whitespaces/, ['--env SNOWFLAKE_PRIVATE_KEY \\', '--env-file /run/app.env \\']],
    ['a secret on the docker command line', ['--env SNOWFLAKE_PRIVATE_KEY \\', '--env "SNOWFLAKE_PRIVATE_KEY=$key" \\'], /docker command line holds the value/, null],
    ['a failed fetch that keeps booting', [FETCH, `export SNOWFLAKE_PRIVATE_KEY="$(aws secretsmanager get-secret-value --secret-id ${KEY_ID} --query SecretString --output text)"`], /cannot be read, the boot script exits 0/, null],
    ['an empty secret that keeps booting', [`[ -n "$key" ] || { echo "secret ${KEY_ID} is empty" >&2; exit 1; }`, ''], /is empty, the boot still starts loader/, null],
    ['settings under destination', ['"license": { "accept": true }', '"license": { "accept": true }\n  "destination": { "account": "x" }'], /`destination` is not a key of this app/, null],
    ['one channel for every instance', ['"channel": ${HOSTNAME}', '"channel": "loader"'], /output.good.channel is "loader" on every instance/, null],
    ['a config path the container cannot see', ['--config /snowplow/config/loader.hocon', '--config /etc/loader.hocon'], /not under any mount/, null],
    ['no licence acceptance', ['"license": { "accept": true }', ''], /refuses to start without licence acceptance/, null],
    ['the secret on a persistent disk', ['export SNOWFLAKE_PRIVATE_KEY="$key"', 'export SNOWFLAKE_PRIVATE_KEY="$key"; printf %s "$key" > /opt/snowplow/key.pem'], /opt\/snowplow\/key.pem is on a persistent disk/, null],
    ['the secret in the boot log', ['export SNOWFLAKE_PRIVATE_KEY="$key"', 'export SNOWFLAKE_PRIVATE_KEY="$key"; echo "$key"'], /boot log .* holds the value/, null],
  ] as [string, [string, string], RegExp, [string, string] | null][])('reports %s', async (_what, edit, expected, more) => {
    // Four columns in every row: jest would take a missing fourth for the done callback.
    const found = await problems(replaced(edit, ...(more ? [more] : [])));
    expect(found.some((p) => expected.test(p))).toBe(true);
  }, 60_000);
});
