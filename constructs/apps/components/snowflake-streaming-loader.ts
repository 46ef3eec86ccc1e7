/**
 * Snowflake streaming loader (§5). `--config` only (no Iglu config). Settings land under
 * `output.good`; the private key is `${SNOWFLAKE_PRIVATE_KEY}` in Snowplow's own minimal config
 * and comes from the secret of that name here. The channel is a prefix that must be unique per
 * running loader, so with more than one instance each takes its hostname. License from 0.3.0.
 * Sources: [SFL@0.2.0, @0.4.1 config/config.kinesis.minimal.hocon, config.kinesis.reference.hocon].
 */
import { boot, imageFor, setting, type AppContract, type SecretSpec, type SettingSpec } from '../contract';
import { compact, license, oneContainer, secretBootValues, secretValue } from '../parts';

export interface SnowflakeLoaderWiring {
  readonly input: string;
  readonly bad: string;
  /** KCL app name = lease table name. */
  readonly appName: string;
}

const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  account: { type: 'string', description: 'Account identifier; the URL becomes https://<account>.snowflakecomputing.com (give this or url)' },
  url: { type: 'string', description: 'Full account URL (instead of account)' },
  user: { type: 'string', required: true, description: 'User with key-pair authentication' },
  role: { type: 'string', description: 'Role the loader uses (default: the user\'s default role)' },
  database: { type: 'string', required: true, description: 'Target database' },
  schema: { type: 'string', required: true, description: 'Target schema' },
  table: { type: 'string', description: 'Events table (default events)' },
  channel: { type: 'string', description: 'Channel prefix for a single loader (default snowplow; ignored when more than one instance may run)' },
};

const SECRETS: Readonly<Record<string, SecretSpec>> = {
  'snowflake-private-key': { variable: 'SNOWFLAKE_PRIVATE_KEY', required: true, description: 'PEM private key of the user (multi-line)' },
  'snowflake-private-key-passphrase': { variable: 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE', description: 'Passphrase of an encrypted private key' },
};

const INSTANCE = 'INSTANCE_NAME';

function contract(label: string, range: string, licensed: boolean): AppContract<SnowflakeLoaderWiring> {
  const c: AppContract<SnowflakeLoaderWiring> = {
    component: 'snowflake-streaming-loader',
    range,
    label,
    images: { aws: ['snowplow/snowflake-loader-kinesis'] },
    license: licensed ? 'config' : 'none',
    argsSummary: '--config <file>',
    settings: SETTINGS,
    secrets: SECRETS,
    health: { port: 8000, path: '/' },
    needs: ['input stream', 'output streams', 'lease table'],
    sources: 'app-contracts.md §5, §1.3, §1.4',
    launch: (common, w) => {
      if (common.cloud !== 'aws') throw new Error(`${common.service}: the pipeline runs the Snowflake loader on AWS only`);
      const account = common.settings?.account as string | undefined;
      const url = (common.settings?.url as string | undefined) ?? (account ? `https://${account}.snowflakecomputing.com` : undefined);
      if (url === undefined) throw new Error(`${common.service}: set settings.account or settings.url for the Snowflake loader`);
      const privateKey = secretValue(common, SECRETS, 'snowflake-private-key');
      if (privateKey === undefined) throw new Error(`${common.service}: the Snowflake loader needs the secret snowflake-private-key`);
      const parallel = (common.maxInstances ?? 1) > 1;
      const config = {
        ...license(licensed),
        input: { appName: w.appName, streamName: w.input, initialPosition: { type: 'TRIM_HORIZON' } },
        output: {
          good: compact({
            url,
            user: setting<string>(common, 'user'),
            privateKey,
            privateKeyPassphrase: secretValue(common, SECRETS, 'snowflake-private-key-passphrase'),
            role: common.settings?.role,
            database: setting<string>(common, 'database'),
            schema: setting<string>(common, 'schema'),
            table: common.settings?.table,
            channel: parallel ? boot(INSTANCE) : common.settings?.channel,
          }),
          bad: { streamName: w.bad },
        },
      };
      return oneContainer(common, {
        contract: `snowflake-streaming-loader ${label}`,
        name: 'snowflake-loader',
        image: imageFor(c, 'aws', common.version),
        configFile: 'snowflake-loader.hocon',
        config,
        bootValues: [
          ...secretBootValues(common, SECRETS),
          ...(parallel ? [{ variable: INSTANCE, source: { kind: 'instance-id' } as const, secret: false, pattern: '^[A-Za-z0-9._-]+$' }] : []),
        ],
        health: { port: 8000, path: '/' },
      });
    },
  };
  return c;
}

export const SNOWFLAKE_LOADER_CONTRACTS: readonly AppContract<SnowflakeLoaderWiring>[] = [
  contract('0.1-0.2', '>=0.1.0 <0.3.0', false),
  contract('0.3+', '>=0.3.0 <1.0.0', true),
];
