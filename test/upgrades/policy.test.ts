import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicy, validatePolicyText } from '../../upgrades/policy';
import { ROOT } from './fixtures';

const FILE = join(ROOT, 'upgrades', 'policy.json');
const edit = (change: (raw: any) => void) => {
  const raw = JSON.parse(readFileSync(FILE, 'utf8'));
  change(raw);
  return validatePolicyText(FILE, JSON.stringify(raw)).issues;
};

describe('upgrade policy', () => {
  test('the real policy is valid and says what the issue asks', () => {
    const { policy, issues } = loadPolicy(FILE);
    expect(issues).toEqual([]);
    expect(policy!.securityDeadlineDays).toEqual({ critical: 7, high: 14, medium: 30, low: 90 });
    expect(policy!.supportWindow).toEqual({ granularity: 'major', lines: 2 });
    expect(policy!.minimumReleaseAge.exemptSeverities).toEqual(['critical']);
    expect(policy!.waves.stages.map((s) => s.name)).toEqual(['canary', 'non-prod', 'prod ring 1', 'prod ring 2', 'prod ring 3']);
  });

  test('bad granularity names the choices', () => {
    expect(edit((raw) => (raw.supportWindow.granularity = 'patch'))[0]).toMatchObject({ path: 'supportWindow.granularity', expected: 'one of "major" | "minor"', got: '"patch"' });
  });

  test('stages must take every environment class and ring', () => {
    const issues = edit((raw) => raw.waves.stages.pop());
    expect(issues[0]).toMatchObject({ path: 'waves.stages', got: 'nothing takes prod ring 3' });
  });

  test('fast track bake may not exceed the normal bake', () => {
    expect(edit((raw) => (raw.waves.fastTrack.bakeDays = 9))[0]).toMatchObject({ path: 'waves.fastTrack.bakeDays' });
  });

  test('unknown fields and a missing file', () => {
    expect(edit((raw) => (raw.supportWindows = {}))[0]).toMatchObject({ expected: 'only the fields the schema defines' });
    expect(loadPolicy('/nonexistent/policy.json').issues[0]).toMatchObject({ expected: 'a readable policy file' });
  });
});
