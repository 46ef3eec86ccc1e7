import type { IConstruct } from 'constructs';
import { isResourceOfType, synthesizedAttributes, type PolicyRule } from '../rule';

/** AWS services the pipeline's own roles are assumed by (instance profiles). */
const PIPELINE_SERVICES: readonly string[] = ['ec2.amazonaws.com'];

interface TrustStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function principalsOf(statement: TrustStatement): { kind: string; value: unknown }[] {
  if (statement.Principal === '*') return [{ kind: 'AWS', value: '*' }];
  if (statement.Principal === null || typeof statement.Principal !== 'object') return [{ kind: 'Principal', value: statement.Principal }];
  return Object.entries(statement.Principal).flatMap(([kind, v]) => asList(v).map((value) => ({ kind, value })));
}

/**
 * Every IAM role's trust policy names only principals the customer file lists under
 * `trustedPrincipals` (each with its reason), or the AWS services the pipeline's own instances
 * use. Built per stack, from the allow-list in the customer file.
 */
export function trustedPrincipalsOnly(allowed: readonly string[]): PolicyRule {
  return {
    id: 'FLEET-IAM3',
    description: 'IAM roles trust only principals on the customer file\'s allow-list (trustedPrincipals)',
    check(node: IConstruct): string[] {
      if (!isResourceOfType(node, 'aws_iam_role')) return [];
      const policy = synthesizedAttributes(node).assume_role_policy;
      if (typeof policy !== 'string') return ['aws_iam_role has no literal trust policy to check: build it with trustPolicyJson()'];
      let statements: TrustStatement[];
      try {
        statements = asList((JSON.parse(policy) as { Statement?: unknown }).Statement) as TrustStatement[];
      } catch {
        return ['aws_iam_role trust policy is not valid JSON: build it with trustPolicyJson()'];
      }
      return statements
        .filter((s) => (s.Effect ?? 'Allow') === 'Allow')
        .flatMap((s) => {
          if (s.NotPrincipal !== undefined) return ['aws_iam_role trusts everyone but a NotPrincipal list: name the principals instead'];
          return principalsOf(s).flatMap(({ kind, value }) => {
            if (kind === 'Service' && typeof value === 'string' && PIPELINE_SERVICES.includes(value)) return [];
            if (kind === 'AWS' && typeof value === 'string' && value !== '*' && allowed.includes(value)) return [];
            const shown = typeof value === 'string' && value.length <= 120 ? value : 'a principal';
            return [
              value === '*'
                ? 'aws_iam_role trusts "*" (any AWS account): name the principals, and list each under trustedPrincipals with its reason'
                : `aws_iam_role trusts ${kind} ${shown}, which is not on the allow-list: add it to trustedPrincipals in the customer file with a reason, or remove it from the role`,
            ];
          });
        });
    },
  };
}
