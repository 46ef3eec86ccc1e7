/**
 * The AWS plan role: what pull-request plans and drift checks assume instead of the deploy role.
 * It may read the pipeline's configuration and the stack's state and take the state lock; it may
 * read no data and change nothing.
 */
import { Testing } from 'cdktf';
import { policyViolations } from '../../../constructs/policy/rule';
import { PipelineStack } from '../../../stacks/pipeline-stack';
import { NOW, awsSpec, resources, rolePolicy, synthStack } from '../../support/specs';
import { PLAN_READ_ACTIONS } from '../../../constructs/aws/plan-role';

const READ = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z*]*$/;
/** Reads of data or secrets: never on "*", and never on the pipeline's own resources. */
const DATA_READS = ['s3:GetObject', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'secretsmanager:GetSecretValue', 'kms:Decrypt', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'rds:DownloadDBLogFilePortion'];

function coveredBy(pattern: string, action: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
}

describe('PlanRole (AWS)', () => {
  const json = synthStack(awsSpec('acme-retail-prod.json'));
  const role = resources(json, 'aws_iam_role').find((r) => r.name === 'acme-retail-prod-plan')!;
  const policy = rolePolicy(json, '-plan');

  test('every customer stack has one, and its ARN is a literal stack output CI reads before planning', () => {
    expect(role).toBeDefined();
    expect(JSON.parse(json).output['plan-role-arn']).toMatchObject({ value: 'arn:aws:iam::210987654321:role/acme-retail-prod-plan' });
  });

  test("only CI's plan role and the managing team's roles may assume it, each on the customer's allow-list", () => {
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ AWS: ['arn:aws:iam::100000000001:role/fleet-operator', 'arn:aws:iam::100000000001:role/fleet-plan'] });
    // Without CI's plan role on trustedPrincipals, synthesis fails naming the fix (FLEET-IAM3).
    const spec = awsSpec('acme-retail-prod.json', (raw) => (raw.trustedPrincipals = raw.trustedPrincipals.filter((t: { principal: string }) => !t.principal.endsWith(':role/fleet-plan'))));
    const stack = new PipelineStack(Testing.app(), { spec, now: NOW });
    Testing.synth(stack);
    expect(policyViolations(stack)).toEqual([expect.stringMatching(/plan-role\/role\] \[FLEET-IAM3\] aws_iam_role trusts AWS arn:aws:iam::100000000001:role\/fleet-plan, which is not on the allow-list: add it to trustedPrincipals/)]);
    expect(role.permissions_boundary).toBe('arn:aws:iam::210987654321:policy/pipeline-boundary');
  });

  test('on "*" it may only describe, get and list configuration, never read data', () => {
    const wide = policy.Statement.filter((s) => s.Resource.includes('*'));
    expect(wide.map((s) => s.Sid)).toEqual(['RefreshPipeline']);
    const actions = wide.flatMap((s) => s.Action);
    expect(actions.filter((a) => !READ.test(a))).toEqual([]);
    expect(DATA_READS.filter((d) => actions.some((a) => coveredBy(a, d)))).toEqual([]);
  });

  test('covers a describe call of every AWS service the pipeline creates resources of', () => {
    // nordic-news-prod runs the RDB loader (SQS queue) beside acme's Iglu Server (SSM parameter).
    const services = new Set([json, synthStack(awsSpec('nordic-news-prod.json'))].flatMap((j) => Object.keys(JSON.parse(j).resource)).map((t) => t.split('_')[1]));
    const serviceOf: Record<string, string> = { acm: 'acm', autoscaling: 'autoscaling', cloudwatch: 'cloudwatch', db: 'rds', dynamodb: 'dynamodb', iam: 'iam', kinesis: 'kinesis', kms: 'kms', launch: 'ec2', lb: 'elasticloadbalancing', route53: 'route53', s3: 's3', secretsmanager: 'secretsmanager', security: 'ec2', sns: 'sns', vpc: 'ec2' };
    const missing = [...services].filter((s) => !PLAN_READ_ACTIONS.some((a) => a.startsWith(`${serviceOf[s] ?? s}:`)));
    expect(missing).toEqual([]);
  });

  test('reads exactly its own state object and takes the lock in the DynamoDB table, and writes nothing else', () => {
    const byId = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(byId.ReadState).toMatchObject({ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::fleet-tfstate-acme-retail/acme-retail/prod/terraform.tfstate'] });
    expect(byId.StateLock.Resource).toEqual(['arn:aws:dynamodb:eu-west-1:*:table/fleet-tfstate-locks']);
    const writes = policy.Statement.flatMap((s) => s.Action.filter((a) => !READ.test(a)).map((a) => `${a} on ${s.Resource.join(',')}`));
    expect(writes).toEqual(['dynamodb:PutItem on arn:aws:dynamodb:eu-west-1:*:table/fleet-tfstate-locks', 'dynamodb:DeleteItem on arn:aws:dynamodb:eu-west-1:*:table/fleet-tfstate-locks']);
  });

  test('without a lock table, the lock is the .tflock object next to the state', () => {
    const p = rolePolicy(synthStack(awsSpec('acme-retail-prod.json', (raw) => delete raw.stateBackend.dynamodbTable)), '-plan');
    expect(p.Statement.find((s) => s.Sid === 'StateLock')).toMatchObject({ Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: ['arn:aws:s3:::fleet-tfstate-acme-retail/acme-retail/prod/terraform.tfstate.tflock'] });
  });
});
