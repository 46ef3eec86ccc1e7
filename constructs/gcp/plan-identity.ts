import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { physicalName } from '../naming';
import { grantRole } from './iam';

export interface PlanIdentityProps {
  readonly namePrefix: string;
  readonly projectId: string;
  /** IAM members that may impersonate the plan service account: CI's plan identity and the managing team. */
  readonly impersonators: readonly string[];
  /** The stack's Terraform state in GCS: bucket and the folder of its state (the backend prefix). */
  readonly state: { readonly bucket: string; readonly prefix: string };
}

/**
 * Predefined viewer roles covering what Terraform refreshes in the pipeline: configuration and IAM
 * policies, never data (no pubsub.subscriber, bigquery.dataViewer, secretmanager.secretAccessor,
 * storage.objectViewer on pipeline buckets). The basic roles/viewer is refused by FLEET-GCP-IAM1.
 */
export const PLAN_VIEWER_ROLES: readonly string[] = [
  'roles/bigquery.metadataViewer',
  'roles/cloudsql.viewer',
  'roles/compute.viewer',
  'roles/iam.roleViewer',
  'roles/iam.securityReviewer',
  'roles/logging.viewer',
  'roles/monitoring.viewer',
  'roles/pubsub.viewer',
  'roles/secretmanager.viewer',
  'roles/storage.bucketViewer',
];

/**
 * The service account pull-request plans and drift checks impersonate: it can refresh the pipeline
 * and read and lock the stack's state, and change nothing else. Only deploy jobs in protected
 * environments impersonate the deploy service account.
 */
export class PlanIdentity extends Construct {
  public readonly serviceAccount: ServiceAccount;
  /** Known at synth time (not a token), so CI can read it from cdk.tf.json before planning. */
  public readonly email: string;

  constructor(scope: Construct, id: string, props: PlanIdentityProps) {
    super(scope, id);
    if (props.impersonators.length === 0) throw new Error(`PlanIdentity ${props.namePrefix}: impersonators is empty; name CI's plan identity (serviceAccount:<email>)`);
    const accountId = physicalName([props.namePrefix, 'plan'], 30).replace(/-+$/, '');
    this.email = `${accountId}@${props.projectId}.iam.gserviceaccount.com`;
    this.serviceAccount = new ServiceAccount(this, 'sa', {
      project: props.projectId,
      accountId,
      displayName: `Plans of ${props.namePrefix}`.slice(0, 100),
      description: `Read-only Terraform plans of ${props.namePrefix} (CI pull requests, drift checks)`,
    });
    // A reference to the account (not the literal email): bindings wait for it, and FLEET-IAM3
    // knows the member is the stack's own.
    const member = `serviceAccount:${this.serviceAccount.email}`;
    for (const role of PLAN_VIEWER_ROLES) {
      grantRole(this, `project-${role.slice('roles/'.length).replace(/\./g, '-')}`, { kind: 'project', project: props.projectId }, role, member);
    }
    // The GCS backend reads the state and writes <prefix>/default.tflock while planning; the
    // condition keeps it to this stack's folder (and the bucket itself, for listing).
    const { bucket, prefix } = props.state;
    grantRole(this, 'state', { kind: 'bucket', bucket }, 'roles/storage.objectUser', member, {
      title: 'this-stack-state-only',
      description: `Objects under ${prefix}/ only`,
      expression: `resource.name == "projects/_/buckets/${bucket}" || resource.name.startsWith("projects/_/buckets/${bucket}/objects/${prefix}/")`,
    });
    // workloadIdentityUser holds exactly what impersonation needs (getAccessToken, getOpenIdToken);
    // serviceAccountTokenCreator would add signBlob/signJwt and is refused as an admin role.
    [...new Set(props.impersonators)].sort().forEach((m, i) => {
      new ServiceAccountIamMember(this, `impersonator-${i}`, { serviceAccountId: this.serviceAccount.name, role: 'roles/iam.workloadIdentityUser', member: m });
    });
    new TerraformOutput(this, 'email', { value: this.email, description: 'Service account that pull-request plans and drift checks impersonate (read-only)' }).overrideLogicalId('plan-service-account');
  }
}
