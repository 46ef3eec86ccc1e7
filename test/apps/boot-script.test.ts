/**
 * The one boot script, run under bash with stub docker/aws/curl/systemctl/iptables against a
 * temporary root: secrets arrive (multi-line too) in a tmpfs config only root and the pipeline
 * group read, never in docker's arguments; a missing, empty or malformed value stops the boot
 * before any container; a changed secret restarts the app; COS opens the served ports.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTOR_CONTRACTS } from '../../constructs/apps/components/collector';
import { ENRICH_CONTRACTS } from '../../constructs/apps/components/enrich';
import { IGLU_SERVER_CONTRACTS } from '../../constructs/apps/components/iglu-server';
import { SNOWFLAKE_LOADER_CONTRACTS } from '../../constructs/apps/components/snowflake-streaming-loader';
import { launch } from '../../constructs/apps/launch';
import { renderUserDataScript } from '../../constructs/aws/user-data';
import { renderStartupScript, unescapeTemplate } from '../../constructs/gcp/startup-script';
import { rerun, runBoot } from './run-boot';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nq"uo\\te&d $(rm -rf /) `x`\n-----END PRIVATE KEY-----';
const SECRET_ID = 'acme-prod/snowflake-streaming-loader/snowflake-private-key';

function snowflakeScript(maxSize = 3): string {
  const l = launch(
    SNOWFLAKE_LOADER_CONTRACTS,
    { cloud: 'aws', region: 'eu-west-1' },
    'snowflake-streaming-loader',
    { version: '0.6.0', settings: { account: 'acme.eu-west-1', user: 'LOADER', database: 'DB', schema: 'ATOMIC' }, secrets: ['snowflake-private-key'], sizing: { maxSize } },
    { input: 'acme-prod-enriched', bad: 'acme-prod-bad', appName: 'acme-prod-snowflake' },
  );
  return renderUserDataScript(l, { region: 'eu-west-1', logGroupName: '/pipeline/acme-prod/snowflake-streaming-loader', secretIds: { 'snowflake-private-key': SECRET_ID } });
}

const CONFIG = 'run/pipeline/snowflake-streaming-loader/config/snowflake-loader.hocon';

describe('AWS boot script', () => {
  test('a multi-line PEM reaches the config byte for byte, on tmpfs, and never docker or its environment', () => {
    const r = runBoot(snowflakeScript(), { [SECRET_ID]: PEM });
    expect(r.stderr).toContain('started snowflake-loader');
    expect(r.status).toBe(0);
    const config = JSON.parse(r.file(CONFIG));
    expect(config.output.good.privateKey).toBe(PEM);
    expect(config.license).toEqual({ accept: true });
    // 2-6 loaders: each instance its own channel.
    expect(config.output.good.channel).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(statSync(join(r.root, CONFIG)).mode & 0o777).toBe(0o640);
    const docker = r.calls('docker').filter((c) => c[0] === 'run');
    expect(docker).toHaveLength(1);
    const args = docker[0];
    expect(args.join(' ')).not.toContain('MIIEvQ');
    expect(args).not.toContain('--env-file');
    expect(args).toEqual(expect.arrayContaining(['--group-add', '2470', '--log-driver', 'awslogs', '--log-opt', 'awslogs-group=/pipeline/acme-prod/snowflake-streaming-loader']));
    expect(args.filter((a) => a.startsWith('awslogs-')).map((a) => a.split('=')[0]).sort()).toEqual(['awslogs-group', 'awslogs-region', 'awslogs-stream']);
    expect(args.slice(-3)).toEqual(['snowplow/snowflake-loader-kinesis:0.6.0', '--config', '/snowplow/config/snowflake-loader.hocon']);
    // Re-runs on every later boot through cloud-init's per-boot scripts; the refresh timer is enabled.
    expect(r.file('var/lib/cloud/scripts/per-boot/pipeline-snowflake-streaming-loader.sh')).toContain('materialize.sh');
    expect(r.calls('systemctl')).toContainEqual(['enable', '--now', 'pipeline-refresh-snowflake-streaming-loader.timer']);
  });

  test('a single loader keeps the default channel', () => {
    const r = runBoot(snowflakeScript(1), { [SECRET_ID]: PEM });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.file(CONFIG)).output.good.channel).toBeUndefined();
  });

  test.each([
    ['missing', {}],
    ['empty', { [SECRET_ID]: '' }],
  ])('a %s secret stops the boot naming it, before any container runs', (_kind, answers) => {
    const r = runBoot(snowflakeScript(), answers);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FATAL: .*secret snowflake-private-key \(SNOWFLAKE_PRIVATE_KEY\)/);
    expect(r.stderr).toContain(SECRET_ID);
    expect(r.calls('docker').filter((c) => c[0] === 'run')).toEqual([]);
  });

  test('a changed secret restarts the app; an unchanged one or a failed re-read leaves it running', () => {
    const first = runBoot(snowflakeScript(), { [SECRET_ID]: PEM });
    expect(first.status).toBe(0);
    const restarts = () => first.calls('docker').filter((c) => c[0] === 'restart');
    expect(rerun(first.root, '@etc/pipeline/snowflake-streaming-loader/refresh.sh', { [SECRET_ID]: PEM }).status).toBe(0);
    expect(restarts()).toEqual([]);
    expect(rerun(first.root, '@etc/pipeline/snowflake-streaming-loader/refresh.sh', {}).status).not.toBe(0);
    expect(JSON.parse(first.file(CONFIG)).output.good.privateKey).toBe(PEM);
    expect(restarts()).toEqual([]);
    expect(rerun(first.root, '@etc/pipeline/snowflake-streaming-loader/refresh.sh', { [SECRET_ID]: `${PEM}\n` + 'rotated' }).status).toBe(0);
    expect(restarts()).toEqual([['restart', 'snowflake-loader']]);
    expect(JSON.parse(first.file(CONFIG)).output.good.privateKey).toBe(`${PEM}\nrotated`);
  });

  test('enrich gets its config, resolver with the Iglu URL and an enrichments directory of parseable files', () => {
    const l = launch(
      ENRICH_CONTRACTS,
      { cloud: 'aws', region: 'eu-west-1' },
      'enrich',
      { version: '6.2.1', settings: { assetsUpdatePeriod: '7 days' } },
      { input: 'raw', good: 'enriched', bad: 'bad', appName: 'acme-enrich', igluServer: true, enrichments: { anon_ip: { schema: 'iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1', data: { name: 'anon_ip', vendor: 'com.snowplowanalytics.snowplow', enabled: true, parameters: { anonOctets: 1 } } } } },
    );
    const script = renderUserDataScript(l, { region: 'eu-west-1', logGroupName: '/pipeline/acme/enrich', igluUrlParameter: '/pipeline/acme/iglu-url' });
    const r = runBoot(script, { '/pipeline/acme/iglu-url': 'http://internal-acme-iglu-1.eu-west-1.elb.amazonaws.com/api' });
    expect(r.status).toBe(0);
    const dir = 'run/pipeline/enrich/config';
    const resolver = JSON.parse(r.file(`${dir}/iglu_resolver.json`));
    expect(resolver.data.repositories[0].connection.http.uri).toBe('http://internal-acme-iglu-1.eu-west-1.elb.amazonaws.com/api');
    for (const name of ['anon_ip', 'campaign_attribution', 'event_fingerprint_config', 'yauaa_enrichment_config']) {
      expect(JSON.parse(r.file(`${dir}/enrichments/${name}.json`)).data.name).toBe(name);
    }
    const args = r.calls('docker').find((c) => c[0] === 'run')!;
    expect(args.slice(-6)).toEqual(['--config', '/snowplow/config/enrich.hocon', '--iglu-config', '/snowplow/config/iglu_resolver.json', '--enrichments', '/snowplow/config/enrichments']);
    expect(JSON.parse(r.file(`${dir}/enrich.hocon`)).input).toEqual({ appName: 'acme-enrich', streamName: 'raw', initialPosition: { type: 'TRIM_HORIZON' } });
  });

  test('Iglu runs setup to completion before the server, and refuses a super API key that is not a UUID', () => {
    const l = launch(IGLU_SERVER_CONTRACTS, { cloud: 'aws', region: 'eu-west-1' }, 'iglu-server', { version: '0.14.0', secrets: ['iglu-super-api-key'] }, { port: 8080, dbName: 'iglu', dbUser: 'iglu' });
    const script = renderUserDataScript(l, { region: 'eu-west-1', logGroupName: '/pipeline/acme/iglu', secretIds: { 'iglu-super-api-key': 'acme/iglu-server/iglu-super-api-key' }, igluDatabaseIdentifier: 'acme-iglu' });
    const answers = { 'acme/iglu-server/iglu-super-api-key': '0b3c4a1e-8a6f-4f1e-9a55-2a7d7c1d6e10', 'acme-iglu': 'acme-iglu.c1.eu-west-1.rds.amazonaws.com' };
    // describe-db-instances answers the host for both queries; the secret ARN lookup then fails,
    // so give the managed secret under that "ARN" too.
    const r = runBoot(script, { ...answers, 'acme-iglu.c1.eu-west-1.rds.amazonaws.com': '{"username":"iglu","password":"p@ss\\"w0rd"}' });
    expect(r.stderr).toContain('started iglu-server');
    const runs = r.calls('docker').filter((c) => c[0] === 'run');
    expect(runs.map((c) => c[c.indexOf('--name') + 1])).toEqual(['iglu-server-setup', 'iglu-server']);
    expect(runs[0]).toContain('--rm');
    expect(runs[0].slice(-3)).toEqual(['setup', '--config', '/snowplow/config/iglu-server.hocon']);
    const config = JSON.parse(r.file('run/pipeline/iglu-server/config/iglu-server.hocon'));
    expect(config).toMatchObject({ license: { accept: true }, superApiKey: answers['acme/iglu-server/iglu-super-api-key'], database: { password: 'p@ss"w0rd' } });
    const bad = runBoot(script, { ...answers, 'acme/iglu-server/iglu-super-api-key': 'not-a-uuid', 'acme-iglu.c1.eu-west-1.rds.amazonaws.com': '{"password":"x"}' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/secret iglu-super-api-key \(IGLU_SUPER_API_KEY\) does not match/);
    expect(bad.stderr).not.toContain('not-a-uuid');
  });
});

describe('GCP startup script', () => {
  test('the collector opens its port in the COS host firewall and ships logs with gcplogs', () => {
    const l = launch(COLLECTOR_CONTRACTS, { cloud: 'gcp', projectId: 'p' }, 'collector', { version: '2.9.0' }, { good: 'raw', bad: 'bad', port: 8080, cookieDomain: 'c.example.com' });
    const r = runBoot(unescapeTemplate(renderStartupScript(l, { projectId: 'p' })));
    expect(r.status).toBe(0);
    expect(r.calls('iptables')).toEqual([
      ['-C', 'INPUT', '-p', 'tcp', '--dport', '8080', '-j', 'ACCEPT'],
      ['-A', 'INPUT', '-p', 'tcp', '--dport', '8080', '-j', 'ACCEPT'],
    ]);
    // Collector 2.x: the 2.x config shape, no license.
    const config = JSON.parse(r.file('run/pipeline/collector/config/collector.hocon'));
    expect(config.collector.streams).toEqual({ good: 'raw', bad: 'bad', sink: { googleProjectId: 'p' } });
    expect(config.collector.license).toBeUndefined();
    const run = r.calls('docker').find((c) => c[0] === 'run')!;
    expect(run).toEqual(expect.arrayContaining(['--log-driver', 'gcplogs']));
    expect(run.some((a) => a.startsWith('awslogs') || a.startsWith('max-'))).toBe(false);
  });

  test('Iglu reads its password from Secret Manager with the VM token on stdin, never in curl arguments', () => {
    const l = launch(IGLU_SERVER_CONTRACTS, { cloud: 'gcp', projectId: 'p' }, 'iglu-server', { version: '0.12.0' }, { port: 8080, dbName: 'iglu', dbUser: 'iglu' });
    const r = runBoot(unescapeTemplate(renderStartupScript(l, { projectId: 'p', igluDatabase: { host: '10.30.0.3', passwordSecretId: 'x-iglu-db-password' } })), { 'x-iglu-db-password': 'multi\nline' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.file('run/pipeline/iglu-server/config/iglu-server.hocon')).database).toMatchObject({ host: '10.30.0.3', password: 'multi\nline' });
    expect(r.calls('curl').flat().join(' ')).not.toContain('ya29.stub');
    const missing = runBoot(unescapeTemplate(renderStartupScript(l, { projectId: 'p', igluDatabase: { host: '10.30.0.3', passwordSecretId: 'x-iglu-db-password' } })), {});
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/could not read iglu-db-password \(IGLU_DB_PASSWORD\): add a version with gcloud secrets versions add x-iglu-db-password/);
  });
});
