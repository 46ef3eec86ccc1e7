import { decodeUserData } from '../../../constructs/aws/user-data';
import { awsSpec, resources, synthStack } from '../../support/specs';

const json = synthStack(awsSpec());

describe('AWS pipeline components', () => {
  test('raw, enriched and bad streams are KMS-encrypted and sized from the customer file', () => {
    const streams = resources(json, 'aws_kinesis_stream');
    expect(streams.map((s) => s.name).sort()).toEqual(['acme-retail-prod-bad', 'acme-retail-prod-enriched', 'acme-retail-prod-raw']);
    for (const s of streams) {
      expect(s).toMatchObject({ encryption_type: 'KMS', kms_key_id: 'alias/aws/kinesis', retention_period: 48, stream_mode_details: { stream_mode: 'PROVISIONED' } });
    }
    expect(streams.find((s) => s.name.endsWith('-raw'))!.shard_count).toBe(8);
    const onDemand = resources(synthStack(awsSpec('nordic-news-prod.json')), 'aws_kinesis_stream');
    for (const s of onDemand) {
      expect(s.stream_mode_details.stream_mode).toBe('ON_DEMAND');
      expect(s.shard_count).toBeUndefined();
    }
  });

  test('every launch template requires IMDSv2, encrypts its gp3 root volume and runs the pinned image', () => {
    const templates = resources(json, 'aws_launch_template');
    expect(templates).toHaveLength(6);
    for (const t of templates) {
      expect(t.metadata_options.http_tokens).toBe('required');
      expect(t.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
    }
    const collector = templates.find((t) => t.name === 'acme-retail-prod-collector')!;
    const userData = decodeUserData(collector.user_data);
    expect(userData).toContain("'snowplow/scala-stream-collector-kinesis:3.2.1'");
    const config = JSON.parse(/collector\.hocon" <<'PIPELINE_EOF'\n([\s\S]*?)\nPIPELINE_EOF/.exec(userData)![1]);
    expect(config.collector.license).toEqual({ accept: true });
    expect(config.collector.streams.good).toEqual({ name: 'acme-retail-prod-raw', region: 'eu-west-1' });
  });

  test('secrets are read at boot by name, never embedded', () => {
    const loader = resources(json, 'aws_launch_template').find((t) => t.name === 'acme-retail-prod-snowflake-streaming-loader')!;
    const userData = decodeUserData(loader.user_data);
    expect(userData).toContain("--secret-id 'acme-retail-prod/snowflake-streaming-loader/snowflake-private-key'");
    expect(userData).toContain('"privateKey": "@@BOOT_SNOWFLAKE_PRIVATE_KEY@@"');
  });

  test('auto scaling groups use ELB health checks for the collector and a 90% rolling refresh everywhere', () => {
    const groups = resources(json, 'aws_autoscaling_group');
    const collector = groups.find((g) => g.name === 'acme-retail-prod-collector')!;
    expect(collector).toMatchObject({ health_check_type: 'ELB', min_size: 3, max_size: 12 });
    expect(collector.target_group_arns).toHaveLength(1);
    for (const g of groups) expect(g.instance_refresh).toMatchObject({ strategy: 'Rolling', preferences: { min_healthy_percentage: 90 } });
    // The refresh is triggered by a new template version.
    expect(collector.launch_template.version).toMatch(/latest_version/);
  });

  test('KCL consumers each get a KMS-encrypted lease table', () => {
    const tables = resources(json, 'aws_dynamodb_table').map((t) => t.name).sort();
    expect(tables).toEqual(['acme-retail-prod-enrich', 'acme-retail-prod-s3-loader-bad', 'acme-retail-prod-s3-loader-enriched', 'acme-retail-prod-snowflake-streaming-loader']);
    for (const t of resources(json, 'aws_dynamodb_table')) expect(t.server_side_encryption.enabled).toBe(true);
  });

  test('the S3 loader bucket is encrypted, private, HTTPS-only and follows the lifecycle from the file', () => {
    const [bucket] = resources(json, 'aws_s3_bucket');
    expect(bucket.bucket).toBe('acme-retail-prod-archive-210987654321');
    const [block] = resources(json, 'aws_s3_bucket_public_access_block');
    expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const [enc] = resources(json, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(enc.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    const [lifecycle] = resources(json, 'aws_s3_bucket_lifecycle_configuration');
    const retention = lifecycle.rule.find((r: any) => r.id === 'retention');
    expect(retention.transition).toEqual([{ days: 90, storage_class: 'STANDARD_IA' }]);
    expect(retention.expiration).toEqual([{ days: 730 }]);
    const [policy] = resources(json, 'aws_s3_bucket_policy');
    expect(JSON.parse(policy.policy).Statement[0].Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  test('one Secrets Manager secret per named credential, with no value', () => {
    const secrets = resources(json, 'aws_secretsmanager_secret');
    expect(secrets.map((s) => s.name).sort()).toEqual([
      'acme-retail-prod/iglu-server/iglu-super-api-key',
      'acme-retail-prod/snowflake-streaming-loader/snowflake-private-key',
    ]);
    for (const s of secrets) expect(s.kms_key_id).toMatch(/aws_kms_key/);
    expect(resources(json, 'aws_secretsmanager_secret_version')).toHaveLength(0);
  });

  test('alarms cover 5xx, healthy hosts, stream lag and in-service instances, and email the contacts', () => {
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    const metrics = new Set(alarms.map((a) => a.metric_name));
    for (const m of ['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'HealthyHostCount', 'GetRecords.IteratorAgeMilliseconds', 'GroupInServiceInstances', 'DaysToExpiry']) {
      expect(metrics).toContain(m);
    }
    const lag = alarms.find((a) => a.alarm_name === 'acme-retail-prod-raw-stream-lag')!;
    expect(lag.threshold).toBe(300_000);
    for (const a of alarms) expect(a.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\./)]);
    const subs = resources(json, 'aws_sns_topic_subscription');
    expect(subs.map((s) => [s.protocol, s.endpoint])).toEqual([
      ['email', 'data-platform@acme-retail.com'],
      ['email', 'oncall@acme-retail.com'],
    ]);
  });

  test('the optional Iglu Server gets an encrypted private database with an RDS-managed password', () => {
    const [db] = resources(json, 'aws_db_instance');
    expect(db).toMatchObject({ storage_encrypted: true, publicly_accessible: false, manage_master_user_password: true, deletion_protection: true });
    expect(db.password).toBeUndefined();
    expect(resources(synthStack(awsSpec('acme-retail-staging.json')), 'aws_db_instance')).toHaveLength(0);
  });

  test('the RDB loader may reach Redshift on 5439', () => {
    const egress = resources(synthStack(awsSpec('nordic-news-prod.json')), 'aws_vpc_security_group_egress_rule');
    expect(egress.some((r) => r.from_port === 5439 && String(r.security_group_id).includes('rdb-loader'))).toBe(true);
  });
});
