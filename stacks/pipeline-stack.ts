import { Construct } from 'constructs';
import { Aspects, GcsBackend, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { AwsPipeline } from '../constructs/aws/aws-pipeline';
import { GcpPipeline } from '../constructs/gcp/gcp-pipeline';
import { AWS_RULES } from '../constructs/policy/aws-rules';
import { GCP_RULES } from '../constructs/policy/gcp-rules';
import { PolicyChecks } from '../constructs/policy/rule';
import { stackId, type AwsCustomerSpec, type CustomerSpec, type GcpCustomerSpec } from '../customers/schema';
import { ComponentTags } from './component-tags';

export interface PipelineStackProps {
  readonly spec: CustomerSpec;
  /** "Now" from the fleet's clock. */
  readonly now: Date;
}

export const MANAGED_BY = 'pipeline-fleet';

/** The S3 state key of a customer environment: one state per stack. */
export function stateKey(spec: CustomerSpec): string {
  return `${spec.id}/${spec.environment}/terraform.tfstate`;
}

function configureAws(stack: TerraformStack, spec: AwsCustomerSpec, now: Date): void {
  const id = stackId(spec);
  new S3Backend(stack, {
    bucket: spec.stateBackend.bucket,
    key: stateKey(spec),
    region: spec.stateBackend.region,
    encrypt: true,
    dynamodbTable: spec.stateBackend.dynamodbTable,
  });
  // cdktf 0.21's S3Backend predates S3-native locking (Terraform >= 1.10).
  if (!spec.stateBackend.dynamodbTable) stack.addOverride('terraform.backend.s3.use_lockfile', true);
  new AwsProvider(stack, 'aws', {
    region: spec.aws.region,
    allowedAccountIds: [spec.aws.accountId],
    assumeRole: [
      {
        roleArn: spec.aws.deployRoleArn ?? `arn:aws:iam::${spec.aws.accountId}:role/fleet-deploy`,
        sessionName: `fleet-${id}`.slice(0, 64),
      },
    ],
    defaultTags: [{ tags: { customer: spec.id, environment: spec.environment, 'managed-by': MANAGED_BY } }],
  });
  new AwsPipeline(stack, 'pipeline', { spec, now });
}

/** The GCS state prefix of a customer environment: `[<prefix>/]<customer>/<environment>`, one state per stack. */
export function statePrefix(spec: GcpCustomerSpec): string {
  return [spec.stateBackend.prefix, spec.id, spec.environment].filter((p) => p !== undefined && p !== '').join('/');
}

function configureGcp(stack: TerraformStack, spec: GcpCustomerSpec, now: Date): void {
  const deployer = spec.gcp.deployServiceAccount;
  // The state is read and written as the deploy service account too: an engineer needs only
  // permission to impersonate it, never direct access to the customer's project or state.
  new GcsBackend(stack, { bucket: spec.stateBackend.bucket, prefix: statePrefix(spec), impersonateServiceAccount: deployer });
  const provider = new GoogleProvider(stack, 'google', { project: spec.gcp.projectId, region: spec.gcp.region, impersonateServiceAccount: deployer });
  // Set as an override: cdktf snake-cases the keys of a provider's map arguments ("managed-by" would become "managed_by").
  provider.addOverride('default_labels', { customer: spec.id, environment: spec.environment, 'managed-by': MANAGED_BY });
  new GcpPipeline(stack, 'pipeline', { spec, now });
}

/**
 * One customer environment: its own state (backend key or prefix), provider credentials (on AWS a
 * role assumed in the customer's account, which must be the account named in the file; on GCP the
 * customer's deploy service account, impersonated) and the pipeline. Policy
 * rules run as an aspect, so a violation fails synth.
 */
export class PipelineStack extends TerraformStack {
  constructor(scope: Construct, props: PipelineStackProps) {
    super(scope, stackId(props.spec));
    this.addOverride('terraform.required_version', '>= 1.5.0');
    const { spec } = props;
    switch (spec.cloud) {
      case 'aws':
        configureAws(this, spec, props.now);
        Aspects.of(this).add(new PolicyChecks(AWS_RULES));
        break;
      case 'gcp':
        configureGcp(this, spec, props.now);
        Aspects.of(this).add(new PolicyChecks(GCP_RULES));
        break;
    }
    Aspects.of(this).add(new ComponentTags('pipeline'));
  }
}
