import type { PolicyRule } from './rule';
import { noAdminPolicies } from './rules/no-admin-policies';
import { noPrimitiveRoles } from './rules/no-primitive-roles';
import { noPublicBuckets } from './rules/no-public-buckets';
import { noSecretLiterals } from './rules/no-secret-literals';
import { sslPolicyTls12 } from './rules/ssl-policy-tls';
import { trustedPrincipalsOnly } from './rules/trusted-principals-only';
import type { GcpCustomerSpec } from '../../customers/schema';

/** The rules every GCP pipeline stack must pass; a violation fails synth. */
export const GCP_RULES: readonly PolicyRule[] = [noPrimitiveRoles, noAdminPolicies, noPublicBuckets, sslPolicyTls12, noSecretLiterals];

/** GCP_RULES plus the rules that read the customer file (the member allow-list). */
export function gcpRules(spec: Pick<GcpCustomerSpec, 'trustedPrincipals'>): PolicyRule[] {
  return [...GCP_RULES, trustedPrincipalsOnly(spec.trustedPrincipals.map((t) => t.principal))];
}
