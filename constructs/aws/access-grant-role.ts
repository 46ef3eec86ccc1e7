import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { grantEndInstant } from '../access-grants';
import { physicalName } from '../naming';
import { policyJson, trustPolicyJson, type PolicyStatement } from './policy-document';

export interface AccessGrantRoleProps {
  readonly namePrefix: string;
  readonly grantId: string;
  readonly principal: string;
  /** Last valid day, YYYY-MM-DD (UTC). */
  readonly expires: string;
  readonly ticket: string;
  readonly approvedBy: string;
  readonly statements: readonly PolicyStatement[];
  /** Default: none. */
  readonly permissionsBoundaryArn?: string;
}

export { grantEndInstant };

/**
 * Access beyond operating the pipeline (data access above all), granted case by case with the
 * customer's approval. The expiry is enforced by IAM itself, in both the trust and the
 * permissions policy, so access ends on time even if nobody re-deploys; the next synth after
 * expiry removes the role altogether.
 */
export class AccessGrantRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AccessGrantRoleProps) {
    super(scope, id);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(props.expires)) {
      throw new Error(`AccessGrantRole ${props.grantId}: expires "${props.expires}" is not YYYY-MM-DD`);
    }
    const until = { DateLessThan: { 'aws:CurrentTime': grantEndInstant(props.expires) } };
    this.role = new IamRole(this, 'role', {
      name: physicalName([props.namePrefix, 'grant', props.grantId], 64),
      description: `Access grant ${props.grantId} (${props.ticket}, approved by ${props.approvedBy}) until ${props.expires}`,
      maxSessionDuration: 3600,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: trustPolicyJson([{ principals: { AWS: [props.principal] }, conditions: until }]),
      tags: { grant: props.grantId, ticket: props.ticket, expires: props.expires },
    });
    new IamRolePolicy(this, 'policy', {
      name: 'granted-access',
      role: this.role.id,
      policy: policyJson(props.statements.map((s) => ({ ...s, conditions: { ...(s.conditions ?? {}), ...until } }))),
    });
  }
}
