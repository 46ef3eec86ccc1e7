import { Construct } from 'constructs';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';

export interface GcpAlertingProps {
  readonly namePrefix: string;
  readonly projectId: string;
  /** Nominated contacts; each gets an email notification channel. */
  readonly contacts: readonly string[];
}

export interface ThresholdAlert {
  /** What the alert watches, in words for the email's reader. */
  readonly description: string;
  /** Monitoring filter selecting the time series. */
  readonly filter: string;
  /** Denominator filter: makes the condition a ratio filter / denominatorFilter. Default: none. */
  readonly denominatorFilter?: string;
  readonly aligner: 'ALIGN_MAX' | 'ALIGN_MIN' | 'ALIGN_MEAN' | 'ALIGN_SUM' | 'ALIGN_RATE' | 'ALIGN_NEXT_OLDER' | 'ALIGN_DELTA';
  /** Reduces the series to one per these fields. Default: no cross-series reduction. */
  readonly reducer?: { readonly reducer: 'REDUCE_SUM' | 'REDUCE_MAX' | 'REDUCE_MIN' | 'REDUCE_MEAN' | 'REDUCE_COUNT_FALSE'; readonly groupBy: readonly string[] };
  readonly comparison: 'COMPARISON_GT' | 'COMPARISON_LT';
  readonly threshold: number;
  /** Alignment period. Default: 60 s. */
  readonly alignmentSeconds?: number;
  /** How long the condition must hold. Default: 300 s. */
  readonly durationSeconds?: number;
  /** What no data means. Default: inactive (silence is not a failure). */
  readonly missingData?: 'EVALUATION_MISSING_DATA_INACTIVE' | 'EVALUATION_MISSING_DATA_ACTIVE';
  /** Default: ERROR. */
  readonly severity?: 'CRITICAL' | 'ERROR' | 'WARNING';
}

/**
 * Failure alerts emailed to the customer's nominated contacts: one email notification channel per
 * contact, alert policies that notify all of them on incident and on recovery, and an external
 * uptime check of the collector endpoint.
 */
export class GcpAlerting extends Construct {
  public readonly channels: MonitoringNotificationChannel[];
  private readonly props: GcpAlertingProps;

  constructor(scope: Construct, id: string, props: GcpAlertingProps) {
    super(scope, id);
    if (props.contacts.length === 0) throw new Error(`GcpAlerting ${props.namePrefix}: contacts is empty; nominate at least one email address`);
    this.props = props;
    this.channels = [...new Set(props.contacts)].sort().map(
      (contact) =>
        new MonitoringNotificationChannel(this, `email-${contact}`, {
          project: props.projectId,
          type: 'email',
          displayName: `${props.namePrefix} pipeline alerts: ${contact}`,
          labels: { email_address: contact },
          userLabels: { pipeline: props.namePrefix },
        }),
    );
  }

  /** What every alert policy of the pipeline shares: project, name, channels, documentation, labels. */
  private policyBase(id: string, description: string, severity: string | undefined) {
    return {
      project: this.props.projectId,
      displayName: `${this.props.namePrefix} ${id}`,
      combiner: 'OR',
      severity: severity ?? 'ERROR',
      notificationChannels: this.channels.map((c) => c.id),
      documentation: { content: description, mimeType: 'text/markdown', subject: `[${this.props.namePrefix}] ${id}` },
      userLabels: { pipeline: this.props.namePrefix },
    };
  }

  public alert(id: string, spec: ThresholdAlert): MonitoringAlertPolicy {
    const alignment = `${spec.alignmentSeconds ?? 60}s`;
    const aggregation = {
      alignmentPeriod: alignment,
      perSeriesAligner: spec.aligner,
      ...(spec.reducer ? { crossSeriesReducer: spec.reducer.reducer, groupByFields: [...spec.reducer.groupBy] } : {}),
    };
    return new MonitoringAlertPolicy(this, id, {
      ...this.policyBase(id, spec.description, spec.severity),
      alertStrategy: { autoClose: '86400s', notificationPrompts: ['OPENED', 'CLOSED'] },
      conditions: [
        {
          displayName: spec.description.slice(0, 100),
          conditionThreshold: {
            filter: spec.filter,
            comparison: spec.comparison,
            thresholdValue: spec.threshold,
            duration: `${spec.durationSeconds ?? 300}s`,
            evaluationMissingData: spec.missingData ?? 'EVALUATION_MISSING_DATA_INACTIVE',
            aggregations: [aggregation],
            ...(spec.denominatorFilter ? { denominatorFilter: spec.denominatorFilter, denominatorAggregations: [aggregation] } : {}),
            trigger: { count: 1 },
          },
        },
      ],
    });
  }

  /**
   * An alert on matching log entries, for signals Cloud Monitoring has no metric for (e.g. a
   * load-balancer health check probe turning unhealthy). Notifies at most every `rateLimitSeconds`
   * (default 1800 s), and the incident closes on its own after a day without new matches.
   */
  public logAlert(id: string, spec: { readonly description: string; readonly filter: string; readonly rateLimitSeconds?: number; readonly severity?: 'CRITICAL' | 'ERROR' | 'WARNING' }): MonitoringAlertPolicy {
    return new MonitoringAlertPolicy(this, id, {
      ...this.policyBase(id, spec.description, spec.severity),
      alertStrategy: { autoClose: '86400s', notificationRateLimit: { period: `${spec.rateLimitSeconds ?? 1800}s` } },
      conditions: [{ displayName: spec.description.slice(0, 100), conditionMatchedLog: { filter: spec.filter } }],
    });
  }

  /** An HTTPS uptime check of `https://<host><path>` from Google's checkers, with certificate validation. */
  public uptimeCheck(id: string, host: string, path: string): MonitoringUptimeCheckConfig {
    return new MonitoringUptimeCheckConfig(this, id, {
      project: this.props.projectId,
      displayName: `${this.props.namePrefix} ${id}`,
      timeout: '10s',
      period: '60s',
      checkerType: 'STATIC_IP_CHECKERS',
      httpCheck: { path, port: 443, useSsl: true, validateSsl: true, requestMethod: 'GET' },
      monitoredResource: { type: 'uptime_url', labels: { project_id: this.props.projectId, host } },
      userLabels: { pipeline: this.props.namePrefix },
    });
  }
}
