import type { AwsCustomerSpec } from '../../customers/schema';
import type { Alerting } from './alerting';
import type { LeaseTable } from './lease-table';
import type { StreamName } from './streams';

/** A load balancer and target group, by the ARN suffixes CloudWatch dimensions use. */
export interface TargetGroupRef {
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
}

export interface PipelineAlarmsProps {
  readonly thresholds: AwsCustomerSpec['alerts']['thresholds'];
  readonly domain: string;
  /** The collector's load balancer; undefined while its certificate waits for validation (no HTTPS listener yet). */
  readonly collector?: TargetGroupRef;
  readonly streamNames: Readonly<Record<StreamName, string>>;
  /** Every KCL consumer with its own lease table. */
  readonly consumers: readonly { readonly component: string; readonly leases: LeaseTable }[];
  /** Every SQS consumer with the queue it drains. */
  readonly queueConsumers: readonly { readonly component: string; readonly queueName: string }[];
  /** Auto scaling groups with their minimum size. */
  readonly groups: readonly { readonly component: string; readonly name: string; readonly minSize: number }[];
  readonly iglu?: TargetGroupRef;
  /** Every certificate the collector serves, stack-managed or imported: ACM publishes DaysToExpiry for both. */
  readonly certificates: readonly { readonly id: string; readonly arn: string }[];
}

/**
 * The alarms that tell the nominated contacts an app died or is about to fail. Each consumer has
 * its own signal, because a stream- or queue-level metric is fed by the consumers themselves and
 * goes silent, not high, when one stops:
 * - a KCL consumer renews its leases every few seconds, so no writes to its own lease table for
 *   10 minutes (missing data breaching) means no worker of that app runs, whatever its version
 *   publishes (common-streams apps disable the KCL CloudWatch metrics);
 * - an SQS consumer lets the oldest message age;
 * - the Iglu Server and the collector have healthy hosts behind their load balancers.
 */
export function addPipelineAlarms(alerting: Alerting, p: PipelineAlarmsProps): void {
  const t = p.thresholds;
  if (p.collector) {
    const { loadBalancerArnSuffix, targetGroupArnSuffix } = p.collector;
    for (const [id, metric, source] of [
      ['collector-lb-5xx', 'HTTPCode_ELB_5XX_Count', 'the load balancer'],
      ['collector-target-5xx', 'HTTPCode_Target_5XX_Count', 'collector instances'],
    ] as const) {
      alerting.alarm(id, {
        description: `More than ${t.http5xxPer5Min} HTTP 5xx responses from ${source} in 5 minutes at ${p.domain}`,
        namespace: 'AWS/ApplicationELB',
        metricName: metric,
        dimensions: { LoadBalancer: loadBalancerArnSuffix },
        statistic: 'Sum',
        comparison: 'GreaterThanThreshold',
        threshold: t.http5xxPer5Min,
      });
    }
    alerting.alarm('collector-healthy-hosts', {
      description: `Fewer than ${t.minHealthyCollectors} healthy collector instance(s) behind ${p.domain}`,
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensions: { LoadBalancer: loadBalancerArnSuffix, TargetGroup: targetGroupArnSuffix },
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      threshold: t.minHealthyCollectors,
      periodSeconds: 60,
      evaluationPeriods: 3,
      treatMissingData: 'breaching',
    });
  }
  if (p.iglu) {
    alerting.alarm('iglu-server-healthy-hosts', {
      description: 'No healthy Iglu Server behind its internal load balancer: enrich and the loaders cannot resolve custom schemas',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensions: { LoadBalancer: p.iglu.loadBalancerArnSuffix, TargetGroup: p.iglu.targetGroupArnSuffix },
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      threshold: 1,
      periodSeconds: 60,
      evaluationPeriods: 3,
      treatMissingData: 'breaching',
    });
  }
  for (const stream of ['raw', 'enriched', 'bad'] as const) {
    alerting.alarm(`${stream}-stream-lag`, {
      description: `Records on the ${stream} stream wait more than ${t.maxConsumerLagSeconds} s to be read: a consumer is behind`,
      namespace: 'AWS/Kinesis',
      metricName: 'GetRecords.IteratorAgeMilliseconds',
      dimensions: { StreamName: p.streamNames[stream] },
      statistic: 'Maximum',
      comparison: 'GreaterThanThreshold',
      threshold: t.maxConsumerLagSeconds * 1000,
      evaluationPeriods: 2,
      // Only reads produce this metric: no reader at all is as bad as a slow one.
      treatMissingData: 'breaching',
    });
  }
  for (const c of p.consumers) {
    alerting.alarm(`${c.component}-heartbeat`, {
      description: `${c.component} renewed no Kinesis lease for 10 minutes: no worker of it is running (crashed, not started, or cannot reach DynamoDB)`,
      ...c.leases.heartbeatMetric,
      statistic: 'Sum',
      comparison: 'LessThanThreshold',
      threshold: 1,
      periodSeconds: 300,
      evaluationPeriods: 2,
      treatMissingData: 'breaching',
    });
  }
  for (const q of p.queueConsumers) {
    alerting.alarm(`${q.component}-queue-age`, {
      description: `The oldest message on ${q.queueName} waits more than ${t.maxConsumerLagSeconds} s: ${q.component} is down or cannot load`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: q.queueName },
      statistic: 'Maximum',
      comparison: 'GreaterThanThreshold',
      threshold: t.maxConsumerLagSeconds,
      evaluationPeriods: 2,
      // An idle queue stops reporting after hours; the producer's own heartbeat covers that case.
      treatMissingData: 'notBreaching',
    });
  }
  for (const g of p.groups) {
    alerting.alarm(`${g.component}-in-service`, {
      description: `${g.component} has fewer in-service instances than its minimum of ${g.minSize}`,
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensions: { AutoScalingGroupName: g.name },
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      threshold: g.minSize,
      periodSeconds: 60,
      evaluationPeriods: 5,
      treatMissingData: 'breaching',
    });
  }
  for (const cert of p.certificates) {
    alerting.alarm(`${cert.id}-expiry`, {
      description: `A certificate served for ${p.domain} expires within ${t.certificateExpiryDays} days: renew or re-import it (managed: check its DNS validation record)`,
      namespace: 'AWS/CertificateManager',
      metricName: 'DaysToExpiry',
      dimensions: { CertificateArn: cert.arn },
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      threshold: t.certificateExpiryDays,
      periodSeconds: 86400,
    });
  }
}
