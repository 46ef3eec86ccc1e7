/**
 * The metrics file `fleet rollout gate --metrics FILE` judges: for each stack, the values of the
 * alarm metrics its constructs define, over one window that starts after the wave's deploy.
 * The exporter (the monitoring side, which holds read access to CloudWatch / Cloud Monitoring)
 * reduces each series the way the alarm does, so the gate compares like with like:
 *
 * | field | cloud | alarm (constructs/aws/aws-pipeline.ts, constructs/gcp/gcp-pipeline.ts) | value over the window |
 * |---|---|---|---|
 * | http5xxPer5Min | aws | collector-lb-5xx, collector-target-5xx: AWS/ApplicationELB HTTPCode_ELB_5XX_Count and HTTPCode_Target_5XX_Count, Sum per 5 min | the highest 5-minute sum of either |
 * | http5xxPercent | gcp | collector-5xx-ratio: https/request_count with response_code_class 500 over all, per 5 min | the highest 5-minute ratio, in percent |
 * | maxConsumerLagSeconds | both | raw/enriched/bad-stream-lag: AWS/Kinesis GetRecords.IteratorAgeMilliseconds Maximum (divide by 1000); gcp: subscription/oldest_unacked_message_age | the highest across streams or subscriptions, in seconds |
 * | healthyCollectors | aws | collector-healthy-hosts: HealthyHostCount Minimum per minute | the lowest |
 * | failingUptimeCheckers | gcp | collector-backend-health: uptime_check/check_passed false, counted over checker locations | the highest count |
 * | inServiceInstances.<service> | both | <service>-in-service: AWS/AutoScaling GroupInServiceInstances Minimum; gcp: <service>-group-size: instance_group/size | the lowest, per service |
 *
 * Services are the components a stack runs, except that on AWS the S3 loader runs as two
 * services, s3-loader-enriched and s3-loader-bad. A value of null means the series had no data
 * points; like a missing field, it is judged "no data", which is not healthy.
 */
import { z } from 'zod';
import { expect, schemaReference } from '../../customers/schema';
import { parseJson, type ValidationIssue } from '../../customers/json-issues';
import { parseJsonFile } from './issues';

const value = z
  .number()
  .min(0, expect('a number >= 0 (null when the series has no data)'))
  .nullable();

const instant = z.iso.datetime({ offset: true });

export const stackMetricsSchema = z.strictObject({
  http5xxPer5Min: value.optional(),
  http5xxPercent: value.optional(),
  maxConsumerLagSeconds: value.optional(),
  healthyCollectors: value.optional(),
  failingUptimeCheckers: value.optional(),
  inServiceInstances: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), value).optional(),
});

export const metricsFileSchema = z.strictObject({
  $schema: schemaReference.optional(),
  /** The period the values cover; it starts at or after the wave's deploy. */
  window: z
    .strictObject({ from: instant, to: instant })
    .refine((w) => Date.parse(w.to) > Date.parse(w.from), { message: expect('window.to after window.from'), path: ['to'] }),
  stacks: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), stackMetricsSchema),
});

export type StackMetrics = z.infer<typeof stackMetricsSchema>;
export type MetricsFile = z.infer<typeof metricsFileSchema>;

/**
 * Reads the metrics file. It may hold the metrics object, or that object as a JSON string: what
 * a workflow writes from `toJSON(github.event.client_payload.metrics)` when the sender used
 * `gh api -F 'client_payload[metrics]=@metrics.json'` (gh sends a file's content as a string).
 */
export function parseMetrics(file: string, text: string): { metrics?: MetricsFile; issues: ValidationIssue[] } {
  const outer = parseJson(file, text);
  if (outer.issues.length === 0 && typeof outer.raw === 'string') text = outer.raw;
  const result = parseJsonFile(file, text, metricsFileSchema, 'the metrics format in upgrades/rollout/metrics.ts');
  return result.data ? { metrics: result.data, issues: [] } : { issues: result.issues };
}
