import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { denyInsecureTransportJson } from './policy-document';

export interface ArchiveBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  /** Days before objects move to STANDARD_IA. Default: never. */
  readonly transitionToInfrequentAccessDays?: number;
  /** Days before objects expire. Default: never. */
  readonly expireDays?: number;
}

/**
 * The S3 loader's bucket: KMS-encrypted, private (all four public access blocks, bucket owner
 * enforced), HTTPS only, with the customer's lifecycle rules.
 */
export class ArchiveBucket extends Construct {
  public readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    const { transitionToInfrequentAccessDays: ia, expireDays } = props;
    if (ia !== undefined && expireDays !== undefined && expireDays <= ia) {
      throw new Error(`ArchiveBucket ${props.bucketName}: expireDays ${expireDays} must be after transitionToInfrequentAccessDays ${ia}; raise expireDays or drop the transition`);
    }
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: denyInsecureTransportJson('s3:*', [this.bucket.arn, `${this.bucket.arn}/*`]),
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...(ia !== undefined || expireDays !== undefined
          ? [
              {
                id: 'retention',
                status: 'Enabled',
                filter: [{ prefix: '' }],
                ...(ia !== undefined ? { transition: [{ days: ia, storageClass: 'STANDARD_IA' }] } : {}),
                ...(expireDays !== undefined ? { expiration: [{ days: expireDays }] } : {}),
              },
            ]
          : []),
      ],
    });
  }
}
