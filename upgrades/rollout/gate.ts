/**
 * The health gate, decided without I/O: judges a wave's exported metrics against the limits its
 * alarms use (each customer's alerts.thresholds and component sizing), and records the verdict.
 * A member without a value for a metric its cloud alarms on is halted: "no data" is not healthy.
 */
import { COMPONENT_IDS, type ComponentId, type CustomerSpec } from '../../customers/schema';
import type { MetricsFile, StackMetrics } from './metrics';
import { showInstant, type GateFailure, type GateRecord, type RolloutState, type WaveRecord } from './state';

export interface GateCheck {
  readonly stack: string;
  /** The metrics file field, e.g. maxConsumerLagSeconds or inServiceInstances.enrich. */
  readonly metric: string;
  readonly observed: number | null;
  /** "max": healthy while observed <= limit; "min": while observed >= limit. */
  readonly bound: 'max' | 'min';
  readonly limit: number;
  /** Where the limit comes from, for the person reading a halt. */
  readonly source: string;
  readonly ok: boolean;
}

export interface Judgement {
  readonly verdict: 'healthy' | 'halted';
  readonly checks: GateCheck[];
  readonly failures: GateFailure[];
  /** Values the gate did not use (a stack outside the wave, a metric the cloud does not alarm on). */
  readonly ignored: string[];
}

interface Rule {
  readonly metric: Exclude<keyof StackMetrics, 'inServiceInstances'>;
  readonly bound: 'max' | 'min';
  readonly limit: (spec: CustomerSpec) => number;
  readonly source: string;
}

const AWS_RULES: readonly Rule[] = [
  { metric: 'http5xxPer5Min', bound: 'max', limit: (s) => thresholds(s).http5xxPer5Min, source: 'alerts.thresholds.http5xxPer5Min' },
  { metric: 'maxConsumerLagSeconds', bound: 'max', limit: (s) => s.alerts.thresholds.maxConsumerLagSeconds, source: 'alerts.thresholds.maxConsumerLagSeconds' },
  { metric: 'healthyCollectors', bound: 'min', limit: (s) => thresholds(s).minHealthyCollectors, source: 'alerts.thresholds.minHealthyCollectors' },
];

/** The collector-backend-health alert fires when more than one checker location fails. */
const GCP_FAILING_CHECKERS_LIMIT = 1;

const GCP_RULES: readonly Rule[] = [
  { metric: 'http5xxPercent', bound: 'max', limit: (s) => gcpThresholds(s).http5xxPercent, source: 'alerts.thresholds.http5xxPercent' },
  { metric: 'maxConsumerLagSeconds', bound: 'max', limit: (s) => s.alerts.thresholds.maxConsumerLagSeconds, source: 'alerts.thresholds.maxConsumerLagSeconds' },
  {
    metric: 'failingUptimeCheckers',
    bound: 'max',
    limit: () => GCP_FAILING_CHECKERS_LIMIT,
    source: 'collector-backend-health alert in constructs/gcp/gcp-pipeline.ts',
  },
];

function thresholds(spec: CustomerSpec): { http5xxPer5Min: number; minHealthyCollectors: number } {
  if (spec.cloud !== 'aws') throw new Error(`AWS thresholds asked of a ${spec.cloud} customer`);
  return spec.alerts.thresholds;
}

function gcpThresholds(spec: CustomerSpec): { http5xxPercent: number } {
  if (spec.cloud !== 'gcp') throw new Error(`GCP thresholds asked of a ${spec.cloud} customer`);
  return spec.alerts.thresholds;
}

/** The VM services a stack runs, each with its in-service alarm, and the component whose sizing sets its minimum. */
export function servicesOf(spec: CustomerSpec): { service: string; component: ComponentId }[] {
  const components = spec.components as Partial<Record<ComponentId, unknown>>;
  return COMPONENT_IDS.filter((c) => components[c] !== undefined).flatMap((component): { service: string; component: ComponentId }[] =>
    spec.cloud === 'aws' && component === 's3-loader'
      ? [
          { service: 's3-loader-enriched', component },
          { service: 's3-loader-bad', component },
        ]
      : [{ service: component, component }],
  );
}

function minSizeOf(spec: CustomerSpec, component: ComponentId): number {
  const c = (spec.components as Partial<Record<ComponentId, { sizing: { minSize: number } }>>)[component];
  if (!c) throw new Error(`${component} is not a component of this stack`);
  return c.sizing.minSize;
}

function showValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}

function failureOf(check: GateCheck, file: string): GateFailure {
  if (check.observed === null) {
    return {
      stack: check.stack,
      metric: check.metric,
      observed: null,
      limit: check.limit,
      reason: `no data (the metrics file has no value; "no data" is not healthy; limit ${check.bound === 'max' ? '<=' : '>='} ${showValue(check.limit)})`,
    };
  }
  const op = check.bound === 'max' ? '>' : '<';
  return {
    stack: check.stack,
    metric: check.metric,
    observed: check.observed,
    limit: check.limit,
    reason: `${showValue(check.observed)} ${op} ${showValue(check.limit)} (${check.source} in ${file})`,
  };
}

/**
 * Judges every member of the wave. `customers` maps each stack to its spec and file (the file is
 * named in explanations); a member missing from the metrics fails every check it has.
 */
export function judgeWave(wave: Pick<WaveRecord, 'stacks'>, customers: ReadonlyMap<string, { file: string; spec: CustomerSpec }>, metrics: MetricsFile): Judgement {
  const checks: GateCheck[] = [];
  const failures: GateFailure[] = [];
  const ignored: string[] = [];
  for (const stack of [...wave.stacks].sort()) {
    const customer = customers.get(stack);
    if (!customer) throw new Error(`no customer file for wave member ${stack}`);
    const { spec, file } = customer;
    const m: StackMetrics = metrics.stacks[stack] ?? {};
    if (metrics.stacks[stack] === undefined) {
      failures.push({ stack, metric: '(all)', observed: null, limit: null, reason: 'no metrics for this stack in the metrics file ("no data" is not healthy)' });
    }
    const rules = spec.cloud === 'aws' ? AWS_RULES : GCP_RULES;
    const stackChecks: GateCheck[] = rules.map((r) => {
      const observed = m[r.metric] ?? null;
      const limit = r.limit(spec);
      const ok = observed !== null && (r.bound === 'max' ? observed <= limit : observed >= limit);
      return { stack, metric: r.metric, observed, bound: r.bound, limit, source: r.source, ok };
    });
    const services = servicesOf(spec);
    for (const { service, component } of services) {
      const observed = m.inServiceInstances?.[service] ?? null;
      const limit = minSizeOf(spec, component);
      stackChecks.push({
        stack,
        metric: `inServiceInstances.${service}`,
        observed,
        bound: 'min',
        limit,
        source: `components.${component}.sizing.minSize`,
        ok: observed !== null && observed >= limit,
      });
    }
    checks.push(...stackChecks);
    if (metrics.stacks[stack] !== undefined) failures.push(...stackChecks.filter((c) => !c.ok).map((c) => failureOf(c, file)));

    const used = new Set<string>(rules.map((r) => r.metric));
    for (const key of Object.keys(m)) {
      if (key !== 'inServiceInstances' && !used.has(key)) ignored.push(`${stack} ${key} (no ${spec.cloud} alarm uses it)`);
    }
    for (const service of Object.keys(m.inServiceInstances ?? {})) {
      if (!services.some((s) => s.service === service)) ignored.push(`${stack} inServiceInstances.${service} (the stack runs no such service)`);
    }
  }
  for (const stack of Object.keys(metrics.stacks).sort()) {
    if (!wave.stacks.includes(stack)) ignored.push(`${stack} (not in this wave)`);
  }
  return { verdict: failures.length === 0 ? 'healthy' : 'halted', checks, failures, ignored };
}

export type GatePrecheck = { readonly kind: 'ok'; readonly wave: WaveRecord } | { readonly kind: 'error'; readonly message: string };

/** How far after the deploy mark a window may start and still count as covering the bake (exporters align to whole minutes or hours). */
export const WINDOW_START_SLACK_MS = 3_600_000;

/**
 * Whether the wave can be judged at `at` with metrics over `window`: it is deployed and not
 * halted since its last deploy mark, and the window lies between that mark and now.
 */
export function gatePrecheck(state: RolloutState | undefined, number: number, window: { from: string; to: string }, at: Date): GatePrecheck {
  const wave = state?.waves[String(number)];
  if (!state || !wave) return { kind: 'error', message: `wave ${number} is not in the rollout state: apply it first (\`fleet rollout apply --wave ${number}\`).` };
  const name = `wave ${number} (${wave.name})`;
  if (wave.status === 'pending') return { kind: 'error', message: `${name} has not been applied; there is nothing deployed to judge.` };
  if (wave.status === 'in-progress' || wave.deployedAt === undefined) {
    return { kind: 'error', message: `${name} is not recorded as deployed: CI runs \`fleet rollout mark --deployed --stacks "..."\` after the deploy succeeds; judge it after that.` };
  }
  if (wave.status === 'halted') {
    const halt = [...wave.gates].reverse().find((g) => g.verdict === 'halted');
    return {
      kind: 'error',
      message: `${name} was halted by the gate of ${showInstant(halt?.at ?? '')} and has not been deployed since: a halted wave is judged again only after a new deploy (fix or revert, deploy, \`fleet rollout mark --deployed\`), so the same versions are never judged twice.`,
    };
  }
  if (Date.parse(window.to) > at.getTime()) {
    return {
      kind: 'error',
      message: `the metrics window ends ${window.to}, after now (${at.toISOString()}): metrics for a time that has not come yet would skip the bake. Export metrics up to now at the latest.`,
    };
  }
  if (Date.parse(window.from) < Date.parse(wave.deployedAt)) {
    return {
      kind: 'error',
      message: `the metrics window starts ${window.from}, before ${name} was deployed (${wave.deployedAt}): values from before the deploy judge the old versions. Export metrics from ${wave.deployedAt} on.`,
    };
  }
  return { kind: 'ok', wave };
}

/** Records the verdict: a healthy wave stays (or becomes again) deployed, a failing one is halted. */
export function recordGate(state: RolloutState, wave: WaveRecord, judgement: Judgement, window: { from: string; to: string }, at: Date): { state: RolloutState; gate: GateRecord } {
  const to = new Date(window.to).toISOString();
  const gate: GateRecord = {
    at: at.toISOString(),
    window: { from: new Date(window.from).toISOString(), to },
    verdict: judgement.verdict,
    // Covering the bake: from the deploy mark (give or take the exporter's alignment) to its end.
    baked: wave.bakeEnds !== undefined && wave.deployedAt !== undefined && to >= wave.bakeEnds && Date.parse(window.from) <= Date.parse(wave.deployedAt) + WINDOW_START_SLACK_MS,
    failures: judgement.failures,
  };
  const updated: WaveRecord = { ...wave, status: judgement.verdict === 'healthy' ? 'deployed' : 'halted', gates: [...wave.gates, gate] };
  return { state: { ...state, waves: { ...state.waves, [String(wave.number)]: updated } }, gate };
}

/** The gate's report: one line per check, failures marked, then what was ignored. */
export function renderJudgement(wave: WaveRecord, judgement: Judgement, gate: GateRecord): string[] {
  const lines = [`wave ${wave.number} (${wave.name}): ${judgement.verdict.toUpperCase()} on metrics ${showInstant(gate.window.from)} .. ${showInstant(gate.window.to)}`];
  if (judgement.verdict === 'healthy') {
    lines.push(
      gate.baked
        ? `  the window covers the ${wave.bakeDays}-day bake: the next wave may be applied`
        : `  the bake runs from ${showInstant(wave.deployedAt ?? '')} until ${showInstant(wave.bakeEnds ?? '')}: gate again with metrics over all of it before the next wave`,
    );
  }
  const width = Math.max(...judgement.checks.map((c) => c.metric.length), 6);
  let stack = '';
  for (const c of judgement.checks) {
    if (c.stack !== stack) {
      stack = c.stack;
      lines.push(`  ${stack}`);
      const missing = judgement.failures.find((f) => f.stack === stack && f.metric === '(all)');
      if (missing) lines.push(`    FAIL  ${missing.reason}`);
    }
    const limit = `${showValue(c.limit)} (${c.source})`;
    const sign = c.bound === 'max' ? (c.ok ? '<=' : '>') : c.ok ? '>=' : '<';
    const verdict = c.observed === null ? `no data, limit ${c.bound === 'max' ? '<=' : '>='} ${limit}` : `${showValue(c.observed)} ${sign} ${limit}`;
    lines.push(`    ${c.ok ? 'ok  ' : 'FAIL'}  ${c.metric.padEnd(width)}  ${verdict}`);
  }
  for (const i of judgement.ignored) lines.push(`  ignored: ${i}`);
  return lines;
}
