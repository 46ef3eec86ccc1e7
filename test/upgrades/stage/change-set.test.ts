/** Change sets on hand-built before/after configurations: one behaviour per test. */
import { computeChangeSet, differingPaths } from '../../../upgrades/stage/change-set';
import { FORCE_NEW, forcesNew, schemaPath } from '../../../upgrades/stage/force-new';
import type { TerraformConfig } from '../../../upgrades/stage/types';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const config = (resource: Resources): TerraformConfig => ({ resource });
const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.replace(/\//g, '_') } } });

const template = (userData: string, image: string) => ({
  ...meta('s/collector/template'),
  name: 'acme-prod-collector',
  description: `collector ${image}`,
  user_data: userData,
  tag_specifications: [{ resource_type: 'instance', tags: { Name: 'acme-prod-collector', image } }],
});
const asg = {
  ...meta('s/collector/asg'),
  name: 'acme-prod-collector',
  launch_template: { id: '${aws_launch_template.lt.id}', version: '${aws_launch_template.lt.latest_version}' },
};
const stream = (name: string, mode = 'PROVISIONED') => ({ ...meta(`s/streams/${name}`), name, retention_period: 24, stream_mode_details: { stream_mode: mode }, shard_count: mode === 'PROVISIONED' ? 2 : undefined });

describe('computeChangeSet', () => {
  test('no change: identical configs, or configs differing only in cdktf metadata and meta-arguments', () => {
    const before = config({ aws_kinesis_stream: { raw: stream('acme-prod-raw') } });
    const after = config({
      aws_kinesis_stream: { raw: { ...stream('acme-prod-raw'), '//': { metadata: { path: 'moved/in/the/tree' } }, depends_on: ['aws_kms_key.k'], lifecycle: { prevent_destroy: true } } },
    });
    expect(computeChangeSet('s', before, before)).toEqual({ stack: 's', changes: [], risks: [] });
    expect(computeChangeSet('s', before, after).changes).toEqual([]);
  });

  test('create: a new address is created, with no paths and no risk', () => {
    const cs = computeChangeSet('s', config({}), config({ aws_kinesis_stream: { raw: stream('acme-prod-raw') } }));
    expect(cs.changes).toEqual([{ address: 'aws_kinesis_stream.raw', type: 'aws_kinesis_stream', action: 'create', paths: [] }]);
    expect(cs.risks).toEqual([]);
  });

  test('update in place: sorted dotted paths into objects and arrays; the ASG follows the new template version', () => {
    const before = config({ aws_launch_template: { lt: template('b2xk', '3.2.1') }, aws_autoscaling_group: { asg } });
    const after = config({ aws_launch_template: { lt: template('bmV3', '3.3.0') }, aws_autoscaling_group: { asg } });
    const cs = computeChangeSet('s', before, after);
    expect(cs.changes).toEqual([
      {
        address: 'aws_autoscaling_group.asg',
        type: 'aws_autoscaling_group',
        action: 'update',
        paths: ['launch_template.version'],
        knownAfterApply: ['launch_template.version'],
      },
      { address: 'aws_launch_template.lt', type: 'aws_launch_template', action: 'update', paths: ['description', 'tag_specifications.0.tags.image', 'user_data'] },
    ]);
    expect(cs.risks).toEqual([]);
  });

  test('replace: a force-new attribute replaces the resource; a data-holding one is blocking', () => {
    const cs = computeChangeSet('s', config({ aws_kinesis_stream: { raw: stream('acme-prod-raw') } }), config({ aws_kinesis_stream: { raw: stream('acme-prod-events') } }));
    expect(cs.changes).toEqual([{ address: 'aws_kinesis_stream.raw', type: 'aws_kinesis_stream', action: 'replace', paths: ['name'], replacePaths: ['name'] }]);
    expect(cs.risks).toEqual([
      {
        level: 'blocking',
        address: 'aws_kinesis_stream.raw',
        reason: 'replaces a Kinesis stream (forced by name): records that not every consumer has read yet are lost, and consumer checkpoints point at a stream that no longer exists',
      },
    ]);
  });

  test('a stream mode change is an in-place update (the provider calls UpdateStreamMode), not a replace', () => {
    const cs = computeChangeSet('s', config({ aws_kinesis_stream: { raw: stream('acme-prod-raw', 'PROVISIONED') } }), config({ aws_kinesis_stream: { raw: stream('acme-prod-raw', 'ON_DEMAND') } }));
    expect(cs.changes).toEqual([{ address: 'aws_kinesis_stream.raw', type: 'aws_kinesis_stream', action: 'update', paths: ['shard_count', 'stream_mode_details.stream_mode'] }]);
    expect(cs.risks).toEqual([]);
  });

  test('delete: an address that is gone is deleted; deleting a table is blocking', () => {
    const cs = computeChangeSet('s', config({ aws_dynamodb_table: { leases: { name: 'acme-prod-leases', hash_key: 'leaseKey' } } }), config({}));
    expect(cs.changes).toEqual([{ address: 'aws_dynamodb_table.leases', type: 'aws_dynamodb_table', action: 'delete', paths: [] }]);
    expect(cs.risks.map((r) => [r.level, r.reason.split(':')[0]])).toEqual([['blocking', 'deletes a DynamoDB table']]);
  });

  test('a type that is not in the force-new table is an update marked uncertain', () => {
    const before = config({ aws_cloudfront_distribution: { cdn: { comment: 'a', enabled: true } } });
    const after = config({ aws_cloudfront_distribution: { cdn: { comment: 'b', enabled: true } } });
    expect(computeChangeSet('s', before, after).changes).toEqual([
      {
        address: 'aws_cloudfront_distribution.cdn',
        type: 'aws_cloudfront_distribution',
        action: 'update',
        paths: ['comment'],
        uncertain: 'replacement not predicted: aws_cloudfront_distribution is not in the force-new table',
      },
    ]);
  });

  test('a reference to a replaced resource is known after apply: in a force-new attribute it replaces the referrer too', () => {
    const bucket = (name: string) => ({ bucket: name, force_destroy: false });
    const dependants = {
      aws_s3_bucket_policy: { policy: { bucket: '${aws_s3_bucket.b.id}', policy: '{"Version":"2012-10-17","Statement":[]}' } },
      aws_cloudwatch_metric_alarm: { alarm: { alarm_name: 'acme-prod-bucket', dimensions: { BucketName: '${aws_s3_bucket.b.bucket}' } } },
    };
    const cs = computeChangeSet('s', config({ aws_s3_bucket: { b: bucket('acme-prod-archive') }, ...dependants }), config({ aws_s3_bucket: { b: bucket('acme-prod-archive-2') }, ...dependants }));
    expect(cs.changes).toEqual([
      // The configured attribute "bucket" changed, so a reference to it changes (in place: dimensions are not force-new).
      {
        address: 'aws_cloudwatch_metric_alarm.alarm',
        type: 'aws_cloudwatch_metric_alarm',
        action: 'update',
        paths: ['dimensions.BucketName'],
        knownAfterApply: ['dimensions.BucketName'],
      },
      { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', action: 'replace', paths: ['bucket'], replacePaths: ['bucket'] },
      { address: 'aws_s3_bucket_policy.policy', type: 'aws_s3_bucket_policy', action: 'replace', paths: ['bucket'], replacePaths: ['bucket'], knownAfterApply: ['bucket'] },
    ]);
    expect(cs.risks.filter((r) => r.level === 'blocking').map((r) => r.address)).toEqual(['aws_s3_bucket.b']);
  });

  test('a reference to a configured attribute that keeps its value does not change through a replacement', () => {
    const sg = (description: string) => ({ name: 'acme-prod-collector', description, vpc_id: 'vpc-1' });
    const rest = {
      aws_vpc_security_group_ingress_rule: { https: { security_group_id: '${aws_security_group.sg.id}', cidr_ipv4: '10.0.0.0/8', from_port: 443, to_port: 443, ip_protocol: 'tcp' } },
      aws_cloudwatch_log_group: { logs: { name: 'acme-prod/${aws_security_group.sg.name}' } },
    };
    const cs = computeChangeSet('s', config({ aws_security_group: { sg: sg('old') }, ...rest }), config({ aws_security_group: { sg: sg('new') }, ...rest }));
    expect(cs.changes.map((c) => [c.address, c.action])).toEqual([
      ['aws_security_group.sg', 'replace'],
      ['aws_vpc_security_group_ingress_rule.https', 'replace'],
    ]);
    expect(cs.risks.map((r) => [r.level, r.address])).toEqual([
      ['warning', 'aws_security_group.sg'],
      ['warning', 'aws_vpc_security_group_ingress_rule.https'],
    ]);
  });

  test('a replacement that follows from an uncertain prediction is uncertain too', () => {
    const before = config({ aws_foo_thing: { t: { name: 'a' } }, aws_iam_role_policy: { p: { name: 'p', role: '${aws_foo_thing.t.name}', policy: '{}' } } });
    const after = config({ aws_foo_thing: { t: { name: 'b' } }, aws_iam_role_policy: { p: { name: 'p', role: '${aws_foo_thing.t.name}', policy: '{}' } } });
    const policy = computeChangeSet('s', before, after).changes.find((c) => c.address === 'aws_iam_role_policy.p');
    expect(policy).toMatchObject({ action: 'replace', replacePaths: ['role'], uncertain: 'follows from aws_foo_thing.t, whose prediction is uncertain' });
  });

  test('GCP: every change to an instance template replaces it, and the group moves to the new one in place', () => {
    const tpl = (script: string) => ({ name_prefix: 'acme-prod-collector-', metadata: { 'startup-script': script }, lifecycle: { create_before_destroy: true } });
    const mig = { name: 'acme-prod-collector', version: [{ name: 'primary', instance_template: '${google_compute_instance_template.t.self_link_unique}' }] };
    const cs = computeChangeSet(
      's',
      config({ google_compute_instance_template: { t: tpl('v1') }, google_compute_region_instance_group_manager: { g: mig } }),
      config({ google_compute_instance_template: { t: tpl('v2') }, google_compute_region_instance_group_manager: { g: mig } }),
    );
    expect(cs.changes.map((c) => [c.address, c.action, c.paths])).toEqual([
      ['google_compute_instance_template.t', 'replace', ['metadata.startup-script']],
      ['google_compute_region_instance_group_manager.g', 'update', ['version.0.instance_template']],
    ]);
    expect(cs.risks).toEqual([]);
  });

  test('Cloud SQL: a major version upgrade is in place but noted; an engine change replaces the instance (blocking)', () => {
    const db = (version: string) => config({ google_sql_database_instance: { db: { name: 'acme-prod-iglu', region: 'europe-west1', database_version: version } } });
    const upgrade = computeChangeSet('s', db('POSTGRES_15'), db('POSTGRES_16'));
    expect(upgrade.changes[0]).toMatchObject({ action: 'update', paths: ['database_version'], uncertain: expect.stringMatching(/^database_version: a major-version upgrade runs in place/) });
    expect(upgrade.risks).toEqual([]);
    const engine = computeChangeSet('s', db('POSTGRES_16'), db('MYSQL_8_0'));
    expect(engine.changes[0]).toMatchObject({ action: 'replace', replacePaths: ['database_version'] });
    expect(engine.risks[0]).toMatchObject({ level: 'blocking', reason: expect.stringMatching(/^replaces a Cloud SQL instance \(forced by database_version\)/) });
  });

  test('lifecycle.ignore_changes hides those attributes; "all" hides every update', () => {
    const lt = (userData: string, lifecycle: unknown) => config({ aws_launch_template: { lt: { name: 'n', user_data: userData, image_id: 'ami-1', lifecycle } } });
    expect(computeChangeSet('s', lt('a', { ignore_changes: ['user_data'] }), lt('b', { ignore_changes: ['user_data'] })).changes).toEqual([]);
    expect(computeChangeSet('s', lt('a', { ignore_changes: 'all' }), lt('b', { ignore_changes: 'all' })).changes).toEqual([]);
  });

  test('a whole new or removed stack: everything is created, or everything deleted', () => {
    const c = config({ aws_kinesis_stream: { raw: stream('r') }, aws_iam_role: { role: { name: 'x', assume_role_policy: '{"Statement":[]}' } } });
    expect(computeChangeSet('s', undefined, c).changes.map((x) => [x.address, x.action])).toEqual([
      ['aws_iam_role.role', 'create'],
      ['aws_kinesis_stream.raw', 'create'],
    ]);
    const gone = computeChangeSet('s', c, undefined);
    expect(gone.changes.map((x) => x.action)).toEqual(['delete', 'delete']);
    expect(gone.risks).toEqual([expect.objectContaining({ level: 'blocking', address: 'aws_kinesis_stream.raw' })]);
  });

  test('count or for_each makes the prediction uncertain', () => {
    const c = (n: number) => config({ aws_sns_topic: { t: { name: `t${n}`, count: 2 } } });
    expect(computeChangeSet('s', c(1), c(2)).changes[0].uncertain).toMatch(/uses count or for_each/);
  });
});

describe('differingPaths and the force-new table', () => {
  test('paths into objects, arrays, added and removed keys and elements', () => {
    expect(differingPaths({ a: 1, b: { c: [1, 2] }, d: 'x' }, { a: 1, b: { c: [1, 3, 4] }, e: 'y' })).toEqual(['b.c.1', 'b.c.2', 'd', 'e']);
    expect(differingPaths({ a: { b: 1 } }, { a: 'flat' })).toEqual(['a']);
  });

  test('list indexes are ignored, prefixes cover nested paths, "*" with exceptions', () => {
    expect(schemaPath('rule.0.expiration.1.days')).toBe('rule.expiration.days');
    expect(forcesNew(FORCE_NEW.google_secret_manager_secret, 'replication.auto.customer_managed_encryption.kms_key_name')).toBe(true);
    expect(forcesNew(FORCE_NEW.google_compute_global_address, 'labels.component')).toBe(false);
    expect(forcesNew(FORCE_NEW.google_compute_global_address, 'description')).toBe(true);
    expect(forcesNew(FORCE_NEW.aws_route53_record, 'type')).toBe(false);
  });
});
