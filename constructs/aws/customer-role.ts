import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { policyJson, trustPolicyJson, type PolicyStatement } from './policy-document';

export interface CustomerRoleProps {
  readonly roleName: string;
  readonly description: string;
  readonly assumedBy: readonly string[];
  /** Default: none. */
  readonly managedPolicyArns?: readonly string[];
  /** Inline statements with resolved ARNs. Default: none. */
  readonly statements?: readonly PolicyStatement[];
  /** Default: none. */
  readonly permissionsBoundaryArn?: string;
}

/** A role the customer asked for, managed through the pipeline configuration. */
export class CustomerRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: CustomerRoleProps) {
    super(scope, id);
    if (props.assumedBy.length === 0) throw new Error(`CustomerRole ${props.roleName}: assumedBy is empty; name who may assume it`);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: trustPolicyJson([{ principals: { AWS: [...props.assumedBy] } }]),
    });
    if ((props.statements ?? []).length > 0) {
      new IamRolePolicy(this, 'policy', { name: 'customer-defined', role: this.role.id, policy: policyJson(props.statements!) });
    }
    (props.managedPolicyArns ?? []).forEach((arn, i) => {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn: arn });
    });
  }
}
