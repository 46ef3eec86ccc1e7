/** The example customers on 2026-11-27, through the planner and through the CLI. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/fleet';
import { loadCustomers } from '../../customers/load';
import { catalogVersionCheck, loadCatalog } from '../../upgrades/catalog/load';
import { environmentFromSpec, planFleet } from '../../upgrades/planner/plan';
import { loadPolicy } from '../../upgrades/policy';
import { renderJson } from '../../upgrades/report/json';
import { renderMarkdown } from '../../upgrades/report/markdown';
import { changeOf, deferredOf, NOW, ROOT, statusOf } from './fixtures';

function examplePlan() {
  const catalog = loadCatalog(join(ROOT, 'upgrades', 'catalog')).catalog!;
  const policy = loadPolicy(join(ROOT, 'upgrades', 'policy.json')).policy!;
  const { customers } = loadCustomers(join(ROOT, 'customers'), { now: NOW, checkVersion: catalogVersionCheck(catalog) });
  return planFleet(
    customers.map((c) => environmentFromSpec(c.spec)),
    catalog,
    policy,
    NOW,
  );
}

describe('the example fleet on 2026-11-27', () => {
  const plan = examplePlan();

  test('has real work in it: canary, non-prod, prod ring 2, prod ring 3', () => {
    expect(plan.generatedFor).toBe('2026-11-27');
    // Other example customers may join these waves; these four must be where the rings put them.
    const waveOf = (stack: string) => plan.waves.find((w) => w.environments.some((e) => e.stack === stack));
    expect(waveOf('globex-games-dev')).toMatchObject({ number: 1, name: 'canary', start: '2026-11-27' });
    expect(waveOf('acme-retail-staging')).toMatchObject({ number: 2, name: 'non-prod', start: '2026-12-01' });
    expect(waveOf('acme-retail-prod')).toMatchObject({ number: 3, name: 'prod ring 2', start: '2026-12-08' });
    expect(waveOf('nordic-news-prod')).toMatchObject({ number: 4, name: 'prod ring 3', start: '2026-12-12' });
    expect(plan.summary.overdueSecurityFixes).toBeGreaterThan(10);
  });

  test('nordic-news-prod moves collector 2.9.0 onto its approved major 3', () => {
    // 2.x is the preceding major line, so supported; the approval lets the fixes in 3.x through.
    expect(statusOf(plan, 'nordic-news-prod', 'collector')).toMatchObject({ support: 'supported', decision: 'upgrade', target: '3.4.0' });
    const c = changeOf(plan, 'nordic-news-prod', 'collector')!;
    expect(c.reasons).toContain('major 3 approved by cto@nordicnews.se (SUP-5077)');
    expect(c.reasons.some((r) => r.startsWith('migration (3.0.0): Accept the Snowplow Limited Use License'))).toBe(true);
  });

  test('nordic-news-prod rdb-loader is held', () => {
    expect(deferredOf(plan, 'nordic-news-prod', 'rdb-loader')[0].reason).toMatch(/^held until 2026-12-15: Redshift cluster resize in progress \(SUP-5120\)/);
  });

  test('acme-retail-prod waits out its freeze; without compression no prerequisite is pulled in', () => {
    const env = plan.waves[2].environments.find((e) => e.stack === 'acme-retail-prod')!;
    expect(env.notes[0]).toBe('in a freeze now: freeze 2026-11-20..2026-12-02 (Black Friday and Cyber Monday peak)');
    expect(env.window.local).toBe('Tue 2026-12-08 02:00+00:00 to 06:00+00:00 Europe/London');
    expect(env.changes.map((c) => c.component)).toEqual(['collector', 'enrich', 's3-loader', 'iglu-server']);
    expect(env.changes.flatMap((c) => c.reasons).some((r) => r.startsWith('prerequisite'))).toBe(false);
  });

  test('globex-games-dev elasticsearch-loader takes the fixes 2.x carries instead of waiting for major 3', () => {
    expect(changeOf(plan, 'globex-games-dev', 'elasticsearch-loader')).toMatchObject({ from: '2.0.1', to: '2.1.3' });
    expect(deferredOf(plan, 'globex-games-dev', 'elasticsearch-loader')[0].reason).toContain('elasticsearch-loader 3.0.0 is a major upgrade that needs customer approval');
  });

  test('enrich 6.5.0 gets 6.9.0\'s security fix, which the old catalog did not know', () => {
    const c = changeOf(plan, 'globex-games-dev', 'enrich')!;
    expect(c.to).toBe('6.10.0');
    expect(statusOf(plan, 'globex-games-dev', 'enrich').missingSecurityFixes.map((f) => f.version)).toContain('6.9.0');
  });

  test('JSON and Markdown are identical run to run', () => {
    const again = examplePlan();
    expect(renderJson(again)).toBe(renderJson(plan));
    expect(renderMarkdown(again)).toBe(renderMarkdown(plan));
    expect(renderMarkdown(plan)).toContain('```mermaid');
  });
});

describe('fleet upgrades plan', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: ROOT });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('prints the waved plan and writes JSON and Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    const table = await run(['upgrades', 'plan', '--at', '2026-11-27']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('Wave 4  prod ring 3  starts 2026-12-12');
    const r = await run(['upgrades', 'plan', '--at', '2026-11-27', '--json', '--out', join(dir, 'plan.json'), '--md', join(dir, 'plan.md')]);
    expect(r).toMatchObject({ code: 0, out: `wrote ${join(dir, 'plan.json')}\nwrote ${join(dir, 'plan.md')}` });
    const json = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(json.waves[0]).toMatchObject({ number: 1, name: 'canary', start: '2026-11-27', fastTrack: false });
    expect(json.waves[0].environments[0].changes[0]).toEqual(expect.objectContaining({ component: 'enrich', from: '6.5.0', to: '6.10.0', score: expect.any(Number), reasons: expect.any(Array) }));
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toContain('## Wave 1: canary');
    expect(readdirSync(dir).sort()).toEqual(['plan.json', 'plan.md']);
  });

  test('an unknown pin makes that environment unknown; the rest is planned and fleet validate fails on that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-unknown-'));
    cpSync(join(ROOT, 'customers'), join(dir, 'customers'), { recursive: true });
    const file = join(dir, 'customers', 'acme-retail-staging.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"version": "3.4.0"', '"version": "3.4.1"'));
    const prerelease = join(dir, 'customers', 'helios-media-staging.json');
    writeFileSync(prerelease, readFileSync(prerelease, 'utf8').replace('"version": "6.2.1"', '"version": "6.11.0-rc1"'));
    const r = await run(['upgrades', 'plan', '--customers', join(dir, 'customers'), '--at', '2026-11-27', '--json', '--out', join(dir, 'plan.json')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: acme-retail-staging is not planned: collector 3.4.1 is not in the release catalog');
    const json = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(json.unknown).toEqual([
      { stack: 'acme-retail-staging', customer: 'acme-retail', environment: 'staging', reasons: ['collector 3.4.1 is not in the release catalog'] },
      {
        stack: 'helios-media-staging',
        customer: 'helios-media',
        environment: 'staging',
        reasons: ['enrich 6.11.0-rc1 is a prerelease; prereleases never enter the fleet'],
      },
    ]);
    expect(json.summary.unknownEnvironments).toBe(2);
    const planned = json.waves.flatMap((w: any) => w.environments.map((e: any) => e.stack));
    expect(planned).not.toContain('acme-retail-staging');
    expect(planned).toEqual(expect.arrayContaining(['acme-retail-prod', 'globex-games-dev', 'helios-media-prod', 'nordic-news-prod']));
    expect(json.deferred.find((d: any) => d.stack === 'acme-retail-staging' && d.component === 'enrich').reason).toMatch(/^not planned: the environment is unknown/);
    const v = await run(['validate', '--customers', join(dir, 'customers'), '--at', '2026-11-27']);
    expect(v.code).toBe(1);
    expect(v.err).toContain(`${file}: components.collector.version: expected a collector version from the release catalog, got "3.4.1"`);
    expect(v.err).toContain('nearest known: 3.3.0, 3.4.0, 3.5.0, 3.6.0');
    expect(v.err).toContain(`${prerelease}: components.enrich.version`);
  });

  test('bad input prints every issue and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-bad-'));
    cpSync(join(ROOT, 'customers'), join(dir, 'customers'), { recursive: true });
    const file = join(dir, 'customers', 'acme-retail-staging.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"environment": "staging"', '"environment": "qa"'));
    const r = await run(['upgrades', 'plan', '--customers', join(dir, 'customers'), '--at', '2026-11-27', '--json', '--out', join(dir, 'plan.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}: environment`);
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });

  test('fleet validate also checks the catalog and the policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    writeFileSync(join(dir, 'policy.json'), '{ "supportWindow": {} }');
    const r = await run(['validate', '--at', '2026-11-27', '--policy', join(dir, 'policy.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'policy.json')}: supportWindow.granularity`);
    const ok = await run(['validate', '--at', '2026-11-27']);
    expect(ok.code).toBe(0);
  });
});
