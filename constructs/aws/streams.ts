import { Construct } from 'constructs';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';

export type StreamName = 'raw' | 'enriched' | 'bad';

export interface PipelineStreamsProps {
  readonly namePrefix: string;
  /** Default: on-demand capacity. */
  readonly mode?: 'on-demand' | 'provisioned';
  /** Shards per stream; required when mode is provisioned. */
  readonly shards?: Readonly<Record<StreamName, number>>;
  /** Default: 24. */
  readonly retentionHours?: number;
}

/**
 * The raw, enriched and bad Kinesis streams. Encrypted with the AWS-managed Kinesis key, which
 * every role in the account may use through Kinesis, so consumers need no extra KMS grant.
 */
export class PipelineStreams extends Construct {
  public readonly streams: Readonly<Record<StreamName, KinesisStream>>;
  public readonly names: Readonly<Record<StreamName, string>>;

  constructor(scope: Construct, id: string, props: PipelineStreamsProps) {
    super(scope, id);
    const mode = props.mode ?? 'on-demand';
    if (mode === 'provisioned' && props.shards === undefined) {
      throw new Error(`PipelineStreams ${props.namePrefix}: mode "provisioned" needs shards { raw, enriched, bad }; set them or use mode "on-demand"`);
    }
    const make = (name: StreamName): KinesisStream =>
      new KinesisStream(this, name, {
        name: `${props.namePrefix}-${name}`,
        retentionPeriod: props.retentionHours ?? 24,
        encryptionType: 'KMS',
        kmsKeyId: 'alias/aws/kinesis',
        streamModeDetails: { streamMode: mode === 'on-demand' ? 'ON_DEMAND' : 'PROVISIONED' },
        ...(mode === 'provisioned' ? { shardCount: props.shards![name] } : {}),
      });
    this.streams = { raw: make('raw'), enriched: make('enriched'), bad: make('bad') };
    this.names = { raw: `${props.namePrefix}-raw`, enriched: `${props.namePrefix}-enriched`, bad: `${props.namePrefix}-bad` };
  }
}
