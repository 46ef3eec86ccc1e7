import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { physicalName } from '../naming';
import { policyJson, trustPolicyJson, type PolicyStatement } from './policy-document';

export interface PlanRoleProps {
  readonly namePrefix: string;
  readonly accountId: string;
  /** Who may assume the role: IAM principal ARNs (CI's plan role, the managing team's roles). */
  readonly principalArns: readonly string[];
  /** The stack's Terraform state: bucket and object key, as in its S3 backend. */
  readonly state: {
    readonly bucket: string;
    readonly key: string;
    readonly region: string;
    /** DynamoDB lock table. Default: none (the backend locks with `<key>.tflock` in the bucket). */
    readonly dynamodbTable?: string;
  };
  /** Default: none. */
  readonly permissionsBoundaryArn?: string;
}

/**
 * Terraform's refresh reads of the resource types the pipeline uses: configuration and tags,
 * never data (no s3:GetObject on pipeline buckets, no kinesis:GetRecords, no dynamodb:GetItem on
 * the lease table, no secretsmanager:GetSecretValue, no kms:Decrypt). These describe/list APIs do
 * not support resource-level permissions, hence "*"; each action is a read.
 */
export const PLAN_READ_ACTIONS: readonly string[] = [
  'acm:DescribeCertificate',
  'acm:ListTagsForCertificate',
  'autoscaling:Describe*',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:ListTagsForResource',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
  'ec2:Describe*',
  'elasticloadbalancing:Describe*',
  'iam:GetInstanceProfile',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
  'iam:ListRoleTags',
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:ListTagsForStream',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListResourceTags',
  'logs:DescribeLogGroups',
  'logs:ListTagsForResource',
  'logs:ListTagsLogGroup',
  'rds:DescribeDBInstances',
  'rds:DescribeDBSubnetGroups',
  'rds:ListTagsForResource',
  'route53:GetChange',
  'route53:GetHostedZone',
  'route53:ListResourceRecordSets',
  's3:GetAccelerateConfiguration',
  's3:GetBucket*',
  's3:GetEncryptionConfiguration',
  's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  's3:ListAllMyBuckets',
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetResourcePolicy',
  'sns:GetSubscriptionAttributes',
  'sns:GetTopicAttributes',
  'sns:ListTagsForResource',
  // The RDB loader's queue; reading parameter values is limited to the pipeline's own (below).
  'sqs:GetQueueAttributes',
  'sqs:ListQueueTags',
  'ssm:DescribeParameters',
  'ssm:ListTagsForResource',
];

/**
 * The identity pull-request plans run as: it can refresh the pipeline and read (and lock) the
 * stack's state, and change nothing else. Plans of any branch's code run with it; only deploy
 * jobs in protected environments get the deploy role.
 */
export class PlanRole extends Construct {
  public readonly role: IamRole;
  /** Known at synth time (not a token), so CI can read it from cdk.tf.json before planning. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: PlanRoleProps) {
    super(scope, id);
    if (props.principalArns.length === 0) throw new Error(`PlanRole ${props.namePrefix}: principalArns is empty; name CI's plan role (arn:aws:iam::<account>:role/<name>)`);
    const bad = props.principalArns.find((arn) => !/^arn:aws:iam::\d{12}:(role|root|user)/.test(arn));
    if (bad !== undefined) throw new Error(`PlanRole ${props.namePrefix}: ${JSON.stringify(bad)} is not an IAM principal ARN; use arn:aws:iam::<12-digit account>:role/<name>`);
    const name = physicalName([props.namePrefix, 'plan'], 64);
    this.arn = `arn:aws:iam::${props.accountId}:role/${name}`;
    this.role = new IamRole(this, 'role', {
      name,
      description: `Read-only plans of the ${props.namePrefix} pipeline (CI pull requests, drift checks)`,
      maxSessionDuration: 3600,
      permissionsBoundary: props.permissionsBoundaryArn,
      // Each principal must be on the customer file's trustedPrincipals (FLEET-IAM3).
      assumeRolePolicy: trustPolicyJson([{ principals: { AWS: [...new Set(props.principalArns)].sort() } }]),
    });
    new IamRolePolicy(this, 'policy', { name: 'plan-read-only', role: this.role.id, policy: policyJson(this.statements(props)) });
    new TerraformOutput(this, 'arn', { value: this.arn, description: 'Role that pull-request plans and drift checks assume (read-only)' }).overrideLogicalId('plan-role-arn');
  }

  private statements(props: PlanRoleProps): PolicyStatement[] {
    const { bucket, key, dynamodbTable, region } = props.state;
    const state: PolicyStatement[] = [
      { sid: 'ListStateBucket', actions: ['s3:ListBucket'], resources: [`arn:aws:s3:::${bucket}`], conditions: { StringLike: { 's3:prefix': [key, `${key}.tflock`] } } },
      { sid: 'ReadState', actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${bucket}/${key}`] },
    ];
    // terraform plan takes the state lock, so the plan role writes the lock and nothing else.
    const lock: PolicyStatement = dynamodbTable
      ? { sid: 'StateLock', actions: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [`arn:aws:dynamodb:${region}:*:table/${dynamodbTable}`] }
      : { sid: 'StateLock', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [`arn:aws:s3:::${bucket}/${key}.tflock`] };
    // Refreshing an SSM parameter reads its value; only the pipeline's own parameters (the Iglu URL), never the account's others.
    const parameters: PolicyStatement = {
      sid: 'RefreshPipelineParameters',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [`arn:aws:ssm:*:${props.accountId}:parameter/pipeline/${props.namePrefix}/*`],
    };
    return [{ sid: 'RefreshPipeline', actions: PLAN_READ_ACTIONS, resources: ['*'] }, parameters, ...state, lock];
  }
}
