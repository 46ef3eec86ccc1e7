/** `fleet rollout` end to end on a scratch copy of the example customers. */
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseState } from '../../../upgrades/rollout/state';
import { bump, customerText, pinOf, planJson, specOf, WAVES } from './fixtures';
import { scratch } from './scratch';

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const sub of ['customers', 'rollout']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      const path = join(dir, sub, name);
      files[`${sub}/${name}`] = existsSync(path) ? readFileSync(path, 'utf8') : `(link to ${readlinkSync(path)})`;
    }
  }
  return files;
}

function setup() {
  const s = scratch();
  mkdirSync(join(s.dir, 'plan'));
  writeFileSync(join(s.dir, 'plan', 'upgrade-plan.json'), planJson(WAVES, join(s.dir, 'customers')));
  return s;
}

function stateOf(dir: string) {
  const { state, issues } = parseState('state.json', readFileSync(join(dir, 'rollout', 'state.json'), 'utf8'));
  if (!state) throw new Error(JSON.stringify(issues));
  return state;
}

describe('fleet rollout apply', () => {
  test('rewrites exactly the version lines of the wave, records it, and is idempotent', async () => {
    const { dir, run } = setup();
    const before = snapshot(dir);
    const r = await run('rollout', 'apply', '--wave', 'next', '--at', '2026-11-27');
    expect(r).toMatchObject({ code: 0, err: '' });
    const pin = pinOf(before['customers/acme-retail-staging.json'], 'collector');
    expect(r.out.split('\n')[0]).toMatch(/^wave 1 \(canary\) of the plan for 2026-11-27 \([0-9a-f]{12}\): 1 pin change\(s\) in 1 file\(s\)$/);

    const after = snapshot(dir);
    const changedFiles = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(changedFiles).toEqual(['customers/globex-games-dev.json', 'rollout/state.json']);
    const a = before['customers/globex-games-dev.json'].split('\n');
    const b = after['customers/globex-games-dev.json'].split('\n');
    const diff = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
    const from = pinOf(before['customers/globex-games-dev.json'], 'collector');
    expect(b).toHaveLength(a.length);
    expect(diff).toEqual([[`      "version": "${from}",`, `      "version": "${bump(from)}",`]]);
    expect(pin).toBe(pinOf(after['customers/acme-retail-staging.json'], 'collector'));
    expect(stateOf(dir).waves['1']).toMatchObject({ status: 'in-progress', appliedAt: '2026-11-27T00:00:00.000Z', stacks: ['globex-games-dev'] });

    const again = await run('rollout', 'apply', '--wave', '1', '--at', '2026-11-28');
    expect(again).toEqual({ code: 0, out: 'wave 1 (canary) was already applied on 2026-11-27 00:00 and is in-progress; nothing changed.', err: '' });
    expect(snapshot(dir)).toEqual(after);
  });

  test('refuses wave 2 before wave 1 (exit 2), then --force --reason applies it and records the reason', async () => {
    const { dir, run } = setup();
    const before = snapshot(dir);
    const refused = await run('rollout', 'apply', '--wave', '2', '--at', '2026-11-27');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^refused: wave 2 of the plan for 2026-11-27 \([0-9a-f]{12}\) cannot be applied yet; nothing was changed\.\n  - wave 2 waits for wave 1: wave 1 \(canary\) has not been applied yet/);
    expect(snapshot(dir)).toEqual(before);

    expect(await run('rollout', 'apply', '--wave', '2', '--force')).toMatchObject({ code: 1, err: expect.stringContaining('--force needs --reason') });
    const forced = await run('rollout', 'apply', '--wave', '2', '--force', '--reason', 'SUP-77 high severity fix; canary deploy blocked by customer', '--at', '2026-11-27');
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('forced (recorded): SUP-77 high severity fix; canary deploy blocked by customer; overrode: wave 2 waits for wave 1');
    expect(stateOf(dir).waves['2'].forced).toMatchObject({ reason: 'SUP-77 high severity fix; canary deploy blocked by customer', at: '2026-11-27T00:00:00.000Z' });
  });

  test('all or nothing: one stale pin in a two-file wave changes neither file nor the state', async () => {
    const { dir, run } = setup();
    await run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27');
    const file = join(dir, 'customers', 'helios-media-staging.json');
    const enrich = pinOf(readFileSync(file, 'utf8'), 'enrich');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`"version": "${enrich}"`, '"version": "0.0.1"'));
    const before = snapshot(dir);
    const r = await run('rollout', 'apply', '--wave', '2', '--force', '--reason', 'test', '--at', '2026-11-27');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`customers/helios-media-staging.json: components.enrich.version: expected "${enrich}", got "0.0.1" (hint: the file changed since the plan was made; re-plan`);
    expect(r.err).toContain('1 pin(s) no longer match plan/upgrade-plan.json; nothing was changed.');
    expect(snapshot(dir)).toEqual(before);
  });

  test('all or nothing: a state file that cannot be written leaves the customer files as they were', async () => {
    const { dir, run } = setup();
    // A dangling link where the state goes: the writer refuses it (it would replace the link)
    // before the first file is written, so the customer file and the link stay as they were.
    mkdirSync(join(dir, 'rollout'), { recursive: true });
    symlinkSync(join(dir, 'elsewhere', 'state.json'), join(dir, 'rollout', 'state.json'));
    const before = snapshot(dir);
    const r = await run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27');
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/rollout\/state\.json is a symlink to a file that does not exist; point it at a file or remove the link; nothing was written\.$/) });
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(join(dir, 'rollout'))).toEqual(['state.json']);
    expect(readdirSync(join(dir, 'customers')).filter((f) => /\.json\.\d+$/.test(f))).toEqual([]);
  });

  test('a file that is not a plan is rejected with the file and field named', async () => {
    const { dir, run } = setup();
    writeFileSync(join(dir, 'not-a-plan.json'), '{"stacks": {}}\n');
    const r = await run('rollout', 'apply', '--wave', '1', '--plan', 'not-a-plan.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('not-a-plan.json: waves: expected an array, got nothing (the field is missing) (hint: this is not an upgrade plan: write one with `fleet upgrades plan --json --out FILE`');
    const missing = await run('rollout', 'apply', '--wave', '1', '--plan', 'nope.json');
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/^nope\.json: expected an upgrade plan \(JSON\), got no such file/) });
    expect(await run('rollout', 'apply', '--wave', 'two')).toMatchObject({ code: 1, err: expect.stringContaining('--wave expects a wave number from 1 or next, got "two"') });
  });
});

describe('fleet rollout mark, gate and status', () => {
  test('a wave through deploy, a halting gate, a healthy one, and the table', async () => {
    const { dir, run } = setup();
    await run('rollout', 'apply', '--wave', '1', '--at', '2026-11-27');
    expect(await run('rollout', 'mark', '--wave', 'in-progress', '--deployed', '--stack', 'acme-retail-prod', '--at', '2026-11-27')).toMatchObject({
      code: 0,
      out: 'wave 1 (canary) not marked: its stack(s) globex-games-dev were not among the deployed ones.',
    });
    expect(await run('rollout', 'mark', '--wave', 'in-progress', '--deployed', '--stack', 'globex-games-dev', '--at', '2026-11-27')).toMatchObject({ code: 0, out: expect.stringMatching(/^wave 1 \(canary\) recorded as deployed on 2026-11-27 00:00; it bakes 3 day\(s\), until 2026-11-30 00:00/) });

    const spec = specOf('globex-games-dev');
    if (spec.cloud !== 'aws') throw new Error('globex-games-dev is expected on AWS');
    const t = spec.alerts.thresholds;
    const c = spec.components;
    const good = {
      http5xxPer5Min: 0,
      maxConsumerLagSeconds: 10,
      healthyCollectors: t.minHealthyCollectors,
      inServiceInstances: {
        collector: c.collector.sizing.minSize,
        enrich: c.enrich.sizing.minSize,
        's3-loader-enriched': c['s3-loader'].sizing.minSize,
        's3-loader-bad': c['s3-loader'].sizing.minSize,
        ...Object.fromEntries((['snowflake-streaming-loader', 'rdb-loader', 'elasticsearch-loader', 'iglu-server'] as const).flatMap((k) => (c[k] ? [[k, c[k]!.sizing.minSize]] : []))),
      },
    };
    const metrics = (m: object) => JSON.stringify({ window: { from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z' }, stacks: { 'globex-games-dev': m } });
    writeFileSync(join(dir, 'bad.json'), metrics({ ...good, maxConsumerLagSeconds: t.maxConsumerLagSeconds * 10 }));
    writeFileSync(join(dir, 'good.json'), metrics(good));
    writeFileSync(join(dir, 'broken.json'), metrics({ ...good, healthyCollector: 1 }));

    const before = snapshot(dir);
    expect(await run('rollout', 'gate', '--wave', '1', '--metrics', 'broken.json', '--at', '2026-11-30')).toMatchObject({
      code: 1,
      err: expect.stringContaining('broken.json: stacks.globex-games-dev: expected only the fields the schema defines, got unknown field(s) "healthyCollector"'),
    });
    expect(snapshot(dir)).toEqual(before);

    const halted = await run('rollout', 'gate', '--wave', '1', '--metrics', 'bad.json', '--at', '2026-11-30');
    expect(halted.code).toBe(2);
    expect(halted.out).toMatch(new RegExp(`FAIL  maxConsumerLagSeconds +${t.maxConsumerLagSeconds * 10} > ${t.maxConsumerLagSeconds} \\(alerts\\.thresholds\\.maxConsumerLagSeconds\\)`));
    const haltedStatus = await run('rollout', 'status', '--at', '2026-11-30');
    expect(haltedStatus.out).toContain(`      failed: globex-games-dev maxConsumerLagSeconds: ${t.maxConsumerLagSeconds * 10} > ${t.maxConsumerLagSeconds} (alerts.thresholds.maxConsumerLagSeconds in customers/globex-games-dev.json)`);
    expect(await run('rollout', 'apply', '--wave', '2', '--at', '2026-11-30')).toMatchObject({ code: 2 });

    // A halted wave is judged again only after a new deploy mark: the same versions never turn healthy by re-gating.
    expect(await run('rollout', 'gate', '--wave', '1', '--metrics', 'good.json', '--at', '2026-11-30')).toMatchObject({
      code: 1,
      err: expect.stringContaining('wave 1 (canary) was halted by the gate of 2026-11-30 00:00 and has not been deployed since'),
    });
    expect(await run('rollout', 'mark', '--deployed', '--stacks', 'globex-games-dev', '--at', '2026-11-30')).toMatchObject({ code: 0, out: expect.stringMatching(/^wave 1 \(canary\) recorded as deployed on 2026-11-30 00:00/) });
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ window: { from: '2026-11-30T00:00:00Z', to: '2026-12-03T00:00:00Z' }, stacks: { 'globex-games-dev': good } }));
    expect(await run('rollout', 'gate', '--wave', '1', '--metrics', 'good.json', '--at', '2026-12-03')).toMatchObject({ code: 0 });
    const status = await run('rollout', 'status', '--at', '2026-12-03');
    const digest = stateOf(dir).plan.digest;
    expect(status.out).toBe(
      [
        `Rollout of the plan for 2026-11-27 (${digest}), state rollout/state.json`,
        '',
        'wave  name         status    start       stacks  pins  applied           deployed          health',
        '1     canary       deployed  2026-11-27  1       1     2026-11-27 00:00  2026-11-30 00:00  healthy (gated 2026-12-03 00:00)',
        '2     non-prod     pending   2026-11-27  2       3     -                 -                 -',
        '3     prod ring 2  pending   2026-11-27  1       2     -                 -                 -',
        '4     prod ring 3  pending   2026-11-27  1       1     -                 -                 -',
        '',
        'next: wave 2 (non-prod) can be applied: `fleet rollout apply --wave 2`',
      ].join('\n'),
    );
    const json = JSON.parse((await run('rollout', 'status', '--json', '--at', '2026-12-03')).out);
    expect(json).toMatchObject({ next: 2, waves: [{ number: 1, status: 'deployed' }, { number: 2, status: 'pending' }, {}, {}] });
  });

  test('status before any rollout shows the default plan as pending', async () => {
    const { run } = setup();
    const r = await run('rollout', 'status', '--at', '2026-11-27');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1     canary       pending');
    expect(r.out).toContain('next: wave 1 (canary) can be applied: `fleet rollout apply --wave 1`');
    expect(customerText('globex-games-dev')).toBeTruthy();
  });
});
