/** Wave ordering, refusals, --force and idempotence: the pure decisions behind `fleet rollout apply`. */
import { applyWave, decideApply } from '../../../upgrades/rollout/apply';
import { notSettledReason, startRollout } from '../../../upgrades/rollout/state';
import { applied, AT, customerText, day, deployed, gated, HALTED, HEALTHY, planOf, settled, WAVES } from './fixtures';

const plan = planOf(WAVES);

describe('ordering: wave N waits for wave N-1 to be deployed and healthy', () => {
  test('wave 1 of a fresh state goes; "next" is wave 1', () => {
    const d = decideApply({ plan, state: undefined, wave: 'next', at: AT });
    expect(d).toMatchObject({ kind: 'go', wave: { number: 1, name: 'canary' }, overrode: [] });
  });

  test('wave 2 before wave 1 is applied is refused', () => {
    const d = decideApply({ plan, state: undefined, wave: 2, at: AT });
    expect(d.kind).toBe('refused');
    if (d.kind === 'refused') expect(d.reasons).toEqual(['wave 2 waits for wave 1: wave 1 (canary) has not been applied yet: run `fleet rollout apply --wave 1`']);
  });

  test.each([
    ['applied but not deployed', (s: ReturnType<typeof applied>) => s, /is not recorded as deployed: CI runs `fleet rollout mark --deployed --stacks "..."`/],
    ['deployed but not gated', (s: ReturnType<typeof applied>) => deployed(s, 1, AT), /no health gate has judged it since: run `fleet rollout gate --wave 1 --metrics FILE`/],
    ['healthy before its bake ended', (s: ReturnType<typeof applied>) => gated(deployed(s, 1, AT), 1, HEALTHY, day(2)), /healthy on metrics 2026-11-27 00:00 \.\. 2026-11-29 00:00, but its 3-day bake runs from 2026-11-27 00:00 until 2026-11-30 00:00/],
    ['halted', (s: ReturnType<typeof applied>) => gated(deployed(s, 1, AT), 1, HALTED, day(3)), /is halted by the health gate of 2026-11-30 00:00: globex-games-dev maxConsumerLagSeconds: 4000 > 600/],
  ])('wave 2 is refused while wave 1 is %s', (_, step, reason) => {
    const state = step(applied(plan, undefined, 1, AT));
    const d = decideApply({ plan, state, wave: 2, at: day(5) });
    expect(d.kind).toBe('refused');
    if (d.kind === 'refused') {
      expect(d.reasons).toHaveLength(1);
      expect(d.reasons[0]).toMatch(reason);
    }
  });

  test('wave 2 goes once wave 1 is healthy on metrics that cover its bake', () => {
    const state = settled(plan, 1);
    expect(notSettledReason(state.waves['1'])).toBeUndefined();
    expect(decideApply({ plan, state, wave: 2, at: day(4) })).toMatchObject({ kind: 'go', wave: { number: 2 } });
    expect(decideApply({ plan, state, wave: 'next', at: day(4) })).toMatchObject({ kind: 'go', wave: { number: 2 } });
  });

  test('a halted wave judged healthy again after a re-deploy lets the next one go', () => {
    let state = gated(deployed(applied(plan, undefined, 1, AT), 1, AT), 1, HALTED, day(3));
    state = deployed(state, 1, day(4));
    expect(state.waves['1'].status).toBe('deployed');
    expect(notSettledReason(state.waves['1'])).toMatch(/no health gate has judged it since/);
    state = gated(state, 1, HEALTHY, day(7));
    expect(decideApply({ plan, state, wave: 2, at: day(7) }).kind).toBe('go');
  });

  test('only N-1 is asked: wave 3 waits for wave 2 even when wave 1 is healthy', () => {
    const state = applied(plan, settled(plan, 1), 2, day(4));
    const d = decideApply({ plan, state, wave: 3, at: day(5) });
    expect(d.kind).toBe('refused');
    if (d.kind === 'refused') expect(d.reasons[0]).toMatch(/^wave 3 waits for wave 2: wave 2 \(non-prod\) was applied/);
  });

  test('a wave number the plan does not have is invalid', () => {
    expect(decideApply({ plan, state: undefined, wave: 9, at: AT })).toEqual({ kind: 'invalid', message: 'the plan for 2026-11-27 (' + plan.digest + ') has waves 1 to 4; there is no wave 9.' });
  });
});

describe('--force with a reason', () => {
  test('overrides the ordering and records the reason and what it overrode', () => {
    const force = { reason: 'SUP-9 critical fix; canary customer on holiday' };
    const state = applied(plan, undefined, 2, AT, force);
    expect(state.waves['2']).toMatchObject({
      status: 'in-progress',
      appliedAt: AT.toISOString(),
      forced: { reason: force.reason, at: AT.toISOString(), overrode: [expect.stringMatching(/^wave 2 waits for wave 1: wave 1 \(canary\) has not been applied yet/)] },
    });
    expect(state.waves['1'].status).toBe('pending');
  });

  test('records nothing when nothing needed overriding, and says so', () => {
    const d = decideApply({ plan, state: undefined, wave: 1, at: AT, force: { reason: 'habit' } });
    expect(d).toMatchObject({ kind: 'go', overrode: [], notes: [expect.stringMatching(/--force was not needed/)] });
    const state = applied(plan, undefined, 1, AT, { reason: 'habit' });
    expect(state.waves['1'].forced).toBeUndefined();
  });

  test('never overrides a pin that changed since the plan', () => {
    const d = decideApply({ plan, state: undefined, wave: 1, at: AT, force: { reason: 'x' } });
    if (d.kind !== 'go') throw new Error(d.kind);
    const text = customerText('globex-games-dev').replace(/"version": "[^"]+"/, '"version": "0.0.1"');
    const r = applyWave(d, [{ stack: 'globex-games-dev', file: 'customers/globex-games-dev.json', text }], AT, { reason: 'x' });
    expect(r.kind).toBe('stale');
  });
});

describe('idempotence', () => {
  test('re-applying an applied wave says so and changes nothing', () => {
    const state = applied(plan, undefined, 1, AT);
    const d = decideApply({ plan, state, wave: 1, at: day(1) });
    expect(d).toEqual({ kind: 'already', message: 'wave 1 (canary) was already applied on 2026-11-27 00:00 and is in-progress; nothing changed.' });
  });

  test('"next" after the last wave has nothing to do', () => {
    const state = settled(plan, 4);
    expect(decideApply({ plan, state, wave: 'next', at: day(20) })).toEqual({ kind: 'nothing', message: `every wave of the plan for 2026-11-27 (${plan.digest}) has been applied: nothing to do.` });
  });

  test('a plan without waves has nothing to roll out', () => {
    expect(decideApply({ plan: { ...plan, waves: [] }, state: undefined, wave: 'next', at: AT }).kind).toBe('nothing');
  });
});

describe('a new plan', () => {
  const replanned = planOf(WAVES.slice(1), '2026-12-01');

  test('re-planning with the same pin changes on another day continues the rollout', () => {
    expect(planOf(WAVES, '2026-11-30').digest).toBe(plan.digest);
    const state = settled(plan, 1);
    expect(decideApply({ plan: planOf(WAVES, '2026-11-30'), state, wave: 'next', at: day(4) })).toMatchObject({ kind: 'go', wave: { number: 2 } });
  });

  test('other pin changes start a new rollout once every applied wave is settled; the old one moves to previous', () => {
    const state = settled(plan, 1);
    const d = decideApply({ plan: replanned, state, wave: 'next', at: day(4) });
    expect(d).toMatchObject({ kind: 'go', wave: { number: 1, name: 'non-prod' } });
    if (d.kind !== 'go') return;
    expect(d.notes[0]).toMatch(/starts a new rollout of the plan for 2026-12-01 .* and its never-applied wave\(s\) 2, 3, 4 are superseded by this plan$/);
    const next = applied(replanned, state, 'next', day(4));
    expect(next.plan).toEqual({ generatedFor: '2026-12-01', digest: replanned.digest });
    expect(next.previous).toHaveLength(1);
    expect(next.previous[0].waves['1'].status).toBe('deployed');
  });

  test('other pin changes are refused while a wave of the current rollout is in flight', () => {
    const state = applied(plan, undefined, 1, AT);
    const d = decideApply({ plan: replanned, state, wave: 'next', at: day(1) });
    expect(d.kind).toBe('refused');
    if (d.kind === 'refused') expect(d.reasons[0]).toMatch(/^the state follows the plan for 2026-11-27 .*, and a new plan can start only when every wave applied so far is deployed and healthy: wave 1 \(canary\) was applied/);
  });

  test('a state where nothing was applied is simply replaced, leaving no history', () => {
    const empty = { formatVersion: 1 as const, ...startRollout(plan, AT), previous: [] };
    const next = applied(replanned, empty, 1, AT);
    expect(next.previous).toEqual([]);
  });
});
