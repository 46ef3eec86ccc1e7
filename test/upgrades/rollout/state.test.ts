/** The state file round trip, its validation, and `mark --deployed`. */
import { formatIssue } from '../../../customers/load';
import { decideMark } from '../../../upgrades/rollout/mark';
import { parseState, renderState } from '../../../upgrades/rollout/state';
import { applied, AT, day, deployed, planOf, settled, WAVES } from './fixtures';

const plan = planOf(WAVES);

describe('state file', () => {
  test('renders deterministic JSON that parses back to the same state', () => {
    const state = settled(plan, 2);
    const text = renderState(state);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = parseState('rollout/state.json', text);
    expect(parsed.issues).toEqual([]);
    expect(renderState(parsed.state!)).toBe(text);
    // Built in another key order, rendered the same.
    const w = state.waves['1'];
    const shuffled = { ...state, waves: { '2': state.waves['2'], '1': Object.fromEntries(Object.entries(w).reverse()) as typeof w, ...Object.fromEntries(Object.entries(state.waves).slice(2)) } };
    expect(renderState(shuffled)).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual(['formatVersion', 'plan', 'startedAt', 'waves', 'previous']);
  });

  test('a damaged state is rejected with the file and field named', () => {
    const text = renderState(applied(plan, undefined, 1, AT)).replace('"in-progress"', '"done"');
    const { state, issues } = parseState('rollout/state.json', text);
    expect(state).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      'rollout/state.json: waves.1.status: expected one of "pending" | "in-progress" | "deployed" | "halted", got "done" (hint: the rollout state is written by `fleet rollout`; restore it from git)',
    ]);
    const moved = parseState('s.json', renderState(applied(plan, undefined, 1, AT)).replace('"1": {', '"7": {'));
    expect(moved.issues.map(formatIssue)).toEqual(['s.json: waves.7.number: expected 7 (the key it is filed under), got 1 (hint: restore the state from git)']);
  });
});

describe('mark --deployed', () => {
  const state = applied(plan, undefined, 1, AT);

  test('records the deploy and the end of the bake', () => {
    const m = decideMark(state, 'in-progress', day(1), ['globex-games-dev']);
    expect(m.kind).toBe('marked');
    if (m.kind === 'marked') expect(m.state.waves['1']).toMatchObject({ status: 'deployed', deployedAt: day(1).toISOString(), bakeEnds: day(4).toISOString() });
  });

  test('is idempotent, and does nothing when no wave is in progress or the merge deployed other stacks', () => {
    const once = deployed(state, 1, day(1));
    expect(decideMark(once, 1, day(2), ['globex-games-dev'])).toEqual({ kind: 'nothing', message: 'wave 1 (canary) is already recorded as deployed on 2026-11-28 00:00; nothing changed.' });
    expect(decideMark(once, 'in-progress', day(2), ['globex-games-dev'])).toEqual({ kind: 'nothing', message: 'no wave is in progress or halted; no wave marked.' });
    expect(decideMark(undefined, 'in-progress', day(2), ['globex-games-dev']).kind).toBe('nothing');
    expect(decideMark(state, 'in-progress', day(1), ['acme-retail-prod'])).toEqual({
      kind: 'nothing',
      message: 'wave 1 (canary) not marked: its stack(s) globex-games-dev were not among the deployed ones.',
    });
  });

  test('refuses a wave that was never applied', () => {
    expect(decideMark(state, 2, day(1), ['acme-retail-staging'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/^wave 2 \(non-prod\) has not been applied/) });
    expect(decideMark(state, 9, day(1), ['x'])).toMatchObject({ kind: 'error' });
  });
});
