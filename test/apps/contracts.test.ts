/**
 * Every version the fleet may pin has a runtime contract; a pin or setting outside the contract
 * is refused naming file, field, version and what is accepted; the renderer quotes everything.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACTS, contractGap, coveredRanges } from '../../constructs/apps/registry';
import { contractTable } from '../../constructs/apps/contract-table';
import { renderConfigFile } from '../../constructs/apps/render';
import { renderBootScript } from '../../constructs/apps/boot-script';
import { awsBootBackend } from '../../constructs/aws/user-data';
import { ENRICH_CONTRACTS } from '../../constructs/apps/components/enrich';
import { launch } from '../../constructs/apps/launch';
import { validateCustomerTexts } from '../../customers/load';
import { parse } from '@pushcorn/hocon-parser';

const ROOT = join(__dirname, '..', '..');
const NOW = new Date('2026-11-27T00:00:00Z');

describe('coverage', () => {
  test('every version in the release catalog has a contract for each app of its component', () => {
    const dir = join(ROOT, 'upgrades', 'catalog');
    const gaps: string[] = [];
    let count = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const catalog = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { component: string; releases: { version: string }[] };
      for (const r of catalog.releases) {
        count += 1;
        const gap = contractGap(catalog.component, r.version);
        if (gap) gaps.push(gap);
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(gaps).toEqual([]);
  });

  test('every release since 2022 in the reference release history has a contract', () => {
    const rows = readFileSync(join(ROOT, '..', 'shared', 'reference', 'releases.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const recent = rows.filter(([, , date]) => date >= '2022');
    expect(recent.length).toBeGreaterThan(200);
    expect(recent.map(([component, version]) => contractGap(component, version)).filter(Boolean)).toEqual([]);
  });

  test('a version outside every range is a gap that names the covered ranges', () => {
    expect(contractGap('collector', '4.0.0')).toMatch(/collector 4\.0\.0 has no runtime contract; covered: 2\.x \(>=2\.0\.0 <3\.0\.0\), 3\.x \(>=3\.0\.0 <4\.0\.0\)/);
    expect(contractGap('rdb-loader', '7.0.0')).toMatch(/for transformer-kinesis/);
    expect(coveredRanges('iglu-server')).toBe('0.8-0.11 (>=0.8.0 <0.12.0), 0.12+ (>=0.12.0 <1.0.0)');
  });

  test('ranges of one app never overlap, so a version picks exactly one contract', () => {
    const versions = ['0.1.0', '0.2.4', '0.3.0', '0.8.2', '0.11.0', '0.12.0', '1.7.2', '2.0.0', '2.2.9', '2.3.0', '3.0.0', '4.2.1', '5.4.0', '6.0.0', '6.13.1'];
    for (const c of CONTRACTS) {
      const peers = CONTRACTS.filter((o) => o !== c && o.component === c.component && (o.app ?? o.component) === (c.app ?? c.component));
      for (const v of versions) {
        if (require('semver').satisfies(v, c.range)) expect(peers.filter((o) => require('semver').satisfies(v, o.range)).map((o) => o.label)).toEqual([]);
      }
    }
  });
});

function example(name: string, change: (raw: any) => void) {
  const raw = JSON.parse(readFileSync(join(ROOT, 'customers', name), 'utf8'));
  change(raw);
  return validateCustomerTexts([{ file: `customers/${name}`, text: JSON.stringify(raw, null, 2) }], { now: NOW });
}

describe('fleet validate against the contracts', () => {
  test('the example customers are valid', () => {
    const dir = join(ROOT, 'customers');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
    const r = validateCustomerTexts(
      files.map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') })),
      { now: NOW },
    );
    expect(r.issues.filter((i) => i.path.startsWith('components.'))).toEqual([]);
  });

  test('a setting the contract does not know names the file, field, version and accepted keys', () => {
    const r = example('acme-retail-prod.json', (raw) => (raw.components['snowflake-streaming-loader'].settings.warehouse = 'LOAD_WH'));
    expect(r.issues).toEqual([
      {
        file: 'customers/acme-retail-prod.json',
        path: 'components.snowflake-streaming-loader.settings.warehouse',
        expected: 'a setting snowflake-streaming-loader 0.5.0 (0.3+) knows: account, channel, database, role, schema, table, url, user',
        got: '"warehouse"',
        hint: 'remove it, or use one of account, channel, database, role, schema, table, url, user',
      },
    ]);
  });

  test('a setting or secret named like a field every object has ("toString", "constructor") is unknown, not taken for a known one', () => {
    const r = example('acme-retail-prod.json', (raw) => {
      raw.components['snowflake-streaming-loader'].settings.toString = 'x';
      raw.components['snowflake-streaming-loader'].secrets.push('constructor');
    });
    expect(r.issues.map((i) => `${i.path}: ${i.got}`)).toEqual([
      'components.snowflake-streaming-loader.settings.toString: "toString"',
      expect.stringMatching(/^components\.snowflake-streaming-loader\.secrets\.\d+: "constructor"$/),
    ]);
  });

  test('a setting of the wrong type, a missing required one, and an unknown secret are errors too', () => {
    const r = example('nordic-news-prod.json', (raw) => {
      raw.components['rdb-loader'].settings.port = '5439';
      delete raw.components['rdb-loader'].settings.database;
      raw.components.enrich.secrets = ['maxmind-license-key'];
    });
    expect(r.issues.map((i) => `${i.path}: ${i.expected}`)).toEqual([
      'components.enrich.secrets.0: a secret enrich 5.3.0 (3.x-5.x) reads: none',
      'components.rdb-loader.settings.port: a number',
      'components.rdb-loader.settings.database: a value: rdb-loader 6.x needs settings.database',
    ]);
  });

  test('a pin with no contract is refused with the covered ranges as the hint', () => {
    const r = example('nordic-news-prod.json', (raw) => (raw.components.collector.version = '4.0.0'));
    expect(r.issues).toEqual([
      expect.objectContaining({ path: 'components.collector.version', got: '"4.0.0"', hint: 'covered: 2.x (>=2.0.0 <3.0.0), 3.x (>=3.0.0 <4.0.0)' }),
    ]);
  });

  test('a version whose app does not run on the cloud is refused (enrich 2.x exists on Pub/Sub only)', () => {
    const r = example('nordic-news-prod.json', (raw) => (raw.components.enrich.version = '2.0.5'));
    expect(r.issues).toEqual([expect.objectContaining({ path: 'components.enrich.version', expected: 'a enrich version that runs on aws' })]);
  });
});

describe('the renderer', () => {
  const hostile = '"\n}\ninclude file("/etc/shadow")\nx = ${HOME}\nPIPELINE_EOF\nrm -rf / #\'';

  test('a hostile setting stays one quoted value: no new key, no substitution, no line that ends a heredoc', async () => {
    const l = launch(ENRICH_CONTRACTS, { cloud: 'aws', region: 'eu-west-1' }, 'enrich', { version: '6.2.1', settings: { assetsUpdatePeriod: hostile } }, { input: 'r', good: 'e', bad: 'b', appName: 'a', igluServer: false });
    const file = renderConfigFile(l.files.find((f) => f.path === 'enrich.hocon')!);
    expect(file.text.split('\n')).not.toContain('PIPELINE_EOF');
    const parsed = JSON.parse(file.text);
    expect(parsed.assetsUpdatePeriod).toBe(hostile);
    expect(Object.keys(parsed).sort()).toEqual(['assetsUpdatePeriod', 'input', 'license', 'output']);
    // A HOCON reader sees the same single string.
    expect(((await parse({ text: file.text, strict: true })) as Record<string, unknown>).assetsUpdatePeriod).toBe(hostile);
    const script = renderBootScript(l, awsBootBackend({ region: 'eu-west-1', logGroupName: 'g' }));
    expect(script.split('\n').filter((line) => line === 'PIPELINE_EOF').length).toBe(script.split('\n').filter((line) => line.endsWith("<<'PIPELINE_EOF'")).length);
  });

  test('a value cannot forge a boot placeholder, and keys are quoted', () => {
    expect(() => renderConfigFile({ path: 'x.hocon', format: 'hocon', content: { a: '@@BOOT_SNOWFLAKE_PRIVATE_KEY@@' } })).toThrow(/reserved for boot values/);
    expect(renderConfigFile({ path: 'x.hocon', format: 'hocon', content: { 'a.b': 1 } }).text).toBe('{\n  "a.b": 1\n}\n');
    expect(() => renderConfigFile({ path: '../x.json', format: 'json', content: {} })).toThrow(/plain relative path/);
  });
});

describe('README', () => {
  test('the contract table in the README is the one the registry generates', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = /<!-- contract-table:start -->\n([\s\S]*?)\n<!-- contract-table:end -->/.exec(readme)?.[1];
    expect(table).toBe(contractTable());
  });
});

describe('versions that are not plain x.y.z', () => {
  test('a release candidate has the contract of its release, a four-part fix that of its base', () => {
    const { CONTRACTS: all } = require('../../constructs/apps/registry');
    const { covers } = require('../../constructs/apps/contract');
    const labels = (component: string, v: string) => all.filter((c: any) => c.component === component && covers(c, v)).map((c: any) => c.label);
    expect(labels('enrich', '6.11.0-rc1')).toEqual(['6.x']);
    expect(labels('collector', '3.0.0-rc1')).toEqual(['3.x']);
    expect(labels('enrich', '3.6.0.2')).toEqual(['3.x-5.x']);
  });
});
