/**
 * The GCP plan service account: what pull-request plans and drift checks impersonate instead of
 * the deploy service account. Viewer roles and this stack's state, nothing that reads data.
 */
import { Synth, gcpSpec } from './gcp-support';
import { PLAN_VIEWER_ROLES } from '../../../constructs/gcp/plan-identity';

const EMAIL = 'helios-media-prod-plan@helios-media-pipeline-prod.iam.gserviceaccount.com';
const DATA_ROLES = /roles\/(viewer|editor|owner|pubsub\.subscriber|bigquery\.dataViewer|bigquery\.dataEditor|secretmanager\.secretAccessor|storage\.objectViewer|storage\.admin|logging\.privateLogViewer)$/;

describe('PlanIdentity (GCP)', () => {
  const s = Synth.of(gcpSpec('helios-media-prod.json'));
  // Bound by reference to the account (FLEET-IAM3 knows the stack's own accounts that way); the email is the literal output.
  const member = `serviceAccount:${s.ref('google_service_account', (a) => a.account_id === 'helios-media-prod-plan', 'email')}`;
  const all = (type: string) => Object.values(s.resource[type] ?? {});

  test('a service account per stack, its email a literal stack output CI reads before planning', () => {
    expect(all('google_service_account').filter((a) => a.account_id === 'helios-media-prod-plan')).toHaveLength(1);
    expect(JSON.parse(s.json).output['plan-service-account']).toMatchObject({ value: EMAIL });
  });

  test('it gets the viewer roles on the project, and no role that reads data', () => {
    const roles = all('google_project_iam_member').filter((m) => m.member === member).map((m) => m.role).sort();
    expect(roles).toEqual([...PLAN_VIEWER_ROLES].sort());
    const everyRole = Object.keys(s.resource).filter((t) => /_iam_member$/.test(t)).flatMap((t) => all(t).filter((m) => m.member === member).map((m) => m.role));
    expect(everyRole.filter((r) => DATA_ROLES.test(r))).toEqual([]);
  });

  test("it reads and locks this stack's state folder only", () => {
    const state = all('google_storage_bucket_iam_member').filter((m) => m.member === member);
    expect(state).toEqual([
      expect.objectContaining({
        bucket: 'fleet-tfstate-helios-media',
        role: 'roles/storage.objectUser',
        condition: expect.objectContaining({ expression: expect.stringContaining('objects/pipelines/helios-media/prod/")') }),
      }),
    ]);
  });

  test("the managing team (CI's plan identity among them) may impersonate it, and nobody else", () => {
    const impersonators = all('google_service_account_iam_member').filter((m) => String(m.service_account_id).includes('plan-identity'));
    expect(impersonators.map((m) => [m.role, m.member])).toEqual([
      ['roles/iam.workloadIdentityUser', 'group:fleet-operators@fleet.example'],
      ['roles/iam.workloadIdentityUser', 'serviceAccount:fleet-oncall@fleet-ops-central.iam.gserviceaccount.com'],
    ]);
  });
});
