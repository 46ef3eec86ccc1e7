/**
 * `features.compression` reaches the apps: each VM's boot script runs under bash with stubs, and
 * the collector's and Enrich's config files say whether they compress, on both clouds, only where
 * every reader of that stream can read compressed records; `fleet validate` says what waits.
 */
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { compressionOf } from '../../constructs/apps/compression';
import { VmService } from '../../constructs/aws/vm-service';
import { GcpVmService } from '../../constructs/gcp/vm-service';
import { unescapeTemplate } from '../../constructs/gcp/startup-script';
import { validateCustomerTexts } from '../../customers/load';
import { customerSchema } from '../../customers/schema';
import { PipelineStack } from '../../stacks/pipeline-stack';
import { runBoot } from './run-boot';

const ROOT = join(__dirname, '..', '..');
const NOW = new Date('2026-11-27T00:00:00Z');
const UUID = '0b3c4a1e-8a6f-4f1e-9a55-2a7d7c1d6e10';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a customer file as parsed JSON
function fileWith(name: string, versions: Record<string, string>, compression: boolean): any {
  const raw = structuredClone(require(join(ROOT, 'customers', `${name}.json`)));
  for (const [component, version] of Object.entries(versions)) raw.components[component].version = version;
  raw.features = { compression };
  return raw;
}

/** The config file each service's container gets, parsed, by service name. */
function configs(raw: unknown): Map<string, Record<string, any>> {
  const spec = customerSchema.parse(raw);
  const stack = new PipelineStack(Testing.app(), { spec, now: NOW });
  const out = new Map<string, Record<string, any>>();
  for (const vm of stack.node.findAll().filter((n): n is VmService | GcpVmService => n instanceof VmService || n instanceof GcpVmService)) {
    const script = vm instanceof VmService ? vm.bootScript : unescapeTemplate(vm.startupScript.replace(/\$\{TfToken\[[^\]]+\]\}/g, '10.30.0.3'));
    const r = runBoot(script, { '*': UUID, [UUID]: '{"username":"iglu","password":"pw"}' });
    expect(r.status).toBe(0);
    const file = vm.launch.files.find((f) => /^(collector|enrich)\.hocon$/.test(f.path));
    if (file) out.set(vm.launch.service, JSON.parse(r.file(join('run', 'pipeline', vm.launch.service, 'config', file.path))));
  }
  return out;
}

describe.each([
  ['aws', 'globex-games-dev', { collector: '3.7.0', enrich: '6.13.1', 's3-loader': '3.2.0', 'elasticsearch-loader': '3.0.1' }],
  ['gcp', 'helios-media-staging', { collector: '3.7.0', enrich: '6.13.1', 'bigquery-loader': '2.2.0' }],
] as const)('%s (%s)', (_cloud, name, versions) => {
  test('with every reader ready, the collector and Enrich both compress', () => {
    const c = configs(fileWith(name, versions, true));
    expect(c.get('collector')!.collector.compression).toEqual({ enabled: true });
    expect(c.get('enrich')!.compression).toEqual({ enabled: true });
  });

  test('without the feature, neither does', () => {
    const c = configs(fileWith(name, versions, false));
    expect(c.get('collector')!.collector.compression).toBeUndefined();
    expect(c.get('enrich')!.compression).toBeUndefined();
  });
});

describe('a stream waits for its slowest reader', () => {
  test('the raw stream stays uncompressed under an Enrich older than 6.1.0', () => {
    const spec = customerSchema.parse(fileWith('globex-games-dev', { collector: '3.7.0', enrich: '6.0.0' }, true));
    expect(compressionOf(spec)).toEqual({
      raw: false,
      enriched: false,
      waiting: [
        'the raw stream stays uncompressed until enrich >= 6.1.0 runs (pinned 6.0.0)',
        'the enriched stream stays uncompressed until enrich >= 6.11.0 runs (pinned 6.0.0)',
        'the enriched stream stays uncompressed until elasticsearch-loader >= 3.0.0 runs (pinned 2.0.1)',
      ],
    });
  });

  test('the enriched stream stays uncompressed while a loader is below its minimum, or while RDB Loader reads it', () => {
    const old = customerSchema.parse(fileWith('globex-games-dev', { collector: '3.7.0', enrich: '6.13.1', 'elasticsearch-loader': '2.1.3' }, true));
    expect(compressionOf(old)).toMatchObject({ raw: true, enriched: false, waiting: ['the enriched stream stays uncompressed until elasticsearch-loader >= 3.0.0 runs (pinned 2.1.3)'] });
    const rdb = fileWith('nordic-news-prod', { collector: '3.7.0', enrich: '6.13.1', 's3-loader': '3.2.0' }, true);
    const c = configs(rdb);
    expect(c.get('collector')!.collector.compression).toEqual({ enabled: true });
    expect(c.get('enrich')!.compression).toBeUndefined();
    const { warnings } = validateCustomerTexts([{ file: 'nordic-news-prod.json', text: JSON.stringify(rdb) }], { now: NOW });
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'features.compression', got: 'the enriched stream stays uncompressed while rdb-loader reads it (it reads no compressed records)' }));
  });

  test('versions below both minimums are said too, and a prerelease pin does not stop the check', () => {
    const spec = customerSchema.parse(fileWith('acme-retail-staging', { collector: '3.4.0', enrich: '6.12.0-rc1' }, true));
    expect(compressionOf(spec).waiting).toEqual([
      'the raw stream stays uncompressed until collector >= 3.6.0 runs (pinned 3.4.0)',
      'the enriched stream stays uncompressed until s3-loader >= 3.2.0 runs (pinned 3.0.0)',
    ]);
    const { warnings, issues } = validateCustomerTexts([{ file: 'acme-retail-staging.json', text: JSON.stringify(fileWith('acme-retail-staging', { collector: '3.7.0-rc1' }, true)) }], { now: NOW });
    expect(issues).toEqual([]);
    expect((warnings ?? []).map((w) => w.got)).toEqual(['the enriched stream stays uncompressed until enrich >= 6.11.0 runs (pinned 6.2.1)', 'the enriched stream stays uncompressed until s3-loader >= 3.2.0 runs (pinned 3.0.0)']);
  });

  test('a reader the file adds (a role on the stream) keeps that stream uncompressed; a person\'s stream-read grant does not', () => {
    const raw = fileWith('acme-retail-staging', { collector: '3.7.0', enrich: '6.13.1', 's3-loader': '3.2.0', 'snowflake-streaming-loader': '0.6.0' }, true);
    raw.roles = [{ name: 'stream-reader', description: 'reads events', assumedBy: raw.trustedPrincipals.slice(0, 1).map((t: { principal: string }) => t.principal), statements: [{ actions: ['kinesis:GetRecords'], resources: ['enriched-stream'] }] }];
    const c = compressionOf(customerSchema.parse(raw));
    expect(c).toMatchObject({ raw: true, enriched: false });
    expect(c.waiting).toEqual(['the enriched stream stays uncompressed while role stream-reader reads it (a custom consumer must decompress first; remove that access to compress)']);
  });
});
