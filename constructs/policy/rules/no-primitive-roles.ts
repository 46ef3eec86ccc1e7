import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { PRIMITIVE_ROLES } from '../../../customers/schema';
import type { PolicyRule, SynthesizedElements } from '../rule';

/** google_<anything>_iam_member / _iam_binding / _iam_policy, and the organisation/folder/project forms. */
const IAM_RESOURCE = /^google_[a-z0-9_]*iam_(member|binding|policy)$/;

function rolesInPolicyData(policyData: unknown): string[] {
  if (typeof policyData !== 'string') return [];
  try {
    const parsed = JSON.parse(policyData) as { bindings?: { role?: unknown }[] };
    return (parsed.bindings ?? []).map((b) => b.role).filter((r): r is string => typeof r === 'string');
  } catch {
    return [];
  }
}

/** No IAM member, binding or policy grants a basic role (roles/owner, roles/editor, roles/viewer). */
export const noPrimitiveRoles: PolicyRule = {
  id: 'FLEET-GCP-IAM1',
  description: 'No basic roles (roles/owner, roles/editor, roles/viewer) in any GCP IAM member, binding or policy',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!(node instanceof TerraformResource) || !IAM_RESOURCE.test(node.terraformResourceType)) return [];
    const attrs = synthesized.attributes(node);
    const roles = [...(typeof attrs.role === 'string' ? [attrs.role] : []), ...rolesInPolicyData(attrs.policy_data)];
    return roles
      .filter((r) => PRIMITIVE_ROLES.includes(r))
      .map((r) => `${node.terraformResourceType} grants ${r}, a basic role covering every service: grant a predefined role on the exact resource`);
  },
};
