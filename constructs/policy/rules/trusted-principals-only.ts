import { TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

/** google_<anything>_iam_member / _iam_binding (an _iam_policy is refused by FLEET-GCP-IAM1's neighbours). */
const GCP_IAM = /^google_[a-z0-9_]*iam_(member|binding)$/;

/** A member computed from the stack's own resources (its service accounts), not typed in a file. */
const isReference = (member: string): boolean => member.includes('${');

const ownAccounts = new WeakMap<TerraformStack, string[]>();

/** "serviceAccount:<account_id>@" of every service account the stack itself creates. */
function stackServiceAccounts(node: IConstruct, synthesized: SynthesizedElements): string[] {
  const stack = TerraformStack.of(node);
  let found = ownAccounts.get(stack);
  if (!found) {
    found = stack.node
      .findAll()
      .filter((n): n is TerraformResource => isResourceOfType(n, 'google_service_account'))
      .map((n) => synthesized.attributes(n).account_id)
      .filter((id): id is string => typeof id === 'string')
      .map((id) => `serviceAccount:${id}@`);
    ownAccounts.set(stack, found);
  }
  return found;
}

/** A literal member naming one of the stack's own service accounts (its email is known at synth). */
const isOwnServiceAccount = (node: IConstruct, member: string, synthesized: SynthesizedElements): boolean =>
  member.endsWith('.iam.gserviceaccount.com') && stackServiceAccounts(node, synthesized).some((prefix) => member.startsWith(prefix));

/** AWS services the pipeline's own roles are assumed by: its instances, and Redshift running the RDB loader's COPY. */
const PIPELINE_SERVICES: readonly string[] = ['ec2.amazonaws.com', 'redshift.amazonaws.com'];

interface TrustStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/;

/**
 * IAM refuses a trust policy that names a role which does not exist yet, so a role may trust the
 * account root and narrow it to exact principals with aws:PrincipalArn (ArnEquals/StringEquals,
 * no wildcards). That is as narrow as naming them, provided each is allowed and in that account.
 */
function rootNarrowedToAllowed(root: string, statement: TrustStatement, allowed: readonly string[]): boolean {
  const account = ACCOUNT_ROOT.exec(root)?.[1];
  if (account === undefined) return false;
  const exact = ['ArnEquals', 'StringEquals'].flatMap((op) => asList(statement.Condition?.[op]?.['aws:PrincipalArn']));
  return (
    exact.length > 0 &&
    exact.every((arn) => typeof arn === 'string' && allowed.includes(arn) && arn.split(':')[4] === account)
  );
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function principalsOf(statement: TrustStatement): { kind: string; value: unknown }[] {
  if (statement.Principal === '*') return [{ kind: 'AWS', value: '*' }];
  if (statement.Principal === null || typeof statement.Principal !== 'object') return [{ kind: 'Principal', value: statement.Principal }];
  return Object.entries(statement.Principal).flatMap(([kind, v]) => asList(v).map((value) => ({ kind, value })));
}

function gcpMembers(node: TerraformResource, synthesized: SynthesizedElements): string[] {
  const attrs = synthesized.attributes(node);
  return [...(typeof attrs.member === 'string' ? [attrs.member] : []), ...(Array.isArray(attrs.members) ? attrs.members.filter((m): m is string => typeof m === 'string') : [])];
}

/**
 * Only principals the customer file lists under `trustedPrincipals` (each with its reason) get
 * in: on AWS, in every role's trust policy (plus the AWS services the pipeline's own instances
 * use); on GCP, as the member of every IAM binding (plus the stack's own service accounts).
 * Built per stack, from the allow-list in the customer file.
 */
export function trustedPrincipalsOnly(allowed: readonly string[]): PolicyRule {
  return {
    id: 'FLEET-IAM3',
    description: 'IAM trust and bindings name only principals on the customer file\'s allow-list (trustedPrincipals)',
    check(node: IConstruct, synthesized: SynthesizedElements): string[] {
      if (node instanceof TerraformResource && GCP_IAM.test(node.terraformResourceType)) {
        return gcpMembers(node, synthesized)
          .filter((m) => !isReference(m) && !allowed.includes(m) && !isOwnServiceAccount(node, m, synthesized))
          .map((m) => `${node.terraformResourceType} grants to ${m.length <= 120 ? m : 'a member'}, which is not on the allow-list: add it to trustedPrincipals in the customer file with a reason, or remove it`);
      }
      if (!isResourceOfType(node, 'aws_iam_role')) return [];
      const policy = synthesized.attributes(node).assume_role_policy;
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
            if (kind === 'AWS' && typeof value === 'string' && rootNarrowedToAllowed(value, s, allowed)) return [];
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
