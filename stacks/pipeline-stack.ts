import { Construct } from 'constructs';
import { Aspects, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AwsPipeline } from '../constructs/aws/aws-pipeline';
import { AWS_RULES } from '../constructs/policy/aws-rules';
import { PolicyChecks } from '../constructs/policy/rule';
import { stackId, type AwsCustomerSpec, type CustomerSpec } from '../customers/schema';
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

/**
 * One customer environment: its own state (backend key), provider credentials (a role assumed in
 * the customer's account, which must be the account named in the file) and the pipeline. Policy
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
    }
    Aspects.of(this).add(new ComponentTags('pipeline'));
  }
}
