import { Construct } from 'constructs';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';

export interface PrivateBucketProps {
  readonly projectId: string;
  /** Globally unique bucket name. */
  readonly name: string;
  /** Region (or multi-region) the objects live in. */
  readonly location: string;
  /** Delete objects this many days after they are written. Default: kept until removed. */
  readonly expireDays?: number;
}

/**
 * A bucket nobody outside the project's IAM can reach: uniform bucket-level access (no object
 * ACLs) and public access prevention enforced, so not even a mistaken allUsers binding can expose
 * it. Access is granted with bucket-level IAM members on this bucket only.
 */
export class PrivateBucket extends Construct {
  public readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    if (!/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(props.name)) {
      throw new Error(`PrivateBucket: "${props.name}" is not a valid bucket name (3-63 lower-case letters, digits, - and _)`);
    }
    if (props.expireDays !== undefined && props.expireDays < 1) throw new Error(`PrivateBucket ${props.name}: expireDays ${props.expireDays} must be at least 1`);
    this.bucket = new StorageBucket(this, 'bucket', {
      project: props.projectId,
      name: props.name,
      location: props.location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: false,
      lifecycleRule: props.expireDays ? [{ action: { type: 'Delete' }, condition: { age: props.expireDays } }] : undefined,
    });
  }
}
