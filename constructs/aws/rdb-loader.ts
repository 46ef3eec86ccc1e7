import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { physicalName } from '../naming';
import { ArchiveBucket } from './archive-bucket';
import { LeaseTable } from './lease-table';
import { denyInsecureTransportJson, policyJson, trustPolicyJson, type PolicyStatement } from './policy-document';

/** The Kinesis stream an app reads or writes: the literal name (for configs) and the ARN (for IAM). */
export interface StreamRef {
  readonly name: string;
  readonly arn: string;
}

export interface RdbLoaderResourcesProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  /** Customer key: encrypts the transformed bucket and the transformer's lease table. */
  readonly kmsKeyArn: string;
  readonly enriched: StreamRef;
  readonly bad: StreamRef;
  /** Permissions boundary of the COPY role. Default: none. */
  readonly permissionsBoundaryArn?: string;
  /** Days the loader may be down before a message (a loadable batch) is dropped. Default: 14, the SQS maximum. */
  readonly queueRetentionDays?: number;
}

const KINESIS_READ = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];
const KINESIS_WRITE = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'];

/** Prefix of the bucket the transformer writes its windows under; the loader and Redshift read only this. */
export const TRANSFORMED_PREFIX = 'transformed';

/**
 * The cloud side of the RDB loader as it really runs (snowplow-rdb-loader 5.x/6.x):
 *
 *   enriched stream -> transformer-kinesis (KCL, its own lease table) -> S3 (transformed/) ->
 *   one message per window on an SQS FIFO queue -> Redshift loader -> COPY run by Redshift
 *   with the COPY role.
 *
 * The FIFO queue is what the apps require: the transformer sends with a message group id and no
 * deduplication id, so the queue deduplicates by content. It is encrypted with SQS-managed keys:
 * a message holds a batch's S3 path and schema list, never event data, and SSE-SQS needs no key
 * grant in either app's role. The COPY role is assumed by Redshift itself (the cluster must have it
 * attached: see the output), so the loader's own role never reads event data for the load.
 *
 * This construct makes the resources and the least-privilege statements of each app; the VMs are
 * made by the pipeline from the app contracts with `transformerStatements` and `loaderStatements`.
 */
export class RdbLoaderResources extends Construct {
  public readonly bucket: ArchiveBucket;
  /** Literal bucket name: app configs cannot hold tokens. */
  public readonly bucketName: string;
  public readonly queue: SqsQueue;
  /** Literal queue name (the loader's `messageQueue`, the transformer's `queue.queueName`). */
  public readonly queueName: string;
  public readonly transformerLeases: LeaseTable;
  public readonly copyRole: IamRole;
  /** Literal ARN of the COPY role (the loader's `storage.roleArn`). */
  public readonly copyRoleArn: string;
  /** s3:// URI the transformer writes to. */
  public readonly outputUri: string;
  private readonly props: RdbLoaderResourcesProps;

  constructor(scope: Construct, id: string, props: RdbLoaderResourcesProps) {
    super(scope, id);
    this.props = props;
    const retentionDays = props.queueRetentionDays ?? 14;
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 14) {
      throw new Error(`RdbLoaderResources ${props.namePrefix}: queueRetentionDays ${retentionDays} is outside 1..14 (the SQS limit); use 14`);
    }
    const { namePrefix, region, accountId } = props;

    this.bucketName = physicalName([namePrefix, 'transformed', accountId], 63);
    // Batches stay until loaded; the loader does not delete them, so the customer's archive
    // lifecycle is not applied here.
    this.bucket = new ArchiveBucket(this, 'bucket', { bucketName: this.bucketName, kmsKeyArn: props.kmsKeyArn });
    this.outputUri = `s3://${this.bucketName}/${TRANSFORMED_PREFIX}/`;

    // ".fifo" is part of the 80-character name.
    this.queueName = `${physicalName([namePrefix, 'rdb-loader'], 75)}.fifo`;
    this.queue = new SqsQueue(this, 'queue', {
      name: this.queueName,
      fifoQueue: true,
      contentBasedDeduplication: true,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: retentionDays * 86400,
      // The loader extends the visibility of the message it is loading itself; this is the floor.
      visibilityTimeoutSeconds: 300,
    });

    new SqsQueuePolicy(this, 'queue-policy', {
      queueUrl: this.queue.url,
      policy: denyInsecureTransportJson('sqs:*', this.queue.arn),
    });

    this.transformerLeases = new LeaseTable(this, 'transformer-leases', { name: `${namePrefix}-transformer`, kmsKeyArn: props.kmsKeyArn, region });

    const copyRoleName = physicalName([namePrefix, 'redshift-copy'], 64);
    this.copyRoleArn = `arn:aws:iam::${accountId}:role/${copyRoleName}`;
    this.copyRole = new IamRole(this, 'copy-role', {
      name: copyRoleName,
      description: `Assumed by the Redshift cluster of ${namePrefix} to COPY the transformed batches`,
      assumeRolePolicy: trustPolicyJson([
        {
          principals: { Service: ['redshift.amazonaws.com'] },
          // Redshift passes the database user as external id: only clusters of this account and region.
          conditions: { StringLike: { 'sts:ExternalId': `arn:aws:redshift:${region}:${accountId}:dbuser:*` } },
        },
      ]),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    new IamRolePolicy(this, 'copy-policy', { name: 'copy-transformed', role: this.copyRole.id, policy: policyJson(this.readTransformed('Copy')) });

    new TerraformOutput(this, 'redshift-copy-role', {
      description: 'Once, before the loader starts: attach this role to the Redshift cluster (aws redshift modify-cluster-iam-roles --cluster-identifier <cluster> --add-iam-roles <arn>)',
      value: this.copyRole.arn,
    });
    new TerraformOutput(this, 'rdb-loader-queue', { description: 'SQS FIFO queue between the transformer and the loader', value: this.queue.url });
  }

  /** Read the transformed batches: the objects under the prefix, listing of that prefix, the key through S3. */
  private readTransformed(sidPrefix: string): PolicyStatement[] {
    const arn = this.bucket.bucket.arn;
    return [
      { sid: `${sidPrefix}ReadBatches`, actions: ['s3:GetObject'], resources: [`${arn}/${TRANSFORMED_PREFIX}/*`] },
      {
        sid: `${sidPrefix}ListBatches`,
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [arn],
        conditions: { StringLike: { 's3:prefix': [`${TRANSFORMED_PREFIX}/*`, TRANSFORMED_PREFIX] } },
      },
      {
        sid: `${sidPrefix}DecryptBatches`,
        actions: ['kms:Decrypt'],
        resources: [this.props.kmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.props.region}.amazonaws.com` } },
      },
    ];
  }

  /**
   * The transformer: reads enriched (KCL, its lease table and metric namespace), writes batches
   * and their shredding_complete.json under the prefix (it reads them back to check a window),
   * writes bad rows (5.4+), announces each batch on the queue.
   */
  public transformerStatements(): PolicyStatement[] {
    const arn = this.bucket.bucket.arn;
    return [
      { sid: 'ReadEnriched', actions: KINESIS_READ, resources: [this.props.enriched.arn] },
      { sid: 'WriteFailures', actions: KINESIS_WRITE, resources: [this.props.bad.arn] },
      ...this.transformerLeases.workerStatements(),
      {
        sid: 'PublishConsumerMetrics',
        // PutMetricData has no resource-level permissions; the namespace condition scopes it.
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.transformerLeases.name } },
      },
      { sid: 'WriteBatches', actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], resources: [`${arn}/${TRANSFORMED_PREFIX}/*`] },
      { sid: 'ListBatches', actions: ['s3:ListBucket'], resources: [arn], conditions: { StringLike: { 's3:prefix': [`${TRANSFORMED_PREFIX}/*`, TRANSFORMED_PREFIX] } } },
      {
        sid: 'EncryptBatches',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.props.kmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.props.region}.amazonaws.com` } },
      },
      { sid: 'AnnounceBatches', actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'], resources: [this.queue.arn] },
    ];
  }

  /**
   * The loader: takes batches off the queue (keeping a message invisible while it loads), reads
   * the batch folder it is told about (the Redshift COPY itself runs with the COPY role).
   */
  public loaderStatements(): PolicyStatement[] {
    return [
      { sid: 'TakeBatches', actions: ['sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], resources: [this.queue.arn] },
      ...this.readTransformed('Loader'),
    ];
  }
}
