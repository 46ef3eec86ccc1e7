import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ADMIN_GCP_ROLES, adminManagedPolicy } from '../../../customers/admin-policies';
import type { PolicyRule, SynthesizedElements } from '../rule';

const AWS_ATTACHMENTS = ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment'];
const GCP_IAM = /^google_[a-z0-9_]*iam_(member|binding|policy)$/;

/** Token Creator on one service account lets a member impersonate that account only; on a project it is every account's. */
const ONE_ACCOUNT = /^google_service_account_iam_(member|binding)$/;
const SCOPED_ON_ONE_ACCOUNT: readonly string[] = ['roles/iam.serviceAccountTokenCreator'];

function gcpRoles(attrs: Record<string, unknown>): string[] {
  const roles = typeof attrs.role === 'string' ? [attrs.role] : [];
  if (typeof attrs.policy_data === 'string') {
    try {
      const parsed = JSON.parse(attrs.policy_data) as { bindings?: { role?: unknown }[] };
      for (const b of parsed.bindings ?? []) if (typeof b.role === 'string') roles.push(b.role);
    } catch {
      // not JSON: FLEET-GCP-IAM1 and the provider refuse it
    }
  }
  return roles;
}

/** No role gets an administrator policy: AdministratorAccess and kin on AWS, owner/editor and IAM admin roles on GCP. */
export const noAdminPolicies: PolicyRule = {
  id: 'FLEET-IAM2',
  description: 'No AWS administrator managed policy and no GCP owner, editor or IAM-admin role on any role',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!(node instanceof TerraformResource)) return [];
    const type = node.terraformResourceType;
    if (AWS_ATTACHMENTS.includes(type) || type === 'aws_iam_role') {
      const attrs = synthesized.attributes(node);
      const arns = [attrs.policy_arn, ...(Array.isArray(attrs.managed_policy_arns) ? attrs.managed_policy_arns : [])].filter((a): a is string => typeof a === 'string');
      return arns.flatMap((arn) => {
        const name = adminManagedPolicy(arn);
        return name ? [`${type} attaches ${name}, an administrator policy: attach a policy with the exact actions and resources the role needs`] : [];
      });
    }
    if (GCP_IAM.test(type)) {
      return gcpRoles(synthesized.attributes(node))
        .filter((r) => ADMIN_GCP_ROLES.includes(r) && !(ONE_ACCOUNT.test(type) && SCOPED_ON_ONE_ACCOUNT.includes(r)))
        .map((r) => `${type} grants ${r}, an administrator role: grant a predefined role on the exact resource`);
    }
    return [];
  },
};
