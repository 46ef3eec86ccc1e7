import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member';
import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ProjectIamPolicy } from '@cdktf/provider-google/lib/project-iam-policy';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketAccessControl } from '@cdktf/provider-google/lib/storage-bucket-access-control';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { grantRole } from '../../../constructs/gcp/iam';
import { PrivateBucket } from '../../../constructs/gcp/private-bucket';
import { renderStartupScript } from '../../../constructs/gcp/startup-script';
import { IGLU_SERVER_CONTRACTS } from '../../../constructs/apps/components/iglu-server';
import { launch as launchOf } from '../../../constructs/apps/launch';
import { violations as ruleViolations } from '../../support/violations';
import { GCP_RULES } from '../../../constructs/policy/gcp-rules';
import { PipelineStack } from '../../../stacks/pipeline-stack';
import { gcpSpec, NOW } from './gcp-support';

/** Error messages the GCP rules leave on a stack built by `build`. */
function violations(build: (stack: TerraformStack) => void): string[] {
  return ruleViolations(GCP_RULES, (s) => new GoogleProvider(s, 'google', { project: 'rules-project', region: 'europe-west1' }), build);
}

const withRule = (id: string) => (found: string[]) => found.filter((m) => m.startsWith(`[${id}]`));

describe('FLEET-GCP-IAM1 no basic roles', () => {
  const iam1 = withRule('FLEET-GCP-IAM1');

  test('flags roles/owner, roles/editor and roles/viewer in members and policies', () => {
    const found = violations((s) => {
      new ProjectIamMember(s, 'owner', { project: 'p', role: 'roles/owner', member: 'user:a@example.com' });
      new BigqueryDatasetIamMember(s, 'editor', { datasetId: 'd', role: 'roles/editor', member: 'group:g@example.com' });
      new ProjectIamPolicy(s, 'policy', { project: 'p', policyData: JSON.stringify({ bindings: [{ role: 'roles/viewer', members: ['user:b@example.com'] }] }) });
    });
    expect(iam1(found)).toHaveLength(3);
    expect(iam1(found)[0]).toMatch(/grant a predefined role on the exact resource/);
  });

  test('passes predefined roles', () => {
    const found = violations((s) => {
      new ProjectIamMember(s, 'ok', { project: 'p', role: 'roles/logging.logWriter', member: 'serviceAccount:x@p.iam.gserviceaccount.com' });
      new BigqueryDatasetIamMember(s, 'ok2', { datasetId: 'd', role: 'roles/bigquery.dataViewer', member: 'group:g@example.com' });
    });
    expect(iam1(found)).toEqual([]);
  });

  test('grantRole refuses a basic role and a public member before any resource exists', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => grantRole(stack, 'x', { kind: 'project', project: 'p' }, 'roles/editor', 'user:a@example.com')).toThrow(/roles\/editor is a basic role/);
    expect(() => grantRole(stack, 'y', { kind: 'topic', topic: 't' }, 'roles/pubsub.subscriber', 'allUsers')).toThrow(/allUsers is public/);
  });
});

describe('FLEET-GCS1 no public buckets', () => {
  const gcs1 = withRule('FLEET-GCS1');

  test('flags a bucket without uniform access and public access prevention', () => {
    const found = violations((s) => new StorageBucket(s, 'open', { name: 'open-bucket', location: 'EU' }));
    expect(gcs1(found)).toEqual([
      '[FLEET-GCS1] bucket allows object ACLs: set uniform_bucket_level_access = true',
      '[FLEET-GCS1] bucket can be made public: set public_access_prevention = "enforced"',
    ]);
  });

  test('flags allUsers and allAuthenticatedUsers in bucket IAM and ACLs', () => {
    const found = violations((s) => {
      new StorageBucketIamMember(s, 'public', { bucket: 'b', role: 'roles/storage.objectViewer', member: 'allUsers' });
      new StorageBucketAccessControl(s, 'acl', { bucket: 'b', role: 'READER', entity: 'allAuthenticatedUsers' });
    });
    expect(gcs1(found)).toHaveLength(2);
  });

  test('passes the PrivateBucket construct and named members', () => {
    const found = violations((s) => {
      const b = new PrivateBucket(s, 'private', { projectId: 'p', name: 'private-bucket', location: 'EU' });
      new StorageBucketIamMember(s, 'writer', { bucket: b.bucket.name, role: 'roles/storage.objectCreator', member: 'serviceAccount:w@p.iam.gserviceaccount.com' });
    });
    expect(gcs1(found)).toEqual([]);
  });
});

describe('FLEET-GCP-TLS1 SSL policy minimum TLS 1.2', () => {
  const tls1 = withRule('FLEET-GCP-TLS1');

  test('flags a TLS 1.0 policy, a policy without a minimum and a proxy without a policy', () => {
    const found = violations((s) => {
      new ComputeSslPolicy(s, 'old', { name: 'old', profile: 'COMPATIBLE', minTlsVersion: 'TLS_1_0' });
      new ComputeSslPolicy(s, 'unset', { name: 'unset', profile: 'MODERN' });
      new ComputeTargetHttpsProxy(s, 'proxy', { name: 'proxy', urlMap: 'm', sslCertificates: ['c'] });
    });
    expect(tls1(found)).toEqual([
      '[FLEET-GCP-TLS1] SSL policy allows TLS_1_0: set min_tls_version = "TLS_1_2"',
      '[FLEET-GCP-TLS1] SSL policy has no min_tls_version (the default is TLS 1.0): set min_tls_version = "TLS_1_2"',
      expect.stringMatching(/google_compute_target_https_proxy has no ssl_policy/),
    ]);
  });

  test('passes a TLS 1.2 policy attached to the proxy', () => {
    const found = violations((s) => {
      const policy = new ComputeSslPolicy(s, 'ok', { name: 'ok', profile: 'MODERN', minTlsVersion: 'TLS_1_2' });
      new ComputeTargetHttpsProxy(s, 'proxy', { name: 'proxy', urlMap: 'm', sslCertificates: ['c'], sslPolicy: policy.id });
    });
    expect(tls1(found)).toEqual([]);
  });
});

describe('FLEET-SEC1 no secret literals, in GCP startup scripts too', () => {
  const sec1 = withRule('FLEET-SEC1');
  const template = (s: TerraformStack, script: string) =>
    new ComputeInstanceTemplate(s, 't', { machineType: 'e2-small', disk: [{ boot: true, sourceImage: 'cos' }], metadata: { 'startup-script': script } });

  test('flags a credential written into a startup script', () => {
    const found = violations((s) => template(s, '#!/bin/bash\nexport DB_PASSWORD=hunter2hunter2\ndocker run app'));
    expect(sec1(found)).toEqual([expect.stringMatching(/metadata\.startup-script looks like a secret \(assignment of a credential\)/)]);
  });

  test('passes a rendered startup script that reads its secrets from Secret Manager at boot', () => {
    const launch = launchOf(IGLU_SERVER_CONTRACTS, { cloud: 'gcp', projectId: 'p' }, 'iglu-server', { version: '0.14.0', secrets: ['iglu-super-api-key'] }, { port: 8080, dbName: 'iglu', dbUser: 'iglu' });
    const script = renderStartupScript(launch, {
      projectId: 'p',
      secretIds: { 'iglu-super-api-key': 'x-prod-iglu-server-iglu-super-api-key' },
      igluDatabase: { host: '10.0.0.5', passwordSecretId: 'x-prod-iglu-server-iglu-db-password' },
    });
    expect(sec1(violations((s) => template(s, script)))).toEqual([]);
  });

  test('flags a Google API key in an output', () => {
    const found = violations((s) => new TerraformOutput(s, 'leak', { value: `AIza${'Sy0example'.repeat(3)}abcde` }));
    expect(sec1(found)).toEqual([expect.stringMatching(/Google API key/)]);
  });
});

describe('GCP rules fail the synth', () => {
  test('a violation in a GCP pipeline stack stops app.synth() and names the construct and rule', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'gcp-rules-')), skipValidation: true });
    const stack = new PipelineStack(app, { spec: gcpSpec('helios-media-staging.json'), now: NOW });
    new StorageBucket(stack, 'open', { name: 'helios-open-bucket', location: 'EU' });
    expect(() => app.synth()).toThrow(/\[helios-media-staging\/open\] \[FLEET-GCS1\]/);
  });

  test('the example GCP stacks pass every rule', () => {
    for (const file of ['helios-media-prod.json', 'helios-media-staging.json']) {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'gcp-rules-')), skipValidation: true });
      new PipelineStack(app, { spec: gcpSpec(file), now: NOW });
      expect(() => app.synth()).not.toThrow();
    }
  });
});
