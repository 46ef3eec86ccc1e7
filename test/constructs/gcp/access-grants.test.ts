import { Testing, TerraformStack } from 'cdktf';
import { grantRole } from '../../../constructs/gcp/iam';
import { gcpSpec, Synth } from './gcp-support';

const grantBindings = (s: Synth) =>
  Object.entries(s.resource)
    .filter(([type]) => type.endsWith('_iam_member'))
    .flatMap(([type, rs]) => Object.values(rs).filter((r) => String(r.condition?.title ?? '').startsWith('grant-')).map((r): Record<string, any> => ({ ...r, type })));
const grantSubscriptions = (s: Synth, grantId = '') => s.all('google_pubsub_subscription').filter((r) => r.name.includes(`grant-${grantId}`));

// helios-media-prod: dq-investigation-7312 (enriched-data-read) is approved until 2027-12-18.
const lastDay = Synth.of(gcpSpec(), new Date('2027-12-18T23:00:00Z'));
const dayAfter = Synth.of(gcpSpec(), new Date('2027-12-19T00:00:00Z'));
// helios-media-staging: stream-debug-7104 (stream-read, until 2027-12-04) and logs-review-6980 (logs-read, until 2027-12-15).
const staging = Synth.of(gcpSpec('helios-media-staging.json'), new Date('2026-12-01T00:00:00Z'));

describe('time-bound access grants on GCP', () => {
  test('an approved grant binds its roles with a condition that ends after the last day, at project level where the dataset refuses conditions', () => {
    const bindings = grantBindings(lastDay);
    expect(bindings.map((b) => `${b.type} ${b.role}`).sort()).toEqual(['google_project_iam_member roles/bigquery.dataViewer', 'google_project_iam_member roles/bigquery.jobUser']);
    for (const b of bindings) {
      expect(b.member).toBe('user:sam.okafor@fleet.example');
      expect(b.condition).toMatchObject({ title: 'grant-dq-investigation-7312', description: 'SUP-7312, approved by lena.vogt@helios-media.com, last day 2027-12-18' });
      expect(b.condition.expression).toMatch(/^request\.time < timestamp\("2027-12-19T00:00:00Z"\)/);
    }
    const viewer = bindings.find((b) => b.role === 'roles/bigquery.dataViewer')!;
    // The dataset and its tables, not a dataset whose name merely starts the same.
    const dataset = `projects/helios-media-pipeline-prod/datasets/${lastDay.ref('google_bigquery_dataset', () => true, 'dataset_id')}`;
    expect(viewer.condition.expression).toBe(`request.time < timestamp("2027-12-19T00:00:00Z") && (resource.name == "${dataset}" || resource.name.startsWith("${dataset}/"))`);
    expect(viewer.project).toBe('helios-media-pipeline-prod');
  });

  test('no binding anywhere puts a condition on a dataset, topic or subscription (GCP refuses those)', () => {
    for (const s of [lastDay, staging, Synth.of(gcpSpec('helios-media-prod.json', (raw) => (raw.accessGrants[1].status = 'approved')), new Date('2026-12-01T00:00:00Z'))]) {
      for (const type of ['google_bigquery_dataset_iam_member', 'google_pubsub_topic_iam_member', 'google_pubsub_subscription_iam_member']) {
        for (const r of s.all(type)) expect(r.condition).toBeUndefined();
      }
    }
  });

  test('the grant exists on its last day and vanishes the day after', () => {
    expect(grantBindings(lastDay)).toHaveLength(2);
    expect(grantBindings(dayAfter)).toEqual([]);
  });

  test('pending and revoked grants produce no access; an approved bad-data-read reads the bad topic through its own subscription', () => {
    const s = Synth.of(
      gcpSpec('helios-media-prod.json', (raw) => {
        raw.accessGrants[0].status = 'pending';
        raw.accessGrants[1].status = 'approved';
        raw.accessGrants.push({ ...raw.accessGrants[0], id: 'old-investigation-7001', status: 'revoked' });
      }),
      new Date('2026-12-01T00:00:00Z'),
    );
    // Pub/Sub takes no conditions: the one conditional binding is the right to impersonate the grant's reader.
    expect(grantBindings(s).map((b) => `${b.type} ${b.role} ${b.condition.title}`)).toEqual(['google_service_account_iam_member roles/iam.serviceAccountTokenCreator grant-bad-rows-review-7290']);
    const reader = s.one('google_service_account', (r) => String(r.account_id).startsWith('grant-bad-rows-review'));
    expect(reader.account_id.length).toBeLessThanOrEqual(30);
    const readerMember = s.member('grant-bad-rows-review');
    expect(s.bindingsOf(readerMember).map((b) => b.role).sort()).toEqual(['roles/pubsub.subscriber', 'roles/pubsub.viewer']);
    const [sub] = grantSubscriptions(s);
    expect(sub.name).toBe('helios-media-prod-bad-grant-bad-rows-review-7290');
    expect(sub.topic).toBe(s.ref('google_pubsub_topic', (r) => r.name === 'helios-media-prod-bad'));
    // The bad topic keeps a week of messages, so the grant's new subscription can seek back into them.
    expect(s.one('google_pubsub_topic', (r) => r.name === 'helios-media-prod-bad').message_retention_duration).toBe('604800s');
  });

  test("stream-read reads through subscriptions made for the grant, never the apps' own", () => {
    const subs = grantSubscriptions(staging, 'stream-debug-7104');
    expect(subs.map((r) => r.name).sort()).toEqual([
      'helios-media-staging-bad-grant-stream-debug-7104',
      'helios-media-staging-enriched-grant-stream-debug-7104',
      'helios-media-staging-raw-grant-stream-debug-7104',
    ]);
    for (const sub of subs) expect(sub.message_retention_duration).toBe('86400s');
    const reader = staging.member('grant-stream-debug-7104');
    const subscribed = staging.bindingsOf(reader).filter((b) => b.role === 'roles/pubsub.subscriber');
    expect(subscribed).toHaveLength(3);
    const appSubs = ['helios-media-staging-raw-enrich', 'helios-media-staging-enriched-bigquery-loader'].map((n) => staging.ref('google_pubsub_subscription', (r) => r.name === n));
    for (const b of subscribed) expect(appSubs).not.toContain(b.subscription);
    // The grantee reaches them only by impersonating the reader, and only until the end of the last day.
    const impersonate = staging.one('google_service_account_iam_member', (r) => r.member === 'group:fleet-support@fleet.example' && r.condition.title === 'grant-stream-debug-7104');
    expect(impersonate).toMatchObject({ role: 'roles/iam.serviceAccountTokenCreator', condition: { expression: 'request.time < timestamp("2027-12-05T00:00:00Z")' } });
    expect(impersonate.service_account_id).toBe(staging.ref('google_service_account', (r) => String(r.account_id).startsWith('grant-stream-debug-7104'), 'name'));
  });

  test("logs-read gets a view of the pipeline apps' logs only, with the expiring condition; both go once expired", () => {
    const view = staging.one('google_logging_log_view', () => true);
    expect(view.filter).toBe('SOURCE("projects/helios-media-pipeline-stg") AND resource.type = "gce_instance" AND LOG_ID("gcplogs-docker-driver")');
    expect(staging.one('google_logging_log_view_iam_member', () => true)).toMatchObject({
      role: 'roles/logging.viewAccessor',
      member: 'user:sam.okafor@fleet.example',
      condition: { expression: 'request.time < timestamp("2027-12-16T00:00:00Z")' },
    });
    const later = Synth.of(gcpSpec('helios-media-staging.json'), new Date('2027-12-16T00:00:00Z'));
    expect(later.all('google_logging_log_view')).toEqual([]);
    expect(grantSubscriptions(later)).toEqual([]);
    expect(grantBindings(later)).toEqual([]);
    expect(later.all('google_service_account').some((r) => String(r.account_id).startsWith('grant-'))).toBe(false);
  });
});

test('grantRole refuses a condition on a resource GCP refuses it for, naming the way out', () => {
  const stack = new TerraformStack(Testing.app(), 'test');
  const condition = { title: 't', expression: 'request.time < timestamp("2030-01-01T00:00:00Z")' };
  expect(() => grantRole(stack, 'd', { kind: 'dataset', project: 'p-123456', datasetId: 'd' }, 'roles/bigquery.dataViewer', 'user:a@b.io', condition)).toThrow(/dataset binding takes no IAM condition.*resource\.name/);
  expect(() => grantRole(stack, 's', { kind: 'subscription', subscription: 's' }, 'roles/pubsub.subscriber', 'user:a@b.io', condition)).toThrow(/subscription binding takes no IAM condition/);
});
