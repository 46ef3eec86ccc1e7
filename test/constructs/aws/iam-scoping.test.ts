import { awsSpec, rolePolicy, synthStack } from '../../support/specs';

const json = synthStack(awsSpec());
const resourcesOf = (roleSuffix: string) => rolePolicy(json, roleSuffix).Statement.flatMap((s) => s.Resource);
const actionsOn = (roleSuffix: string, resourceFragment: string) =>
  rolePolicy(json, roleSuffix)
    .Statement.filter((s) => s.Resource.some((r) => r.includes(resourceFragment)))
    .flatMap((s) => s.Action);

describe('IAM scoping on AWS', () => {
  test('the collector may write to the raw and bad streams only', () => {
    const streams = resourcesOf('collector-vm').filter((r) => r.includes('aws_kinesis_stream'));
    expect(streams.sort()).toEqual([expect.stringMatching(/^\$\{aws_kinesis_stream\.pipeline_shared_streams_bad_\w+\.arn\}$/), expect.stringMatching(/^\$\{aws_kinesis_stream\.pipeline_shared_streams_raw_\w+\.arn\}$/)]);
    expect(actionsOn('collector-vm', 'streams_raw')).not.toContain('kinesis:GetRecords');
  });

  test('the collector cannot read enriched data: no enriched stream, bucket or lease table', () => {
    const all = resourcesOf('collector-vm').join(' ');
    expect(all).not.toMatch(/enriched|aws_s3_bucket|aws_dynamodb_table/);
  });

  test('enrich reads raw, writes enriched and bad, and keeps only its own leases', () => {
    expect(actionsOn('enrich-vm', 'streams_raw')).toEqual(expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator']));
    expect(actionsOn('enrich-vm', 'streams_raw')).not.toContain('kinesis:PutRecords');
    expect(actionsOn('enrich-vm', 'streams_enriched')).toContain('kinesis:PutRecords');
    const tables = resourcesOf('enrich-vm').filter((r) => r.includes('aws_dynamodb_table'));
    expect(tables).toEqual([expect.stringContaining('pipeline_enrich_leases')]);
  });

  test('each S3 loader writes only its own prefix', () => {
    expect(resourcesOf('s3-loader-enriched-vm').filter((r) => r.includes('aws_s3_bucket'))).toEqual([expect.stringMatching(/\/enriched\/\*$/)]);
    expect(resourcesOf('s3-loader-bad-vm').filter((r) => r.includes('aws_s3_bucket'))).toEqual([expect.stringMatching(/\/bad\/\*$/)]);
  });

  test('only the component that names a secret may read it', () => {
    const readers = ['collector-vm', 'enrich-vm', 's3-loader-enriched-vm', 'snowflake-streaming-loader-vm'].filter((role) =>
      rolePolicy(json, role).Statement.some((s) => s.Action.includes('secretsmanager:GetSecretValue')),
    );
    expect(readers).toEqual(['snowflake-streaming-loader-vm']);
  });

  test('no statement anywhere allows every action', () => {
    for (const role of ['collector-vm', 'enrich-vm', 'operator', 'snowflake-streaming-loader-vm']) {
      for (const s of rolePolicy(json, role).Statement) expect(s.Action.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
    }
  });

  test('the operator role needs the external id, may set secret values but never read them', () => {
    const parsed = JSON.parse(json);
    const operator = Object.values(parsed.resource.aws_iam_role as Record<string, any>).find((r) => r.name === 'acme-retail-prod-operator');
    const trust = JSON.parse(operator.assume_role_policy);
    expect(trust.Statement[0].Principal.AWS).toEqual(['arn:aws:iam::100000000001:role/fleet-operator']);
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'acme-retail-prod-fleet' } });
    const actions = rolePolicy(json, 'operator').Statement.flatMap((s) => s.Action);
    expect(actions).toContain('secretsmanager:PutSecretValue');
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    expect(actions.some((a) => a.startsWith('s3:') || a === 'kinesis:GetRecords')).toBe(false);
  });

  test('every role carries the configured permissions boundary', () => {
    const roles = Object.values(JSON.parse(json).resource.aws_iam_role as Record<string, any>);
    expect(roles.length).toBeGreaterThan(5);
    for (const role of roles) expect(role.permissions_boundary).toBe('arn:aws:iam::210987654321:policy/pipeline-boundary');
  });

  test('customer-defined roles resolve pipeline resource aliases to ARNs', () => {
    const statements = rolePolicy(json, 'acme-analytics-readonly').Statement;
    expect(statements[0].Resource).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\..+\.arn\}$/), expect.stringMatching(/^\$\{aws_s3_bucket\..+\.arn\}\/\*$/)]);
  });
});
