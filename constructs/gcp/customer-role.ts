import { Construct } from 'constructs';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { grantRole, type IamTarget } from './iam';
import { customRoleId, memberId } from './operator-access';

export interface GcpCustomerRoleProps {
  readonly namePrefix: string;
  readonly projectId: string;
  /** Kebab-case role name from the customer file. */
  readonly roleName: string;
  readonly description: string;
  readonly members: readonly string[];
  /** Permissions of a custom role, bound where a binding's role is "custom". Default: none. */
  readonly permissions?: readonly string[];
  /** Each role (predefined, or "custom") on the exact resources it applies to. */
  readonly bindings: readonly { readonly role: string; readonly targets: readonly IamTarget[] }[];
}

/** A role the customer asked for, managed through the pipeline configuration: members get each role on the named pipeline resources only. */
export class GcpCustomerRole extends Construct {
  constructor(scope: Construct, id: string, props: GcpCustomerRoleProps) {
    super(scope, id);
    if (props.members.length === 0) throw new Error(`GcpCustomerRole ${props.roleName}: members is empty; name who holds the role`);
    const permissions = props.permissions ?? [];
    const usesCustom = props.bindings.some((b) => b.role === 'custom');
    if (usesCustom && permissions.length === 0) throw new Error(`GcpCustomerRole ${props.roleName}: a binding uses role "custom" but permissions is empty; list the permissions`);
    const custom =
      permissions.length > 0
        ? new ProjectIamCustomRole(this, 'custom-role', {
            project: props.projectId,
            roleId: customRoleId(props.namePrefix, props.roleName),
            title: props.roleName,
            description: props.description.slice(0, 256),
            permissions: [...permissions].sort(),
          })
        : undefined;
    for (const member of [...new Set(props.members)].sort()) {
      const scope = new Construct(this, memberId(member));
      props.bindings.forEach((binding, b) => {
        const role = binding.role === 'custom' ? custom!.name : binding.role;
        binding.targets.forEach((target, t) => grantRole(scope, `binding-${b}-${t}`, target, role, member));
      });
    }
  }
}
