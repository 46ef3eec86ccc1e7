import type { IConstruct } from 'constructs';
import { parsePolicyStatements } from '../../aws/policy-document';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

const IDENTITY_POLICY_TYPES = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** No identity policy may allow every action (or every action of a service) on every resource. */
export const noAdminWildcard: PolicyRule = {
  id: 'FLEET-IAM1',
  description: 'IAM policies do not allow "*" (or "service:*") actions on "*" resources',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    const type = IDENTITY_POLICY_TYPES.find((t) => isResourceOfType(node, t));
    if (!type) return [];
    const policy = synthesized.attributes(node as never).policy;
    if (typeof policy !== 'string') return [];
    const statements = parsePolicyStatements(policy);
    if (statements === undefined) return [`${type} policy is not valid JSON; build it with policyJson()`];
    return statements
      .filter((s) => (s.Effect ?? 'Allow') === 'Allow')
      .filter((s) => asList(s.Resource).includes('*'))
      .flatMap((s) => asList(s.Action).filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a)))
      .map((a) => `${type} allows "${a}" on "*": name the actions and the exact resource ARNs`);
  },
};
