import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { physicalName } from '../naming';

export interface AlertingProps {
  readonly namePrefix: string;
  readonly kmsKeyArn: string;
  /** Nominated contacts; each gets an email subscription (AWS asks them to confirm it). */
  readonly contacts: readonly string[];
}

export interface AlarmSpec {
  /** What the alarm watches, in words for the email's reader. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Sum' | 'Average' | 'Minimum' | 'Maximum';
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly threshold: number;
  /** Default: 300 seconds. */
  readonly periodSeconds?: number;
  /** Default: 1. */
  readonly evaluationPeriods?: number;
  /** Default: notBreaching; use breaching where silence means the thing is down. */
  readonly treatMissingData?: 'breaching' | 'notBreaching' | 'missing';
}

/**
 * Failure alerts emailed to the customer's nominated contacts: an encrypted SNS topic with one
 * email subscription per contact, and the CloudWatch alarms that publish to it on alarm and on
 * recovery.
 */
export class Alerting extends Construct {
  public readonly topic: SnsTopic;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    if (props.contacts.length === 0) throw new Error(`Alerting ${props.namePrefix}: contacts is empty; nominate at least one email address`);
    this.namePrefix = props.namePrefix;
    this.topic = new SnsTopic(this, 'topic', {
      name: physicalName([props.namePrefix, 'pipeline-alerts'], 256),
      displayName: `Pipeline alerts ${props.namePrefix}`,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    for (const contact of [...props.contacts].sort()) {
      new SnsTopicSubscription(this, `email-${contact}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: contact });
    }
  }

  public alarm(id: string, spec: AlarmSpec): CloudwatchMetricAlarm {
    return new CloudwatchMetricAlarm(this, id, {
      alarmName: physicalName([this.namePrefix, id], 255),
      alarmDescription: spec.description,
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: { ...spec.dimensions },
      statistic: spec.statistic,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      period: spec.periodSeconds ?? 300,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      treatMissingData: spec.treatMissingData ?? 'notBreaching',
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    });
  }
}
