import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformResource } from 'cdktf';
import { loadCustomers } from '../../customers/load';
import { fixedClock, clockFromEnv } from '../../stacks/clock';
import { synthFleet } from '../../stacks/synth-fleet';
import { awsSpec, CUSTOMERS_DIR, NOW, resources, synthStack } from '../support/specs';

describe('PipelineStack', () => {
  const json = JSON.parse(synthStack(awsSpec()));

  test('keeps its own state under <customer>/<environment> with locking', () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'fleet-tfstate-acme-retail',
      key: 'acme-retail/prod/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      dynamodb_table: 'fleet-tfstate-locks',
    });
    const staging = JSON.parse(synthStack(awsSpec('acme-retail-staging.json')));
    expect(staging.terraform.backend.s3.key).toBe('acme-retail/staging/terraform.tfstate');
    expect(staging.terraform.backend.s3.use_lockfile).toBe(true);
  });

  test("assumes the deploy role in the customer's account and refuses any other account", () => {
    const [aws] = json.provider.aws;
    expect(aws.assume_role).toEqual([{ role_arn: 'arn:aws:iam::210987654321:role/fleet-deploy', session_name: 'fleet-acme-retail-prod' }]);
    expect(aws.allowed_account_ids).toEqual(['210987654321']);
    const nordic = JSON.parse(synthStack(awsSpec('nordic-news-prod.json')));
    expect(nordic.provider.aws[0].assume_role[0].role_arn).toBe('arn:aws:iam::345678901234:role/managed-pipeline-deploy');
  });

  test('tags everything with customer, environment and managed-by, and each resource with its component', () => {
    expect(json.provider.aws[0].default_tags).toEqual([{ tags: { customer: 'acme-retail', environment: 'prod', 'managed-by': 'pipeline-fleet' } }]);
    const text = JSON.stringify(json);
    expect(resources(text, 'aws_kinesis_stream')[0].tags).toEqual({ component: 'pipeline' });
    expect(resources(text, 'aws_lb').find((l) => l.name === 'acme-retail-prod-col')!.tags).toEqual({ component: 'collector' });
    expect(resources(text, 'aws_dynamodb_table').find((t) => t.name === 'acme-retail-prod-enrich')!.tags).toEqual({ component: 'enrich' });
    expect(resources(text, 'aws_secretsmanager_secret').find((s) => s.name.includes('snowflake'))!.tags).toEqual({ component: 'snowflake-streaming-loader' });
  });

  test('synthesis is byte-identical across runs', () => {
    expect(synthStack(awsSpec())).toBe(synthStack(awsSpec()));
  });

  test('resolves each resource twice: before the aspects (the policy rules read that) and for cdk.tf.json', async () => {
    // GIVEN
    const toTerraform = jest.spyOn(TerraformResource.prototype, 'toTerraform');
    const outDir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    // WHEN
    await synthFleet([awsSpec()], { outDir, now: NOW, workers: 1 });
    const calls = toTerraform.mock.calls.length;
    toTerraform.mockRestore();
    // THEN
    const written = JSON.parse(readFileSync(join(outDir, 'stacks', 'acme-retail-prod', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, object> };
    const count = Object.values(written.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(calls).toBe(2 * count);
  });
});

describe('synthFleet', () => {
  const specs = loadCustomers(CUSTOMERS_DIR, { now: NOW }).customers.map((c) => c.spec);

  test('writes one stack per customer environment, byte-identical on a second run', async () => {
    const a = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    const b = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    const first = await synthFleet(specs, { outDir: a, now: NOW });
    await synthFleet(specs, { outDir: b, now: NOW });
    expect(first.stacks).toEqual(expect.arrayContaining(['acme-retail-prod', 'acme-retail-staging', 'globex-games-dev', 'nordic-news-prod']));
    expect(readdirSync(join(a, 'stacks')).sort()).toEqual([...first.stacks].sort());
    for (const stack of first.stacks) {
      const file = join('stacks', stack, 'cdk.tf.json');
      expect(readFileSync(join(a, file), 'utf8')).toBe(readFileSync(join(b, file), 'utf8'));
    }
    expect(readFileSync(join(a, 'manifest.json'), 'utf8')).toBe(readFileSync(join(b, 'manifest.json'), 'utf8'));
    expect(readFileSync(join(a, 'stacks', 'acme-retail-prod', 'cdk.tf.json'), 'utf8')).not.toContain(a);
    }, 60_000);

  test('a policy violation writes nothing and keeps the previous output', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    await synthFleet(specs, { outDir, now: NOW });
    writeFileSync(join(outDir, 'marker'), 'previous run');
    // A settings value cannot hold a secret in a valid file, so inject one past validation
    // into a setting the enrich contract renders.
    const bad = awsSpec('acme-retail-staging.json');
    (bad.components.enrich.settings as Record<string, string>).assetsUpdatePeriod = 'postgres://enrich:s3cr3tpassw0rd@db:5432/x';
    await expect(synthFleet([...specs, { ...bad, id: 'broken' }], { outDir, now: NOW })).rejects.toThrow(/FLEET-SEC1/);
    expect(readFileSync(join(outDir, 'marker'), 'utf8')).toBe('previous run');
    expect(existsSync(join(outDir, 'stacks', 'broken-staging'))).toBe(false);
    // Only the output link and its one generation: the failed run's folder is gone.
    expect(readdirSync(join(outDir, '..')).filter((f) => f !== 'out' && !/^\.out\.fleet-[0-9a-f]{12}$/.test(f))).toEqual([]);
  }, 60_000);
});

describe('clock', () => {
  test('a fixed clock and FLEET_NOW give the same instant', () => {
    expect(fixedClock('2026-12-01').now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(clockFromEnv({ FLEET_NOW: '2026-12-01' }).now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(() => fixedClock('someday')).toThrow(/not a date/);
  });
});

describe('fleet synth across worker processes', () => {
  test('the compiled CLI splits a large fleet over workers and writes what in-process synth writes', async () => {
    const { generateFleet } = await import('../../bench/synth');
    const { execFileSync } = await import('node:child_process');
    const fleetDir = generateFleet(14);
    const parallel = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    const inProcess = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    const cli = join(__dirname, '..', '..', 'bin', 'fleet.js');
    execFileSync(process.execPath, [cli, 'synth', '--customers', fleetDir, '--out', parallel, '--at', '2026-11-27'], { stdio: 'pipe' });
    const specs = loadCustomers(fleetDir, { now: NOW }).customers.map((c) => c.spec);
    await synthFleet(specs, { outDir: inProcess, now: NOW, workers: 1 });
    const stacks = readdirSync(join(inProcess, 'stacks')).sort();
    expect(readdirSync(join(parallel, 'stacks')).sort()).toEqual(stacks);
    for (const stack of stacks) {
      const file = join('stacks', stack, 'cdk.tf.json');
      expect(readFileSync(join(parallel, file), 'utf8')).toBe(readFileSync(join(inProcess, file), 'utf8'));
    }
    expect(readFileSync(join(parallel, 'manifest.json'), 'utf8')).toBe(readFileSync(join(inProcess, 'manifest.json'), 'utf8'));
  }, 180_000); // a 2-core machine shared by other runs: wall time, not a speed target
  test('a policy violation in a worker fails the whole run once every worker has stopped, and writes nothing', async () => {
    // GIVEN 26 environments (two workers) of which the last one, handed out last, breaks FLEET-SEC1
    const compiled = (await import(join(__dirname, '..', '..', 'dist', 'stacks', 'synth-fleet.js'))) as typeof import('../../stacks/synth-fleet');
    const { generateFleet } = await import('../../bench/synth');
    const specs = loadCustomers(generateFleet(25), { now: NOW }).customers.map((c) => c.spec);
    const bad = awsSpec('acme-retail-staging.json');
    (bad.components.enrich.settings as Record<string, string>).assetsUpdatePeriod = 'postgres://enrich:s3cr3tpassw0rd@db:5432/x';
    const outDir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'out');
    // WHEN / THEN
    const synthesized: string[] = [];
    await expect(compiled.synthFleet([...specs, { ...bad, id: 'zz-broken' }], { outDir, now: NOW, workers: 2, onStack: (s) => synthesized.push(s) })).rejects.toThrow(/\[FLEET-SEC1\]/);
    expect(synthesized).toHaveLength(25);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(join(outDir, '..'))).toEqual([]);
  }, 180_000);
});
