/**
 * The rollout attacks of issues 9 and 11, each run through the CLI on a scratch copy of the
 * example customers: deleting the state, gating on metrics from the future, re-gating a halt,
 * a no-op merge marking a wave, a queued deploy dropped, the metrics payload as the README
 * says to send it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseState } from '../../../upgrades/rollout/state';
import { planJson, WAVES } from './fixtures';
import { metricsText } from './healthy';
import { scratch } from './scratch';

function setup() {
  const s = scratch();
  mkdirSync(join(s.dir, 'plan'));
  writeFileSync(join(s.dir, 'plan', 'upgrade-plan.json'), planJson(WAVES, join(s.dir, 'customers')));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: s.dir, encoding: 'utf8' }).trim();
  const read = (path: string) => readFileSync(join(s.dir, path), 'utf8');
  return { ...s, git, read };
}

function stateOf(text: string) {
  const { state, issues } = parseState('state.json', text);
  if (!state) throw new Error(JSON.stringify(issues));
  return state;
}

/** Wave 1 applied on 11-27 and recorded as deployed on 11-27 (bake until 11-30). */
async function deployedCanary(s: ReturnType<typeof setup>) {
  expect((await s.run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27')).code).toBe(0);
  expect((await s.run('rollout', 'mark', '--deployed', '--stacks', 'globex-games-dev', '--at', '2026-11-27')).code).toBe(0);
}

describe('the state is committed: losing it is an error, not a fresh start', () => {
  test('deleting rollout/state.json after it was committed does not lift a halted canary (exit 1)', async () => {
    const s = setup();
    await deployedCanary(s);
    writeFileSync(join(s.dir, 'lag.json'), metricsText(['globex-games-dev'], '2026-11-27T00:00:00Z', '2026-11-30T00:00:00Z', (m) => ({ ...m, maxConsumerLagSeconds: 99999 })));
    expect((await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'lag.json', '--at', '2026-11-30')).code).toBe(2);
    s.git('init', '-q');
    s.git('add', '.');
    s.git('commit', '-qm', 'wave 1 halted');
    rmSync(join(s.dir, 'rollout', 'state.json'));
    // Even with a plan made from the current pins (so no pin differs from it).
    writeFileSync(join(s.dir, 'plan', 'upgrade-plan.json'), planJson([WAVES[1]], join(s.dir, 'customers')));
    const r = await s.run('rollout', 'apply', '--wave', 'next', '--at', '2026-12-01');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^rollout\/state\.json: expected the rollout state, got no such file, but git has it \(last changed in [0-9a-f]{12}\)/);
    expect(existsSync(join(s.dir, 'rollout', 'state.json'))).toBe(false);
    expect((await s.run('rollout', 'status', '--at', '2026-12-01')).code).toBe(1);
  });

  test('outside git, a missing state while pins differ from the plan is refused (exit 1), naming each pin', async () => {
    const s = setup();
    await deployedCanary(s);
    rmSync(join(s.dir, 'rollout', 'state.json'));
    const before = s.read('customers/acme-retail-staging.json');
    const r = await s.run('rollout', 'apply', '--wave', 'next', '--at', '2026-12-01');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^customers\/globex-games-dev\.json: components\.collector\.version reads "[^"]+", the plan changes it from "[^"]+" \(wave 1\)$/m);
    expect(r.err).toContain('rollout/state.json does not exist, but 1 pin(s) differ from plan/upgrade-plan.json: a wave was applied and its record is gone.');
    expect(existsSync(join(s.dir, 'rollout', 'state.json'))).toBe(false);
    expect(s.read('customers/acme-retail-staging.json')).toBe(before);
  });
});

describe('the gate window', () => {
  test('a window that ends in the future is refused (the bake would be skipped) (exit 1)', async () => {
    const s = setup();
    await deployedCanary(s);
    writeFileSync(join(s.dir, 'future.json'), metricsText(['globex-games-dev'], '2026-11-27T00:00:00Z', '2026-11-30T00:00:00Z'));
    const before = s.read('rollout/state.json');
    const r = await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'future.json', '--at', '2026-11-28');
    expect(r.code).toBe(1);
    expect(r.err).toBe('the metrics window ends 2026-11-30T00:00:00Z, after now (2026-11-28T00:00:00.000Z): metrics for a time that has not come yet would skip the bake. Export metrics up to now at the latest. Nothing was changed.');
    expect(s.read('rollout/state.json')).toBe(before);
    expect((await s.run('rollout', 'apply', '--wave', '2', '--at', '2026-11-28')).code).toBe(2);
  });

  test('a window that reaches the end of the bake but starts days after the deploy does not cover the bake', async () => {
    const s = setup();
    await deployedCanary(s);
    writeFileSync(join(s.dir, 'late.json'), metricsText(['globex-games-dev'], '2026-11-29T23:00:00Z', '2026-11-30T00:00:00Z'));
    expect((await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'late.json', '--at', '2026-11-30')).code).toBe(0);
    expect(stateOf(s.read('rollout/state.json')).waves['1'].gates[0]).toMatchObject({ verdict: 'healthy', baked: false });
    const next = await s.run('rollout', 'apply', '--wave', '2', '--at', '2026-11-30');
    expect(next.code).toBe(2);
    expect(next.err).toContain('bake runs from 2026-11-27 00:00 until 2026-11-30 00:00: gate it again with metrics over all of it');
  });

  test('re-gating a halted wave on healthy metrics does not reopen it; a new deploy mark does (then a gate over the new bake)', async () => {
    const s = setup();
    await deployedCanary(s);
    const window = ['2026-11-27T00:00:00Z', '2026-11-30T00:00:00Z'] as const;
    writeFileSync(join(s.dir, 'bad.json'), metricsText(['globex-games-dev'], ...window, (m) => ({ ...m, http5xxPer5Min: 10_000 })));
    writeFileSync(join(s.dir, 'good.json'), metricsText(['globex-games-dev'], ...window));
    expect((await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'bad.json', '--at', '2026-11-30')).code).toBe(2);
    const again = await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'good.json', '--at', '2026-11-30');
    expect(again.code).toBe(1);
    expect(again.err).toContain('has not been deployed since: a halted wave is judged again only after a new deploy');
    expect(stateOf(s.read('rollout/state.json')).waves['1'].status).toBe('halted');
    expect((await s.run('rollout', 'mark', '--deployed', '--stacks', 'globex-games-dev', '--at', '2026-12-01')).code).toBe(0);
    // The old window lies before the new deploy: it judges the old versions.
    expect((await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'good.json', '--at', '2026-12-04')).code).toBe(1);
    writeFileSync(join(s.dir, 'good2.json'), metricsText(['globex-games-dev'], '2026-12-01T00:00:00Z', '2026-12-04T00:00:00Z'));
    expect((await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'good2.json', '--at', '2026-12-04')).code).toBe(0);
    expect((await s.run('rollout', 'apply', '--wave', '2', '--at', '2026-12-04')).code).toBe(0);
  });
});

describe('mark --deployed', () => {
  test('requires the stacks that were deployed and refuses an empty set (a no-op merge marks nothing) (exit 1)', async () => {
    const s = setup();
    expect((await s.run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27')).code).toBe(0);
    const before = s.read('rollout/state.json');
    const none = await s.run('rollout', 'mark', '--wave', 'in-progress', '--deployed', '--at', '2026-11-27');
    expect(none).toMatchObject({ code: 1, err: expect.stringContaining('--stacks "ID ..." is required') });
    // What `--stacks "$STACKS"` gives when the affected set was empty.
    const empty = await s.run('rollout', 'mark', '--deployed', '--stacks', '', '--commit', 'a'.repeat(40), '--at', '2026-11-27');
    expect(empty).toMatchObject({ code: 1, err: expect.stringMatching(/^no stack was deployed \(--stacks is empty\)/) });
    expect(s.read('rollout/state.json')).toBe(before);
    expect(existsSync(join(s.dir, 'rollout', 'deployments.json'))).toBe(false);
  });

  test('records the commit per stack, with the matrix entry as it is ("a b"), and marks the wave when all its stacks are there', async () => {
    const s = setup();
    expect((await s.run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27')).code).toBe(0);
    const sha = 'b'.repeat(40);
    const r = await s.run('rollout', 'mark', '--deployed', '--stacks', 'acme-retail-prod globex-games-dev', '--commit', sha, '--at', '2026-11-28');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('wave 1 (canary) recorded as deployed on 2026-11-28 00:00');
    expect(JSON.parse(s.read('rollout/deployments.json'))).toEqual({
      formatVersion: 1,
      stacks: { 'acme-retail-prod': { commit: sha, deployedAt: '2026-11-28T00:00:00.000Z' }, 'globex-games-dev': { commit: sha, deployedAt: '2026-11-28T00:00:00.000Z' } },
    });
    expect((await s.run('rollout', 'mark', '--deployed', '--stacks', 'x', '--commit', 'HEAD')).code).toBe(1);
  });
});

describe('fleet affected --since-deployed: a queued deploy is not lost', () => {
  test('merge B is cancelled while C queues: C deploys B\'s stacks too, where --base C~1 would leave them out', async () => {
    const s = setup();
    s.git('init', '-q');
    s.git('add', '.');
    s.git('commit', '-qm', 'A');
    const a = s.git('rev-parse', 'HEAD');
    const stacks = (await s.run('affected', '--all', '--json', '--at', '2026-11-27')).out;
    const all: string[] = JSON.parse(stacks).stacks.map((x: { stack: string }) => x.stack);
    expect((await s.run('rollout', 'mark', '--deployed', '--stacks', all.join(' '), '--commit', a, '--at', '2026-11-27')).code).toBe(0);
    s.git('add', 'rollout');
    s.git('commit', '-qm', 'record A');
    const edit = (stack: string) => {
      const file = join(s.dir, 'customers', `${stack}.json`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\n$/, '\n\n'));
    };
    edit('acme-retail-staging');
    s.git('commit', '-qam', 'B'); // its deploy is cancelled: nothing recorded
    edit('helios-media-prod');
    s.git('commit', '-qam', 'C');

    const byBase = JSON.parse((await s.run('affected', '--base', 'HEAD~1', '--json', '--at', '2026-11-27')).out);
    expect(byBase.stacks.map((x: { stack: string }) => x.stack)).toEqual(['helios-media-prod']);
    const r = await s.run('affected', '--since-deployed', '--json', '--at', '2026-11-27');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.stacks.map((x: { stack: string; since: string }) => [x.stack, x.since])).toEqual([
      ['acme-retail-staging', a],
      ['helios-media-prod', a],
    ]);
    expect(json.matrix.include.map((m: { stacks: string }) => m.stacks)).toEqual(['acme-retail-staging', 'helios-media-prod']);

    // A stack never recorded is affected; a recorded commit the clone does not have is an error.
    const record = JSON.parse(s.read('rollout/deployments.json'));
    delete record.stacks['nordic-news-prod'];
    record.stacks['acme-retail-prod'].commit = 'c'.repeat(40);
    writeFileSync(join(s.dir, 'rollout', 'deployments.json'), JSON.stringify(record));
    const missing = await s.run('affected', '--since-deployed', '--json', '--at', '2026-11-27');
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining('fetch-depth: 0') });
    delete record.stacks['acme-retail-prod'];
    writeFileSync(join(s.dir, 'rollout', 'deployments.json'), JSON.stringify(record));
    const fresh = JSON.parse((await s.run('affected', '--since-deployed', '--json', '--at', '2026-11-27')).out);
    expect(fresh.stacks.filter((x: { since: string | null }) => x.since === null).map((x: { stack: string; because: string }) => [x.stack, x.because])).toEqual([
      ['acme-retail-prod', 'never recorded as deployed'],
      ['nordic-news-prod', 'never recorded as deployed'],
    ]);
  });
});

describe('the gate accepts the metrics the way the README says to send them', () => {
  /** What a workflow step writes with `${{ toJSON(github.event.client_payload.metrics) }}`: GitHub's toJSON indents by two spaces. */
  const toJSON = (value: unknown) => JSON.stringify(value, null, 2);

  test('the dispatch body built with jq and sent with `gh api --input body.json`: metrics arrive as an object', async () => {
    const s = setup();
    await deployedCanary(s);
    writeFileSync(join(s.dir, 'metrics.json'), metricsText(['globex-games-dev'], '2026-11-27T00:00:00Z', '2026-11-30T00:00:00Z'));
    // The README's command, run for real (jq); gh sends body.json as the request body unchanged.
    execFileSync('sh', ['-c', `jq -n --argjson wave 1 --slurpfile m metrics.json '{event_type: "rollout-metrics", client_payload: {wave: $wave, metrics: $m[0]}}' > body.json`], { cwd: s.dir });
    const body = JSON.parse(s.read('body.json'));
    expect(body.client_payload.wave).toBe(1);
    writeFileSync(join(s.dir, 'payload-metrics.json'), toJSON(body.client_payload.metrics));
    const r = await s.run('rollout', 'gate', '--wave', String(body.client_payload.wave), '--metrics', 'payload-metrics.json', '--at', '2026-11-30');
    expect(r).toMatchObject({ code: 0, err: '' });
  });

  test('the older `gh api -F client_payload[metrics]=@metrics.json` sends the file as a string: accepted too', async () => {
    const s = setup();
    await deployedCanary(s);
    const text = metricsText(['globex-games-dev'], '2026-11-27T00:00:00Z', '2026-11-30T00:00:00Z');
    // gh -F: a value starting with @ is read from the file, and a file's content is a string value.
    writeFileSync(join(s.dir, 'payload-metrics.json'), toJSON(text));
    const r = await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'payload-metrics.json', '--at', '2026-11-30');
    expect(r).toMatchObject({ code: 0, err: '' });
    writeFileSync(join(s.dir, 'not-metrics.json'), toJSON('{"window": 1}'));
    expect(await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'not-metrics.json', '--at', '2026-11-30')).toMatchObject({ code: 1, err: expect.stringContaining('not-metrics.json: window') });
  });
});

describe('stale rollouts are reported (status --json "attention", for the drift workflow)', () => {
  test('applied but never deployed, baked but never judged, and halted', async () => {
    const s = setup();
    const attention = async (at: string) => JSON.parse((await s.run('rollout', 'status', '--json', '--at', at)).out).attention as string[];
    expect((await s.run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27')).code).toBe(0);
    expect(await attention('2026-11-29')).toEqual([]);
    expect(await attention('2026-11-30')).toEqual(['wave 1 (canary) was applied 3 day(s) ago and is not recorded as deployed: is its pull request merged, did its deploy fail?']);
    expect((await s.run('rollout', 'mark', '--deployed', '--stacks', 'globex-games-dev', '--at', '2026-11-30')).code).toBe(0);
    expect(await attention('2026-12-05')).toEqual([]);
    expect(await attention('2026-12-06')).toEqual(["wave 1 (canary)'s bake ended 3 day(s) ago and no gate has judged it over the bake: is the metrics exporter running?"]);
    writeFileSync(join(s.dir, 'bad.json'), metricsText(['globex-games-dev'], '2026-11-30T00:00:00Z', '2026-12-03T00:00:00Z', (m) => ({ ...m, maxConsumerLagSeconds: null })));
    expect((await s.run('rollout', 'gate', '--wave', '1', '--metrics', 'bad.json', '--at', '2026-12-03')).code).toBe(2);
    expect(await attention('2026-12-03')).toEqual([expect.stringMatching(/^wave 1 \(canary\) is halted since the gate of 2026-12-03 00:00: globex-games-dev maxConsumerLagSeconds: no data/)]);
    expect((await s.run('rollout', 'status', '--at', '2026-12-03')).out).toMatch(/\nattention: wave 1 \(canary\) is halted since/);
  });
});
