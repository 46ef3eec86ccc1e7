/** Pin rewrites: the diff is exactly the version lines, and a pin that moved is refused. */
import { rewritePins } from '../../../upgrades/rollout/pins';
import { bump, customerText, pinOf } from './fixtures';

/** Lines that differ between two texts of the same line count. */
function changedLines(before: string, after: string): { before: string; after: string }[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [{ before: line, after: b[i] }]));
}

describe('rewritePins', () => {
  test('changes exactly the version lines of the named components, formatting kept', () => {
    const text = customerText('acme-retail-prod');
    const enrich = pinOf(text, 'enrich');
    const loader = pinOf(text, 's3-loader');
    const result = rewritePins('acme-retail-prod.json', text, [
      { component: 'enrich', from: enrich, to: bump(enrich) },
      { component: 's3-loader', from: loader, to: bump(loader) },
    ]);
    if (!('text' in result)) throw new Error(JSON.stringify(result));
    expect(changedLines(text, result.text)).toEqual([
      { before: `      "version": "${enrich}",`, after: `      "version": "${bump(enrich)}",` },
      { before: `      "version": "${loader}",`, after: `      "version": "${bump(loader)}",` },
    ]);
    expect(pinOf(result.text, 'enrich')).toBe(bump(enrich));
    expect(result.text.length - text.length).toBe(bump(enrich).length - enrich.length + bump(loader).length - loader.length);
  });

  test('keeps unusual formatting around the value: one-line objects, tabs, CRLF', () => {
    const text = '{\r\n\t"components": { "collector": {"version":"3.6.0" , "sizing": {}} }\r\n}\r\n';
    const result = rewritePins('x.json', text, [{ component: 'collector', from: '3.6.0', to: '3.7.0' }]);
    expect(result).toEqual({ text: '{\r\n\t"components": { "collector": {"version":"3.7.0" , "sizing": {}} }\r\n}\r\n' });
  });

  test('refuses every pin that no longer reads "from", and rewrites none', () => {
    const text = customerText('acme-retail-prod');
    const enrich = pinOf(text, 'enrich');
    const result = rewritePins('customers/acme-retail-prod.json', text, [
      { component: 'enrich', from: enrich, to: bump(enrich) },
      { component: 'collector', from: '0.0.1', to: '0.0.2' },
      { component: 'rdb-loader', from: '1.0.0', to: '1.0.1' },
    ]);
    expect(result).toEqual({
      problems: [
        {
          file: 'customers/acme-retail-prod.json',
          path: 'components.collector.version',
          expected: '"0.0.1"',
          got: JSON.stringify(pinOf(text, 'collector')),
          hint: 'the file changed since the plan was made; re-plan (`fleet upgrades plan --json --out plan/upgrade-plan.json`) and apply the new plan',
        },
        {
          file: 'customers/acme-retail-prod.json',
          path: 'components.rdb-loader.version',
          expected: '"1.0.0"',
          got: 'nothing (the component or its version is missing)',
          hint: expect.stringMatching(/^the file changed since the plan was made/),
        },
      ],
    });
  });

  test('a pin already at the target says the wave was applied unrecorded', () => {
    const result = rewritePins('x.json', '{"components":{"enrich":{"version":"6.13.1"}}}', [{ component: 'enrich', from: '6.2.1', to: '6.13.1' }]);
    expect(result).toMatchObject({ problems: [{ hint: expect.stringMatching(/^the pin already reads the plan's target 6\.13\.1: the wave was applied without being recorded/) }] });
  });

  test('a file that does not parse is refused', () => {
    expect(rewritePins('x.json', '{"components": ', [{ component: 'enrich', from: '1.0.0', to: '1.0.1' }])).toMatchObject({ problems: [{ expected: 'valid JSON' }] });
  });
});
