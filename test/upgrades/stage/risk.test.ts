/** Risk flags: blocking data loss, and warnings for IAM widening, TLS/listener and network changes. */
import { assessRisks, isProtectedType, sortRisks, type ResourceValues } from '../../../upgrades/stage/risk';
import type { ResourceChange } from '../../../upgrades/stage/types';

const change = (address: string, action: ResourceChange['action'], paths: string[] = []): ResourceChange => ({ address, type: address.split('.')[0], action, paths });
const withValues = (values: Record<string, ResourceValues>) => ({ values: (address: string) => values[address] });
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('data-holding resources', () => {
  test('replacing or deleting one is blocking, with what is lost; creating or updating one is not a risk', () => {
    const risks = assessRisks([
      change('google_pubsub_subscription.enrich', 'replace'),
      change('aws_secretsmanager_secret.key', 'delete'),
      change('google_bigquery_dataset.events', 'create'),
      change('aws_kinesis_stream.raw', 'update', ['retention_period']),
    ]);
    expect(risks).toEqual([
      { level: 'blocking', address: 'aws_secretsmanager_secret.key', reason: 'deletes a Secrets Manager secret: its value is lost and must be set again before the apps that read it can start' },
      { level: 'blocking', address: 'google_pubsub_subscription.enrich', reason: 'replaces a Pub/Sub subscription: messages not yet acknowledged are lost' },
    ]);
  });

  test('protected types are the data-holding ones', () => {
    for (const t of ['aws_kinesis_stream', 'google_pubsub_topic', 'google_storage_bucket', 'aws_dynamodb_table', 'google_sql_database', 'aws_kms_key']) expect(isProtectedType(t)).toBe(true);
    for (const t of ['aws_launch_template', 'google_compute_instance_template', 'terraform_data']) expect(isProtectedType(t)).toBe(false);
  });

  test('an uncertain prediction is carried into the reason', () => {
    const [risk] = assessRisks([{ ...change('aws_s3_bucket_policy.p', 'replace'), type: 'aws_s3_bucket', uncertain: 'follows from x, whose prediction is uncertain' }]);
    expect(risk.reason).toMatch(/; note: follows from x, whose prediction is uncertain$/);
  });
});

describe('IAM', () => {
  const read = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] };

  test('a policy that gains actions or resources widens; one that loses them does not', () => {
    const wider = policy({ ...read, Action: ['s3:GetObject', 's3:PutObject'] }, { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['arn:aws:kms:eu-west-1:1:key/k'] });
    const risks = assessRisks(
      [change('aws_iam_role_policy.wider', 'update', ['policy']), change('aws_iam_role_policy.narrower', 'update', ['policy'])],
      withValues({
        'aws_iam_role_policy.wider': { before: { policy: policy(read) }, after: { policy: wider } },
        'aws_iam_role_policy.narrower': { before: { policy: wider }, after: { policy: policy(read) } },
      }),
    );
    expect(risks).toEqual([
      { level: 'warning', address: 'aws_iam_role_policy.wider', reason: 'IAM policy widens: adds actions kms:Decrypt, s3:PutObject; adds resources arn:aws:kms:eu-west-1:1:key/k' },
    ]);
  });

  test('dropping a condition (an expiring grant made permanent) or a Deny widens', () => {
    const expiring = { ...read, Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-12T00:00:00Z' } } };
    const deny = { Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: ['*'] };
    const risks = assessRisks(
      [change('aws_iam_role_policy.grant', 'update', ['policy']), change('aws_iam_role_policy.guard', 'update', ['policy'])],
      withValues({
        'aws_iam_role_policy.grant': { before: { policy: policy(expiring) }, after: { policy: policy(read) } },
        'aws_iam_role_policy.guard': { before: { policy: policy(read, deny) }, after: { policy: policy(read) } },
      }),
    );
    expect(risks.map((r) => r.reason)).toEqual([
      'IAM policy widens: changes the conditions or targets of existing grants (1 grant(s) not in the current policy)',
      'IAM policy widens: removes a Deny on s3:DeleteObject',
    ]);
  });

  test('a trust policy that admits a new principal, a new role, a dropped permissions boundary', () => {
    const trust = (arn: string) => policy({ Effect: 'Allow', Principal: { AWS: [arn] }, Action: 'sts:AssumeRole' });
    const risks = assessRisks(
      [change('aws_iam_role.operator', 'update', ['assume_role_policy', 'permissions_boundary']), change('aws_iam_role.fresh', 'create')],
      withValues({
        'aws_iam_role.operator': {
          before: { assume_role_policy: trust('arn:aws:iam::1:role/a'), permissions_boundary: 'arn:aws:iam::1:policy/b' },
          after: { assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:role/a', 'arn:aws:iam::2:root'] }, Action: 'sts:AssumeRole' }) },
        },
        'aws_iam_role.fresh': { after: { assume_role_policy: trust('arn:aws:iam::1:role/a') } },
      }),
    );
    expect(risks.map((r) => `${r.address}: ${r.reason}`)).toEqual([
      'aws_iam_role.fresh: IAM trust policy widens: adds actions sts:AssumeRole; lets AWS:arn:aws:iam::1:role/a assume or use it',
      'aws_iam_role.fresh: creates an IAM role: a new identity that can be assumed',
      'aws_iam_role.operator: IAM trust policy widens: lets AWS:arn:aws:iam::2:root assume or use it',
      'aws_iam_role.operator: removes the IAM role permissions boundary: the role is no longer capped by it',
    ]);
  });

  test('a policy that is not readable JSON (known only after apply) is a warning to check', () => {
    const [risk] = assessRisks([change('aws_iam_role_policy.p', 'update', ['policy'])], withValues({ 'aws_iam_role_policy.p': { before: { policy: policy(read) }, after: { policy: null } } }));
    expect(risk.reason).toBe('changes an IAM policy whose content is not known before apply: check that it does not widen access');
  });

  test('GCP: a new or changed member is a new grant; an identical replacement is not; a custom role gaining permissions', () => {
    const member = { role: 'roles/pubsub.subscriber', member: 'serviceAccount:enrich@p.iam.gserviceaccount.com' };
    const risks = assessRisks(
      [
        change('google_pubsub_subscription_iam_member.new', 'create'),
        change('google_pubsub_subscription_iam_member.same', 'replace', ['subscription']),
        change('google_project_iam_member.grant', 'replace', ['condition.expression']),
        change('google_project_iam_custom_role.ops', 'update', ['permissions.2']),
        change('google_project_iam_member.gone', 'delete'),
      ],
      withValues({
        'google_pubsub_subscription_iam_member.new': { after: member },
        'google_pubsub_subscription_iam_member.same': { before: { ...member, subscription: 'a' }, after: { ...member, subscription: 'b' } },
        'google_project_iam_member.grant': {
          before: { ...member, condition: { expression: 'request.time < timestamp("2026-12-01T00:00:00Z")' } },
          after: { ...member, condition: { expression: 'request.time < timestamp("2027-01-01T00:00:00Z")' } },
        },
        'google_project_iam_custom_role.ops': { before: { permissions: ['a.get', 'a.list'] }, after: { permissions: ['a.get', 'a.list', 'a.update'] } },
      }),
    );
    expect(risks.map((r) => `${r.address}: ${r.reason}`)).toEqual([
      'google_project_iam_custom_role.ops: custom IAM role gains permissions a.update',
      'google_project_iam_member.grant: changes an IAM grant roles/pubsub.subscriber to serviceAccount:enrich@p.iam.gserviceaccount.com (with a condition)',
      'google_pubsub_subscription_iam_member.new: adds an IAM grant roles/pubsub.subscriber to serviceAccount:enrich@p.iam.gserviceaccount.com',
    ]);
  });
});

describe('traffic and network', () => {
  test('certificate, listener, SSL policy and URL map changes are warnings that name the paths', () => {
    const risks = assessRisks([
      change('aws_lb_listener.https', 'update', ['ssl_policy']),
      change('google_compute_managed_ssl_certificate.cert', 'replace'),
      change('google_compute_url_map.redirect', 'update', ['default_url_redirect.0.https_redirect']),
    ]);
    expect(risks.map((r) => `${r.level} ${r.address}: ${r.reason.split(':')[0]}`)).toEqual([
      'warning aws_lb_listener.https: changes a load balancer listener (ssl_policy)',
      'warning google_compute_managed_ssl_certificate.cert: replaces a Google-managed certificate',
      'warning google_compute_url_map.redirect: changes a URL map (default_url_redirect.0.https_redirect)',
    ]);
  });

  test('security group and firewall changes are warnings; opening ingress to the internet says so', () => {
    const risks = assessRisks(
      [change('aws_vpc_security_group_ingress_rule.https', 'update', ['cidr_ipv4']), change('google_compute_firewall.gfe', 'update', ['source_ranges.1'])],
      withValues({
        'aws_vpc_security_group_ingress_rule.https': { before: { cidr_ipv4: '10.0.0.0/8' }, after: { cidr_ipv4: '0.0.0.0/0' } },
        'google_compute_firewall.gfe': { before: { direction: 'INGRESS', source_ranges: ['130.211.0.0/22'] }, after: { direction: 'INGRESS', source_ranges: ['130.211.0.0/22', '35.191.0.0/16'] } },
      }),
    );
    expect(risks.map((r) => `${r.address}: ${r.reason}`)).toEqual([
      'aws_vpc_security_group_ingress_rule.https: changes a security group ingress rule (cidr_ipv4): network access to the pipeline changes; it allows traffic from anywhere (0.0.0.0/0)',
      'google_compute_firewall.gfe: changes a firewall rule (source_ranges.1): network access to the pipeline changes',
    ]);
  });
});

test('risks sort blocking first, then by address and reason', () => {
  const sorted = sortRisks([
    { level: 'warning', address: 'a.x', reason: 'w' },
    { level: 'blocking', address: 'z.x', reason: 'b' },
    { level: 'warning', address: 'a.x', reason: 'v' },
    { level: 'blocking', address: 'b.x', reason: 'b' },
  ]);
  expect(sorted.map((r) => `${r.level} ${r.address} ${r.reason}`)).toEqual(['blocking b.x b', 'blocking z.x b', 'warning a.x v', 'warning a.x w']);
});
