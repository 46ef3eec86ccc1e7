import { Construct } from 'constructs';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic';
import { physicalName } from '../naming';

export interface PipelineTopicsProps {
  readonly namePrefix: string;
  readonly projectId: string;
  /** Messages are stored in this region only (data residency). */
  readonly region: string;
  /** Topic names after the prefix, e.g. ["raw", "enriched", "bad"]. */
  readonly topics: readonly string[];
  /**
   * Topics that keep every message for this long whether or not a subscription has read it, so a
   * subscription made later (an investigation) can seek back. Default: none.
   */
  readonly retainedTopics?: Readonly<Record<string, string>>;
}

export interface SubscriptionOptions {
  /** Default: 60 seconds (the apps extend deadlines while they work). */
  readonly ackDeadlineSeconds?: number;
  /** How long unacknowledged messages are kept. Default: 7 days, the maximum. */
  readonly messageRetentionDuration?: string;
  /** Delete the subscription after this long without a pull, e.g. "86400s". Default: never. */
  readonly expireAfterInactivity?: string;
}

/**
 * The pipeline's Pub/Sub topics and one subscription per consumer. Subscriptions never expire by
 * default (Pub/Sub's own default deletes an idle one after 31 days, which would silently drop
 * events if a consumer were down that long).
 */
export class PipelineTopics extends Construct {
  private readonly topicsByName = new Map<string, PubsubTopic>();
  private readonly props: PipelineTopicsProps;

  constructor(scope: Construct, id: string, props: PipelineTopicsProps) {
    super(scope, id);
    this.props = props;
    for (const topic of props.topics) {
      if (!/^[a-z][a-z0-9-]*$/.test(topic)) throw new Error(`PipelineTopics ${props.namePrefix}: topic "${topic}" must be kebab-case`);
      this.topicsByName.set(
        topic,
        new PubsubTopic(this, topic, {
          project: props.projectId,
          name: this.topicName(topic),
          messageStoragePolicy: { allowedPersistenceRegions: [props.region] },
          messageRetentionDuration: props.retainedTopics?.[topic],
        }),
      );
    }
    for (const topic of Object.keys(props.retainedTopics ?? {})) {
      if (!this.topicsByName.has(topic)) throw new Error(`PipelineTopics ${props.namePrefix}: retainedTopics names "${topic}", which is not a topic; one of ${props.topics.join(', ')}`);
    }
  }

  public topicName(topic: string): string {
    return physicalName([this.props.namePrefix, topic], 255);
  }

  public topic(topic: string): PubsubTopic {
    const t = this.topicsByName.get(topic);
    if (!t) throw new Error(`PipelineTopics ${this.props.namePrefix}: no topic "${topic}"; topics are ${[...this.topicsByName.keys()].join(', ')}`);
    return t;
  }

  /** projects/<project>/topics/<name>: the form the apps' configuration takes. */
  public topicPath(topic: string): string {
    return `projects/${this.props.projectId}/topics/${this.topicName(topic)}`;
  }

  public subscriptionName(topic: string, consumer: string): string {
    return physicalName([this.props.namePrefix, topic, consumer], 255);
  }

  public subscriptionPath(topic: string, consumer: string): string {
    return `projects/${this.props.projectId}/subscriptions/${this.subscriptionName(topic, consumer)}`;
  }

  /** A subscription owned by one consumer. Call once per consumer and topic. */
  public subscribe(scope: Construct, id: string, topic: string, consumer: string, options: SubscriptionOptions = {}): PubsubSubscription {
    const ack = options.ackDeadlineSeconds ?? 60;
    if (ack < 10 || ack > 600) throw new Error(`PipelineTopics ${this.props.namePrefix}: ackDeadlineSeconds ${ack} must be within 10-600`);
    return new PubsubSubscription(scope, id, {
      project: this.props.projectId,
      name: this.subscriptionName(topic, consumer),
      topic: this.topic(topic).id,
      ackDeadlineSeconds: ack,
      messageRetentionDuration: options.messageRetentionDuration ?? '604800s',
      expirationPolicy: { ttl: options.expireAfterInactivity ?? '' },
    });
  }
}
