import { formatIssue, validateCustomerTexts, type ValidationIssue } from '../../customers/load';
import { NOW, exampleJson } from '../support/specs';

const FILE = 'helios-media-prod.json';

/** Validates the helios-media-prod example after `change` edits its JSON. */
function issuesAfter(change: (raw: any) => void, file = FILE): ValidationIssue[] {
  const raw = exampleJson(FILE);
  change(raw);
  return validateCustomerTexts([{ file, text: JSON.stringify(raw, null, 2) }], { now: NOW }).issues;
}

describe('GCP customer file validation', () => {
  test('the GCP examples are valid', () => {
    const texts = ['helios-media-prod.json', 'helios-media-staging.json'].map((file) => ({ file, text: JSON.stringify(exampleJson(file)) }));
    const { customers, issues } = validateCustomerTexts(texts, { now: NOW });
    expect(issues.map(formatIssue)).toEqual([]);
    expect(customers.map((c) => c.spec.cloud)).toEqual(['gcp', 'gcp']);
  });

  test('an unknown cloud lists the clouds there are', () => {
    const [issue] = issuesAfter((raw) => (raw.cloud = 'azure'));
    expect(issue).toMatchObject({ path: 'cloud', got: '"azure"' });
    expect(issue.expected).toBe('one of "aws" | "gcp"');
  });

  test('a zone instead of a region says to drop the zone suffix', () => {
    const [issue] = issuesAfter((raw) => (raw.gcp.region = 'europe-west1-b'));
    expect(issue).toMatchObject({ path: 'gcp.region', expected: 'a GCP region such as europe-west1', got: 'a 14-character string that does not match (not shown)' });
    expect(issue.hint).toMatch(/drop the -a\/-b\/-c suffix/);
  });

  test('a deploy service account that is not a service account email shows the expected shape', () => {
    const [issue] = issuesAfter((raw) => (raw.gcp.deployServiceAccount = 'fleet-deploy@gmail.com'));
    expect(issue.path).toBe('gcp.deployServiceAccount');
    expect(issue.expected).toMatch(/@helios-media-prod\.iam\.gserviceaccount\.com/);
  });

  test('a subnetwork in another region names both regions', () => {
    const [issue] = issuesAfter((raw) => (raw.network.subnetwork = 'projects/helios-network-host/regions/us-central1/subnetworks/pipeline'));
    expect(issue).toMatchObject({ path: 'network.subnetwork', expected: 'a subnetwork in europe-west1' });
    expect(issue.hint).toMatch(/in us-central1; instances run in gcp.region/);
  });

  test('a network in another project than the shared VPC host is refused', () => {
    const [issue] = issuesAfter((raw) => (raw.network.network = 'projects/other-host-project/global/networks/shared'));
    expect(issue).toMatchObject({ path: 'network.network', expected: 'a network in project helios-network-host' });
  });

  test('a network path without networkProjectId suggests setting it', () => {
    const [issue] = issuesAfter((raw) => delete raw.gcp.networkProjectId);
    expect(issue.path).toBe('network.network');
    expect(issue.hint).toBe('for a shared VPC, set gcp.networkProjectId to helios-network-host');
  });

  test('an existing certificate without its id says the field is missing', () => {
    const [issue] = issuesAfter((raw) => (raw.collector.ssl = { certificate: 'existing' }));
    expect(issue).toMatchObject({ path: 'collector.ssl.certificateId', expected: 'a string', got: 'nothing (the field is missing)' });
  });

  test('an unknown certificate kind names the two there are', () => {
    const [issue] = issuesAfter((raw) => (raw.collector.ssl.certificate = 'self-signed'));
    expect(issue).toMatchObject({ path: 'collector.ssl.certificate', expected: 'certificate "managed" or "existing"', got: '"self-signed"' });
  });

  test('an SSL profile below MODERN is refused with the allowed ones', () => {
    const [issue] = issuesAfter((raw) => (raw.collector.ssl.profile = 'COMPATIBLE'));
    expect(issue).toMatchObject({ path: 'collector.ssl.profile', expected: 'one of "MODERN" | "RESTRICTED"' });
  });

  test('AWS sizing in a GCP file names the unknown field', () => {
    const [issue] = issuesAfter((raw) => (raw.components.enrich.sizing = { instanceType: 'm5.large', machineType: 'e2-standard-2', minSize: 1, maxSize: 2 }));
    expect(issue).toMatchObject({ path: 'components.enrich.sizing', got: 'unknown field(s) "instanceType"' });
  });

  test('a BigQuery dataset id with hyphens shows the allowed characters', () => {
    const [issue] = issuesAfter((raw) => (raw.components['bigquery-loader'].dataset.datasetId = 'snowplow-events'));
    expect(issue).toMatchObject({ path: 'components.bigquery-loader.dataset.datasetId', got: 'a 15-character string that does not match (not shown)' });
    expect(issue.expected).toMatch(/letters, digits and underscores/);
  });

  test('a missing BigQuery loader is reported', () => {
    const [issue] = issuesAfter((raw) => delete raw.components['bigquery-loader']);
    expect(issue).toMatchObject({ path: 'components.bigquery-loader', got: 'nothing (the field is missing)' });
  });

  test('an email without a member type says which prefixes to use', () => {
    const [issue] = issuesAfter((raw) => (raw.operators.principals = ['ops@fleet.example']));
    expect(issue).toMatchObject({ path: 'operators.principals.0', got: '"ops@fleet.example"' });
    expect(issue.hint).toMatch(/prefix the identity with user:, group:, serviceAccount: or domain:/);
  });

  test('a public member is refused wherever an identity goes', () => {
    const issues = issuesAfter((raw) => {
      raw.operators.principals = ['allUsers'];
      raw.roles[0].members = ['allAuthenticatedUsers'];
      raw.accessGrants[0].principal = 'allUsers';
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['accessGrants.0.principal', 'operators.principals.0', 'roles.0.members.0']);
    for (const i of issues) expect(i.expected).toBe('a named identity, not a public member');
  });

  test('a basic role in a customer role is refused with a narrower suggestion', () => {
    const [issue] = issuesAfter((raw) => (raw.roles[0].bindings[0].role = 'roles/editor'));
    expect(issue).toMatchObject({ path: 'roles.0.bindings.0.role', expected: 'a predefined role narrower than a basic role' });
    expect(issue.hint).toMatch(/roles\/editor covers every service/);
  });

  test('a "custom" binding without permissions, and permissions nobody binds, are both caught', () => {
    expect(issuesAfter((raw) => (raw.roles[1].permissions = []))[0]).toMatchObject({ path: 'roles.1.permissions', expected: 'permissions for the "custom" role' });
    expect(issuesAfter((raw) => (raw.roles[0].permissions = ['bigquery.tables.getData']))[0]).toMatchObject({
      path: 'roles.0.permissions',
      expected: 'permissions only when a binding uses role "custom"',
    });
  });

  test('a customer role on an unknown resource alias lists the aliases', () => {
    const [issue] = issuesAfter((raw) => (raw.roles[0].bindings[0].resources = ['bucket']));
    expect(issue.path).toBe('roles.0.bindings.0.resources.0');
    expect(issue.expected).toBe('one of "project" | "raw-topic" | "enriched-topic" | "bad-topic" | "dataset"');
  });

  test('the AWS 5xx threshold in a GCP file points at the GCP one', () => {
    const [issue] = issuesAfter((raw) => (raw.alerts.thresholds = { http5xxPer5Min: 50 }));
    expect(issue).toMatchObject({ path: 'alerts.thresholds', got: 'unknown field(s) "http5xxPer5Min"' });
  });

  test('an approved grant past its expiry is a warning as for AWS, not an error', () => {
    const raw = exampleJson(FILE);
    (raw as any).accessGrants[0].expires = '2026-11-01';
    const { issues, warnings } = validateCustomerTexts([{ file: FILE, text: JSON.stringify(raw) }], { now: NOW });
    expect(issues).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ path: 'accessGrants.0.expires', got: '"2026-11-01"' })]);
  });

  test('a secret value in a GCP file is reported without being echoed', () => {
    const issues = issuesAfter((raw) => (raw.components['iglu-server'].settings = { apiKey: 'd3b07384-d9a0-4c9f-8b1a-1f2e3d4c5b6a' }));
    expect(issues[0]).toMatchObject({ path: 'components.iglu-server.settings.apiKey', expected: 'no secret values in customer files' });
    expect(issues.map(formatIssue).join('\n')).not.toContain('d3b07384');
  });

  test('a GCS state prefix with a leading slash is refused', () => {
    const [issue] = issuesAfter((raw) => (raw.stateBackend.prefix = '/pipelines'));
    expect(issue).toMatchObject({ path: 'stateBackend.prefix', hint: 'no leading or trailing slash' });
  });
});
