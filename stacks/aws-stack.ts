import { Aspects, S3Backend, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AwsPipeline } from '../constructs/aws/aws-pipeline';
import { PlanRole } from '../constructs/aws/plan-role';
import { awsRules } from '../constructs/policy/aws-rules';
import { PolicyChecks } from '../constructs/policy/rule';
import { stackId, type AwsCustomerSpec } from '../customers/schema';
import { MANAGED_BY, stateKey } from './pipeline-stack';

/** The name of CI's plan role in the managing team's account(s), the accounts of operators.principals. */
export const CI_PLAN_ROLE_NAME = 'fleet-plan';

/** CI's plan role and the managing team's roles may plan; none of them may deploy through it. */
function planPrincipals(spec: AwsCustomerSpec): string[] {
  const accounts = [...new Set(spec.operators.principals.map((arn) => arn.split(':')[4]))];
  return [...accounts.map((a) => `arn:aws:iam::${a}:role/${CI_PLAN_ROLE_NAME}`), ...spec.operators.principals];
}

/** Backend, provider, pipeline and policy rules of an AWS customer environment. */
export function configureAws(stack: TerraformStack, spec: AwsCustomerSpec, now: Date): void {
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
  new PlanRole(stack, 'plan-role', { namePrefix: id, accountId: spec.aws.accountId, principalArns: planPrincipals(spec), state: { ...spec.stateBackend, key: stateKey(spec) }, permissionsBoundaryArn: spec.aws.permissionsBoundaryArn });
  Aspects.of(stack).add(new PolicyChecks(awsRules(spec)));
}
