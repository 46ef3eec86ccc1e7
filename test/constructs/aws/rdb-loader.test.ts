import { decodeUserData } from '../../../constructs/aws/user-data';
import { awsSpec, resources, rolePolicy, synthStack } from '../../support/specs';

const json = synthStack(awsSpec('nordic-news-prod.json'));
const parsed = JSON.parse(json);
const statementsOf = (role: string) => rolePolicy(json, role).Statement;
const actionsOf = (role: string) => statementsOf(role).flatMap((s) => s.Action);

describe('RDB loader on AWS: transformer -> S3 -> SQS FIFO -> loader -> Redshift COPY role', () => {
  test('one FIFO queue deduplicated by content (the transformer sends no deduplication id), encrypted, kept 14 days', () => {
    const queues = resources(json, 'aws_sqs_queue');
    expect(queues).toHaveLength(1);
    expect(queues[0]).toMatchObject({ name: 'nordic-news-prod-rdb-loader.fifo', fifo_queue: true, content_based_deduplication: true, sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    const [policy] = resources(json, 'aws_sqs_queue_policy');
    expect(JSON.parse(policy.policy).Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  });

  test('no Kinesis consumer is modelled for the loader: it has no lease table and no Kinesis permission', () => {
    const tables = resources(json, 'aws_dynamodb_table').map((t) => t.name).sort();
    expect(tables).toEqual(['nordic-news-prod-enrich', 'nordic-news-prod-s3-loader-bad', 'nordic-news-prod-s3-loader-enriched', 'nordic-news-prod-transformer']);
    expect(actionsOf('rdb-loader-vm').some((a) => a.startsWith('kinesis:') || a.startsWith('dynamodb:'))).toBe(false);
  });

  test('the transformer reads enriched with its own lease table, writes only under transformed/ and may only send to the queue', () => {
    const s = statementsOf('transformer-kinesis-vm');
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x]));
    expect(bySid.ReadEnriched.Resource).toEqual([expect.stringMatching(/aws_kinesis_stream\.pipeline_shared_streams_enriched_\w+\.arn/)]);
    expect(bySid.KeepLeases.Resource).toEqual([expect.stringMatching(/pipeline_rdb-loader_resources_transformer-leases_table/)]);
    expect(bySid.WriteBatches.Resource).toEqual([expect.stringMatching(/aws_s3_bucket\.pipeline_rdb-loader_resources_bucket.*\.arn\}\/transformed\/\*$/)]);
    expect(bySid.AnnounceBatches).toMatchObject({ Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: [expect.stringMatching(/^\$\{aws_sqs_queue\..+\.arn\}$/)] });
    expect(actionsOf('transformer-kinesis-vm')).not.toContain('sqs:ReceiveMessage');
  });

  test('the loader takes messages off the queue and reads the batch folders, but writes nothing and sends nothing', () => {
    const actions = actionsOf('rdb-loader-vm');
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 's3:GetObject', 's3:ListBucket']));
    expect(actions).not.toContain('sqs:SendMessage');
    expect(actions).not.toContain('s3:PutObject');
    const list = statementsOf('rdb-loader-vm').find((x) => x.Action.includes('s3:ListBucket'))!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['transformed/*', 'transformed'] } });
    const read = statementsOf('rdb-loader-vm').find((x) => x.Action.includes('s3:GetObject'))!;
    expect(read.Resource).toEqual([expect.stringMatching(/\/transformed\/\*$/)]);
  });

  test('the COPY role is assumed by Redshift of this account and region only, and reads the transformed prefix with the key through S3', () => {
    const role = Object.values(parsed.resource.aws_iam_role as Record<string, any>).find((r) => r.name === 'nordic-news-prod-redshift-copy')!;
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: ['redshift.amazonaws.com'] });
    expect(trust.Condition).toEqual({ StringLike: { 'sts:ExternalId': 'arn:aws:redshift:eu-north-1:345678901234:dbuser:*' } });
    const statements = statementsOf('redshift-copy');
    expect(statements.flatMap((x) => x.Action).sort()).toEqual(['kms:Decrypt', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket']);
    const kms = statements.find((x) => x.Action.includes('kms:Decrypt'))!;
    expect(kms.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-north-1.amazonaws.com' } });
    expect(statements.flatMap((x) => x.Resource).every((r) => !r.includes('archive'))).toBe(true);
  });

  test('both apps are launched from their contracts with the literal queue, output path and COPY role, and the loader reaches Redshift on 5439', () => {
    const script = (name: string) => decodeUserData(resources(json, 'aws_launch_template').find((t) => t.name === name)!.user_data);
    const transformer = script('nordic-news-prod-transformer-kinesis');
    expect(transformer).toContain("'snowplow/transformer-kinesis:6.1.1'");
    expect(transformer).toContain('"queueName": "nordic-news-prod-rdb-loader.fifo"');
    expect(transformer).toContain('"path": "s3://nordic-news-prod-transformed-345678901234/transformed/"');
    expect(transformer).toContain('"appName": "nordic-news-prod-transformer"');
    const loader = script('nordic-news-prod-rdb-loader');
    expect(loader).toContain("'snowplow/rdb-loader-redshift:6.1.1'");
    expect(loader).toContain('"messageQueue": "nordic-news-prod-rdb-loader.fifo"');
    expect(loader).toContain('"roleArn": "arn:aws:iam::345678901234:role/nordic-news-prod-redshift-copy"');
    // The literal ARN in the config is the role the stack creates.
    const copyRole = Object.values(parsed.resource.aws_iam_role as Record<string, any>).find((r) => r.name === 'nordic-news-prod-redshift-copy')!;
    expect(copyRole).toBeDefined();
    expect(loader).toContain("--secret-id 'nordic-news-prod/rdb-loader/redshift-password'");
    const egress = resources(json, 'aws_vpc_security_group_egress_rule');
    expect(egress.some((r) => r.from_port === 5439 && String(r.security_group_id).includes('rdb-loader_service'))).toBe(true);
    expect(egress.some((r) => r.from_port === 5439 && String(r.security_group_id).includes('transformer'))).toBe(false);
  });

  test('outputs tell the operator to attach the COPY role to the cluster', () => {
    const outputs = parsed.output as Record<string, { description: string; value: string }>;
    const copy = Object.entries(outputs).find(([k]) => k.includes('redshift-copy-role'))![1];
    expect(copy.description).toMatch(/modify-cluster-iam-roles/);
    expect(copy.value).toMatch(/aws_iam_role\..+\.arn/);
  });

  test('a queue or transformer that stops is seen: heartbeat on the transformer lease table, oldest-message age on the queue', () => {
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    const heartbeat = alarms.find((a) => a.alarm_name === 'nordic-news-prod-transformer-kinesis-heartbeat')!;
    expect(heartbeat).toMatchObject({ namespace: 'AWS/DynamoDB', metric_name: 'ConsumedWriteCapacityUnits', dimensions: { TableName: 'nordic-news-prod-transformer' }, treat_missing_data: 'breaching' });
    const age = alarms.find((a) => a.alarm_name === 'nordic-news-prod-rdb-loader-queue-age')!;
    expect(age).toMatchObject({ namespace: 'AWS/SQS', metric_name: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: 'nordic-news-prod-rdb-loader.fifo' }, threshold: 900 });
  });

  test('a missing Redshift setting or password secret fails the synth naming the field', () => {
    expect(() => synthStack(awsSpec('nordic-news-prod.json', (raw) => delete raw.components['rdb-loader'].settings.host))).toThrow(/host/);
    expect(() => synthStack(awsSpec('nordic-news-prod.json', (raw) => (raw.components['rdb-loader'].secrets = [])))).toThrow(/redshift-password/);
  });
});
