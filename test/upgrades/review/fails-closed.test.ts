/**
 * `fleet review` fails closed: each attack of issue 9 ("Review fails open") is a test here, run
 * through the CLI entry point on real plan JSON (hand edits named in ./plans.ts).
 */
import { main } from '../../../cli/fleet';
import type { ResourceChange } from '../../../upgrades/stage/types';
import { asResource, realPlan, save, tmp, withIdentity, type Plan } from './plans';

async function review(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['review', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function staged(dir: string, stack: string, changes: ResourceChange[]): string {
  return save(dir, 'staged.json', { generatedFor: '2026-11-27', waves: [{ number: 1, name: 'canary', stacks: [{ stack, changeSet: { stack, changes, risks: [] } }] }] });
}

describe('unknown actions and incomplete plans never pass', () => {
  test('an action list terraform never writes (["destroy"] on a bucket) is an error naming the resource (exit 1)', async () => {
    const dir = tmp();
    const plan = asResource('aws_s3_bucket', { bucket: 'acme-raw' }, { bucket: 'acme-raw' });
    plan.resource_changes[0].change.actions = ['destroy'];
    const r = await review([save(dir, 'acme-retail-prod.plan.json', plan)], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/resource_changes\[0\] \(aws_s3_bucket\.data\): change\.actions \["destroy"\] is not an action list terraform writes/);
    expect(r.out).not.toMatch(/no protected resource/);
  });

  test.each([[['update', 'delete']], [['create', 'create']], [[]]])('so is %j', async (actions) => {
    const dir = tmp();
    const plan = realPlan('update-only');
    plan.resource_changes[0].change.actions = actions;
    expect((await review([save(dir, 'x.plan.json', plan)], dir)).code).toBe(1);
  });

  test('a plan marked "complete": false is a blocking finding (exit 2)', async () => {
    const dir = tmp();
    const r = await review([save(dir, 'update-only.plan.json', { ...realPlan('update-only'), complete: false })], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('  INCOMPLETE: (plan): the plan is incomplete ("complete": false): what it leaves out is not reviewed');
    expect(r.out.split('\n').at(-1)).toBe('1 plan(s) reviewed: 1 need attention (update-only)');
  });

  test('deferred changes block too, and "errored": true is an error (exit 1)', async () => {
    const dir = tmp();
    const deferred = await review([save(dir, 'a.plan.json', { ...realPlan('update-only'), deferred_changes: [{ reason: 'provider_config_unknown', resource_change: {} }] })], dir);
    expect(deferred.code).toBe(2);
    expect(deferred.out).toContain('1 deferred change(s)');
    const errored = await review([save(dir, 'b.plan.json', { ...realPlan('update-only'), errored: true })], dir);
    expect(errored.code).toBe(1);
  });
});

describe('destructive in-place updates on data-holding and key resources are blocking', () => {
  // [what, type, before, after, expected message part]; values in each provider's schema shape.
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['KMS key disabled', 'aws_kms_key', { is_enabled: true, enable_key_rotation: true, deletion_window_in_days: 30 }, { is_enabled: false, enable_key_rotation: true, deletion_window_in_days: 30 }, '[REVIEW-KEY-1] disables the KMS key'],
    ['KMS key rotation off', 'aws_kms_key', { is_enabled: true, enable_key_rotation: true }, { is_enabled: true, enable_key_rotation: false }, '[REVIEW-KEY-2] turns key rotation off'],
    ['KMS deletion window shortened', 'aws_kms_key', { is_enabled: true, deletion_window_in_days: 30 }, { is_enabled: true, deletion_window_in_days: 7 }, 'deletion_window_in_days 30 -> 7'],
    ['RDS deletion protection off', 'aws_db_instance', { deletion_protection: true, skip_final_snapshot: false, backup_retention_period: 7 }, { deletion_protection: false, skip_final_snapshot: false, backup_retention_period: 7 }, '[REVIEW-DATA-1] turns deletion protection off (deletion_protection true -> false)'],
    ['RDS final snapshot skipped', 'aws_db_instance', { deletion_protection: true, skip_final_snapshot: false }, { deletion_protection: true, skip_final_snapshot: true }, '[REVIEW-DATA-2] skips the final snapshot'],
    ['RDS backups to 0', 'aws_rds_cluster', { backup_retention_period: 7 }, { backup_retention_period: 0 }, 'turns automated backups off (backup_retention_period 7 -> 0)'],
    ['Kinesis retention cut', 'aws_kinesis_stream', { name: 'raw', retention_period: 168 }, { name: 'raw', retention_period: 24 }, '[REVIEW-DATA-4] shortens retention (retention_period 168 -> 24)'],
    [
      'S3 lifecycle expiration 365 -> 1',
      'aws_s3_bucket_lifecycle_configuration',
      { rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 365, date: null }], noncurrent_version_expiration: [] }] },
      { rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 1, date: null }], noncurrent_version_expiration: [] }] },
      'lifecycle rule "expire" expires objects sooner (expiration.days 365 -> 1)',
    ],
    ['S3 force_destroy on', 'aws_s3_bucket', { bucket: 'acme-archive', force_destroy: false }, { bucket: 'acme-archive', force_destroy: true }, '[REVIEW-DATA-6] turns force_destroy on'],
    ['DynamoDB deletion protection off', 'aws_dynamodb_table', { deletion_protection_enabled: true }, { deletion_protection_enabled: false }, 'deletion_protection_enabled true -> false'],
    ['DynamoDB PITR off', 'aws_dynamodb_table', { point_in_time_recovery: [{ enabled: true }] }, { point_in_time_recovery: [{ enabled: false }] }, 'turns point-in-time recovery off'],
    ['Cloud SQL deletion protection off', 'google_sql_database_instance', { deletion_protection: true, settings: [{ deletion_protection_enabled: true }] }, { deletion_protection: false, settings: [{ deletion_protection_enabled: false }] }, 'settings.deletion_protection_enabled true -> false'],
    ['Cloud SQL backups off', 'google_sql_database_instance', { settings: [{ backup_configuration: [{ enabled: true, backup_retention_settings: [{ retained_backups: 7 }] }] }] }, { settings: [{ backup_configuration: [{ enabled: false, backup_retention_settings: [{ retained_backups: 1 }] }] }] }, 'retained_backups 7 -> 1'],
    ['BigQuery table deletion protection off', 'google_bigquery_table', { deletion_protection: true }, { deletion_protection: false }, 'turns deletion protection off'],
    ['GCE instance deletion protection off', 'google_compute_instance', { deletion_protection: true }, { deletion_protection: false }, 'turns deletion protection off'],
    ['Pub/Sub topic retention cut', 'google_pubsub_topic', { message_retention_duration: '604800s' }, { message_retention_duration: '600s' }, 'message_retention_duration 604800s -> 600s'],
    ['Pub/Sub subscription retention cut', 'google_pubsub_subscription', { message_retention_duration: '604800s' }, { message_retention_duration: '3600s' }, 'shortens retention'],
    ['GCS retention policy removed', 'google_storage_bucket', { retention_policy: [{ retention_period: 2592000, is_locked: false }] }, { retention_policy: [] }, 'retention_policy.retention_period 2592000 -> none'],
    ['GCS Delete rule sooner', 'google_storage_bucket', { lifecycle_rule: [{ action: [{ type: 'Delete' }], condition: [{ age: 365 }] }] }, { lifecycle_rule: [{ action: [{ type: 'Delete' }], condition: [{ age: 1 }] }] }, 'lifecycle_rule.condition.age 365 -> 1'],
    ['GCS force_destroy on', 'google_storage_bucket', { force_destroy: false }, { force_destroy: true }, 'turns force_destroy on'],
    ['KMS crypto key version disabled', 'google_kms_crypto_key_version', { state: 'ENABLED' }, { state: 'DISABLED' }, "sets the key version's state ENABLED -> DISABLED"],
    ['KMS crypto key version destroyed', 'google_kms_crypto_key_version', { state: 'ENABLED' }, { state: 'DESTROYED' }, 'ENABLED -> DESTROYED'],
    ['Cloud KMS rotation off', 'google_kms_crypto_key', { rotation_period: '7776000s' }, { rotation_period: null }, 'turns key rotation off (rotation_period 7776000s -> none)'],
  ];

  test.each(cases)('%s: exit 2', async (_what, type, before, after, message) => {
    const dir = tmp();
    const r = await review([save(dir, 'acme-retail-prod.plan.json', withIdentity(asResource(type, before, after), 'acme-retail', 'prod'))], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`  DESTRUCTIVE: ${type}.data: `);
    expect(r.out).toContain(message);
  });

  test('a replaced lifecycle configuration with a shorter expiration is blocking too', async () => {
    const dir = tmp();
    const plan = asResource('aws_s3_bucket_lifecycle_configuration', cases[7][2], cases[7][3]);
    plan.resource_changes[0].change.actions = ['delete', 'create'];
    const r = await review([save(dir, 'acme-retail-prod.plan.json', withIdentity(plan, 'acme-retail', 'prod'))], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('expiration.days 365 -> 1');
  });

  test('a new lifecycle configuration that expires objects of an existing bucket is blocking; on a bucket the plan creates it is not', async () => {
    const dir = tmp();
    const after = { bucket: 'acme-archive', rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 1 }] }] };
    const plan = asResource('aws_s3_bucket_lifecycle_configuration', {}, after);
    plan.resource_changes[0].change.actions = ['create'];
    plan.resource_changes[0].change.before = null;
    const existing = await review([save(dir, 'acme-retail-prod.plan.json', withIdentity(plan, 'acme-retail', 'prod'))], dir);
    expect(existing.code).toBe(2);
    expect(existing.out).toContain('expiration.days none -> 1');
    const withBucket = structuredClone(plan);
    withBucket.resource_changes.push({ address: 'aws_s3_bucket.archive', type: 'aws_s3_bucket', name: 'archive', change: { actions: ['create'], before: null, after: { bucket: 'acme-archive' }, after_unknown: {} } });
    const created = await review([save(dir, 'acme-retail-prod.plan.json', withIdentity(withBucket, 'acme-retail', 'prod'))], dir);
    expect(created.out).not.toContain('DESTRUCTIVE');
    expect(created.code).toBe(0);
  });

  test.each(cases)('%s the other way round (a guard put on, a retention raised) passes', async (_what, type, before, after) => {
    const dir = tmp();
    const r = await review([save(dir, 'acme-retail-prod.plan.json', withIdentity(asResource(type, after, before), 'acme-retail', 'prod'))], dir);
    expect(r.out).not.toContain('DESTRUCTIVE');
    expect(r.code).toBe(0);
  });
});

describe('--expect compares attribute paths, not only actions', () => {
  // Real plan: the template's user data moves to the new version and its instance profile is swapped.
  const plan = () => withIdentity(realPlan('launch-template'), 'acme-retail', 'prod');
  const update = (paths: string[]): ResourceChange[] => [{ address: 'terraform_data.collector_template', type: 'terraform_data', action: 'update', paths, knownAfterApply: ['output'] }];

  test('an instance profile swapped where the stage predicted only the user data is blocking (exit 2)', async () => {
    const dir = tmp();
    const r = await review([save(dir, 'acme-retail-prod.plan.json', plan()), '--expect', staged(dir, 'acme-retail-prod', update(['input.user_data']))], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('  UNEXPECTED: terraform_data.collector_template: the plan changes input.iam_instance_profile.0.name, which the stage did not predict (it predicted input.user_data)');
  });

  test('the same plan passes when the stage predicted both paths (a one-item block is an object in cdk.tf.json, a list in plan JSON)', async () => {
    const dir = tmp();
    const r = await review([save(dir, 'acme-retail-prod.plan.json', plan()), '--expect', staged(dir, 'acme-retail-prod', update(['input.iam_instance_profile.name', 'input.user_data']))], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  test('tags_all follows tags: a predicted tag change covers the provider-derived tags_all', async () => {
    const dir = tmp();
    const p = withIdentity(asResource('aws_sqs_queue', { tags: { component: 'a' }, tags_all: { component: 'a', customer: 'acme-retail', environment: 'prod' } }, { tags: { component: 'b' }, tags_all: { component: 'b', customer: 'acme-retail', environment: 'prod' } }), 'acme-retail', 'prod');
    const predicted: ResourceChange[] = [{ address: 'aws_sqs_queue.data', type: 'aws_sqs_queue', action: 'update', paths: ['tags.component'] }];
    expect((await review([save(dir, 'acme-retail-prod.plan.json', p), '--expect', staged(dir, 'acme-retail-prod', predicted)], dir)).code).toBe(0);
  });
});

describe("the stack's identity comes from the plan", () => {
  test('a nordic plan saved as globex-games-dev.json is an error, not a comparison with globex (exit 1)', async () => {
    const dir = tmp();
    const nordic = withIdentity(realPlan('update-only'), 'nordic-news', 'prod');
    save(dir, 'globex-games-dev.json', nordic);
    const r = await review(['globex-games-dev.json', '--expect', staged(dir, 'globex-games-dev', [])], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'fleet review: globex-games-dev.json: it is the plan of nordic-news-prod (from provider session name, provider tags), but its file name says globex-games-dev; save each stack\'s plan as <stack>.plan.json (this one as nordic-news-prod.plan.json)',
    );
  });

  test('--stack must agree with the plan too; with it agreeing, the review names where the id came from', async () => {
    const dir = tmp();
    const file = save(dir, 'plan.json', withIdentity(realPlan('update-only'), 'helios-media', 'prod', 'gcp'));
    expect((await review([file, '--stack', 'acme-retail-prod'], dir)).code).toBe(1);
    const ok = await review([file, '--stack', 'helios-media-prod'], dir);
    expect(ok.code).toBe(0);
    expect(ok.out.split('\n')[0]).toBe('helios-media-prod  (plan.json; stack id from provider tags; terraform 1.11.4; format 1.2)');
  });

  test('resource tags count as a claim: a plan whose resources are tagged for another stack is refused (exit 1)', async () => {
    const dir = tmp();
    const p = withIdentity(asResource('aws_sqs_queue', { tags_all: { customer: 'globex-games', environment: 'dev' } }, { tags_all: { customer: 'globex-games', environment: 'dev' } }), 'acme-retail', 'prod');
    const r = await review([save(dir, 'acme-retail-prod.plan.json', p)], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the plan names more than one stack: acme-retail-prod (from provider session name, provider tags); globex-games-dev (from resource tags)');
  });

  test('a plan that names no stack cannot be compared with a staged plan, whatever its file name (exit 1)', async () => {
    const dir = tmp();
    const r = await review([save(dir, 'acme-retail-prod.plan.json', realPlan('update-only')), '--expect', staged(dir, 'acme-retail-prod', [])], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the plan names no stack .* so it cannot be compared with the staged plan/);
  });
});

describe('drift is reported', () => {
  function drifted(entry: Plan): Plan {
    const plan = withIdentity(realPlan('update-only'), 'acme-retail', 'prod');
    plan.resource_drift = [entry];
    return plan;
  }

  test('a bucket deleted outside Terraform is blocking: its data is gone and the plan would create an empty one (exit 2)', async () => {
    const dir = tmp();
    const entry = { address: 'aws_s3_bucket.raw', mode: 'managed', type: 'aws_s3_bucket', name: 'raw', change: { actions: ['delete'], before: { bucket: 'acme-raw' }, after: null, after_unknown: {} } };
    const r = await review([save(dir, 'acme-retail-prod.plan.json', drifted(entry))], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('  PROTECTED: aws_s3_bucket.raw: deleted outside Terraform: it and the data it held are gone');
  });

  test('other drift is listed for the reviewer (exit 0): a deleted alarm, a changed security group', async () => {
    const dir = tmp();
    const plan = drifted({ address: 'aws_cloudwatch_metric_alarm.lag', type: 'aws_cloudwatch_metric_alarm', change: { actions: ['delete'], before: { alarm_name: 'lag' }, after: null } });
    plan.resource_drift.push({ address: 'aws_security_group.lb', type: 'aws_security_group', change: { actions: ['update'], before: { description: 'a' }, after: { description: 'b' }, after_unknown: {} } });
    const r = await review([save(dir, 'acme-retail-prod.plan.json', plan)], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  DRIFT: aws_cloudwatch_metric_alarm.lag: deleted outside Terraform; the plan creates it again');
    expect(r.out).toContain('  DRIFT: aws_security_group.lb: changed outside Terraform (description)');
  });
});
