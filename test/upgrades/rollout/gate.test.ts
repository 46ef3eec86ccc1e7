/** The health gate: healthy, halted with the failed metric named, "no data", bad metrics files. */
import { formatIssue } from '../../../customers/load';
import type { CustomerSpec } from '../../../customers/schema';
import { gatePrecheck, judgeWave, recordGate, renderJudgement, servicesOf } from '../../../upgrades/rollout/gate';
import { parseMetrics, type MetricsFile, type StackMetrics } from '../../../upgrades/rollout/metrics';
import { waveHealth } from '../../../upgrades/rollout/state';
import { applied, AT, day, deployed, planOf, specOf, WAVES } from './fixtures';

const AWS = 'acme-retail-staging';
const GCP = 'helios-media-staging';
const customers = new Map<string, { file: string; spec: CustomerSpec }>(
  [AWS, GCP].map((stack) => [stack, { file: `customers/${stack}.json`, spec: specOf(stack) }]),
);
const wave = { stacks: [AWS, GCP] };

/** Values right at every limit: healthy, since the alarms fire only past them. */
function atTheLimits(stack: string): StackMetrics {
  const spec = customers.get(stack)!.spec;
  const minSize = (c: string) => (spec.components as Record<string, { sizing: { minSize: number } }>)[c].sizing.minSize;
  const inServiceInstances = Object.fromEntries(servicesOf(spec).map((s) => [s.service, minSize(s.component)]));
  if (spec.cloud === 'aws') {
    const t = spec.alerts.thresholds;
    return { http5xxPer5Min: t.http5xxPer5Min, maxConsumerLagSeconds: t.maxConsumerLagSeconds, healthyCollectors: t.minHealthyCollectors, inServiceInstances };
  }
  const t = spec.alerts.thresholds;
  return { http5xxPercent: t.http5xxPercent, maxConsumerLagSeconds: t.maxConsumerLagSeconds, failingUptimeCheckers: 1, inServiceInstances };
}

function metricsWith(change: (m: Record<string, StackMetrics>) => void = () => {}): MetricsFile {
  const stacks = { [AWS]: atTheLimits(AWS), [GCP]: atTheLimits(GCP) };
  change(stacks);
  return { window: { from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z' }, stacks };
}

describe('judgeWave', () => {
  test('values at the limits are healthy; every alarm of each cloud is checked', () => {
    const j = judgeWave(wave, customers, metricsWith());
    expect(j).toMatchObject({ verdict: 'healthy', failures: [], ignored: [] });
    const metricsOf = (stack: string) => j.checks.filter((c) => c.stack === stack).map((c) => c.metric);
    expect(metricsOf(AWS)).toEqual(
      expect.arrayContaining(['http5xxPer5Min', 'maxConsumerLagSeconds', 'healthyCollectors', 'inServiceInstances.collector', 'inServiceInstances.s3-loader-enriched', 'inServiceInstances.s3-loader-bad']),
    );
    expect(metricsOf(GCP)).toEqual(expect.arrayContaining(['http5xxPercent', 'maxConsumerLagSeconds', 'failingUptimeCheckers', 'inServiceInstances.bigquery-loader']));
  });

  test('one value past its limit halts the wave and names the stack, metric, limit and where the limit is set', () => {
    const lag = customers.get(AWS)!.spec.alerts.thresholds.maxConsumerLagSeconds;
    const j = judgeWave(wave, customers, metricsWith((m) => (m[AWS].maxConsumerLagSeconds = lag + 1)));
    expect(j.verdict).toBe('halted');
    expect(j.failures).toEqual([
      {
        stack: AWS,
        metric: 'maxConsumerLagSeconds',
        observed: lag + 1,
        limit: lag,
        reason: `${lag + 1} > ${lag} (alerts.thresholds.maxConsumerLagSeconds in customers/${AWS}.json)`,
      },
    ]);
  });

  test('too few healthy collectors or instances halts (lower bounds)', () => {
    const spec = customers.get(AWS)!.spec;
    const j = judgeWave(
      wave,
      customers,
      metricsWith((m) => {
        m[AWS].healthyCollectors = 0;
        m[GCP].inServiceInstances = { ...m[GCP].inServiceInstances, enrich: 0 };
      }),
    );
    expect(j.failures.map((f) => [f.stack, f.metric, f.reason])).toEqual([
      [AWS, 'healthyCollectors', `0 < ${spec.cloud === 'aws' ? spec.alerts.thresholds.minHealthyCollectors : NaN} (alerts.thresholds.minHealthyCollectors in customers/${AWS}.json)`],
      [GCP, 'inServiceInstances.enrich', expect.stringMatching(/^0 < \d+ \(components\.enrich\.sizing\.minSize in customers\/helios-media-staging\.json\)$/)],
    ]);
  });

  test('"no data" is not healthy: a missing stack, a missing metric, a null value', () => {
    const j = judgeWave(
      wave,
      customers,
      metricsWith((m) => {
        delete m[GCP];
        delete m[AWS].http5xxPer5Min;
        m[AWS].inServiceInstances = { ...m[AWS].inServiceInstances, enrich: null };
      }),
    );
    expect(j.verdict).toBe('halted');
    expect(j.failures.map((f) => [f.stack, f.metric, f.observed])).toEqual([
      [AWS, 'http5xxPer5Min', null],
      [AWS, 'inServiceInstances.enrich', null],
      [GCP, '(all)', null],
    ]);
    expect(j.failures[0].reason).toMatch(/^no data \(the metrics file has no value; "no data" is not healthy/);
    expect(j.failures[2].reason).toBe('no metrics for this stack in the metrics file ("no data" is not healthy)');
  });

  test('values the gate does not use are listed as ignored, not judged', () => {
    const j = judgeWave(
      wave,
      customers,
      metricsWith((m) => {
        m[GCP].healthyCollectors = 0;
        m[AWS].inServiceInstances = { ...m[AWS].inServiceInstances, 's3-loader': 0 };
        m['nordic-news-prod'] = { http5xxPer5Min: 9999 };
      }),
    );
    expect(j.verdict).toBe('healthy');
    expect(j.ignored).toEqual([
      `${AWS} inServiceInstances.s3-loader (the stack runs no such service)`,
      `${GCP} healthyCollectors (no gcp alarm uses it)`,
      'nordic-news-prod (not in this wave)',
    ]);
  });
});

describe('recording the verdict', () => {
  const plan = planOf(WAVES);
  const state = deployed(applied(plan, applied(plan, undefined, 1, AT, { reason: 'test' }), 2, AT, { reason: 'test' }), 2, AT);

  test('healthy over the whole bake: deployed and settled; halted: status halted with the failures', () => {
    const w = state.waves['2'];
    const healthy = recordGate(state, w, judgeWave(wave, customers, metricsWith()), metricsWith().window, day(3));
    expect(healthy.gate).toMatchObject({ verdict: 'healthy', baked: true, at: day(3).toISOString() });
    expect(healthy.state.waves['2'].status).toBe('deployed');
    expect(waveHealth(healthy.state.waves['2']).kind).toBe('healthy');

    const bad = judgeWave(wave, customers, metricsWith((m) => delete m[GCP]));
    const halted = recordGate(healthy.state, healthy.state.waves['2'], bad, metricsWith().window, day(3));
    expect(halted.state.waves['2'].status).toBe('halted');
    expect(halted.state.waves['2'].gates.map((g) => g.verdict)).toEqual(['healthy', 'halted']);
    expect(renderJudgement(w, bad, halted.gate).slice(0, 1)).toEqual(['wave 2 (non-prod): HALTED on metrics 2026-11-27 00:00 .. 2026-11-30 00:00']);
  });

  test('a window that ends before the bake does is healthy but not baked', () => {
    const window = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T12:00:00+01:00' };
    const r = recordGate(state, state.waves['2'], judgeWave(wave, customers, metricsWith()), window, day(2));
    expect(r.gate).toMatchObject({ baked: false, window: { to: '2026-11-28T11:00:00.000Z' } });
    expect(waveHealth(r.state.waves['2'])).toMatchObject({ kind: 'baking', bakeEnds: '2026-11-30T00:00:00.000Z' });
  });

  test('the gate judges only deployed waves, on metrics from after the deploy', () => {
    const window = metricsWith().window;
    expect(gatePrecheck(undefined, 1, window, day(10))).toMatchObject({ kind: 'error', message: expect.stringMatching(/^wave 1 is not in the rollout state/) });
    expect(gatePrecheck(state, 3, window, day(10))).toMatchObject({ kind: 'error', message: 'wave 3 (prod ring 2) has not been applied; there is nothing deployed to judge.' });
    expect(gatePrecheck(state, 1, window, day(10))).toMatchObject({ kind: 'error', message: expect.stringMatching(/^wave 1 \(canary\) is not recorded as deployed/) });
    expect(gatePrecheck(state, 2, { from: '2026-11-26T23:00:00Z', to: window.to }, day(10))).toMatchObject({ kind: 'error', message: expect.stringMatching(/^the metrics window starts 2026-11-26T23:00:00Z, before wave 2/) });
    expect(gatePrecheck(state, 2, window, day(10)).kind).toBe('ok');
  });
});

describe('parseMetrics', () => {
  const good = JSON.stringify(metricsWith());

  test('reads the documented format', () => {
    expect(parseMetrics('m.json', good)).toMatchObject({ metrics: { stacks: { [AWS]: { healthyCollectors: expect.any(Number) } } }, issues: [] });
  });

  test.each([
    ['not JSON', '{"window":', 'expected valid JSON'],
    ['no window', JSON.stringify({ stacks: {} }), 'm.json: window: expected an object, got nothing (the field is missing)'],
    ['window backwards', JSON.stringify({ window: { from: '2026-11-30T00:00:00Z', to: '2026-11-27T00:00:00Z' }, stacks: {} }), 'm.json: window.to: expected window.to after window.from'],
    ['a misspelt metric', good.replace('"healthyCollectors"', '"healthyCollector"'), `m.json: stacks.${AWS}: expected only the fields the schema defines, got unknown field(s) "healthyCollector"`],
    ['a negative value', good.replace(/"http5xxPer5Min":\d+/, '"http5xxPer5Min":-1'), `m.json: stacks.${AWS}.http5xxPer5Min: expected a number >= 0 (null when the series has no data), got -1`],
    ['a string value', good.replace(/"maxConsumerLagSeconds":\d+/, '"maxConsumerLagSeconds":"40"'), `m.json: stacks.${AWS}.maxConsumerLagSeconds: expected a number, got "40"`],
  ])('rejects %s, naming the file and field', (_, text, message) => {
    const { metrics, issues } = parseMetrics('m.json', text);
    expect(metrics).toBeUndefined();
    expect(issues.map(formatIssue).join('\n')).toContain(message);
  });
});
