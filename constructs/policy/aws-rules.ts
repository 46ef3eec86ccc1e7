import type { PolicyRule } from './rule';
import { bucketEncryptedPrivate } from './rules/bucket-encrypted-private';
import { httpsListenerTls } from './rules/https-listener-tls';
import { imdsv2Required } from './rules/imdsv2-required';
import { noAdminWildcard } from './rules/no-admin-wildcard';
import { noAdminPolicies } from './rules/no-admin-policies';
import { noSecretLiterals } from './rules/no-secret-literals';
import { trustedPrincipalsOnly } from './rules/trusted-principals-only';
import type { AwsCustomerSpec } from '../../customers/schema';

/** The rules every AWS pipeline stack must pass; a violation fails synth. */
export const AWS_RULES: readonly PolicyRule[] = [noAdminWildcard, noAdminPolicies, bucketEncryptedPrivate, httpsListenerTls, imdsv2Required, noSecretLiterals];

/**
 * AWS_RULES plus the rules that read the customer file: the trust allow-list. CI's plan role is
 * trusted only when the file lists it, like every other principal.
 */
export function awsRules(spec: Pick<AwsCustomerSpec, 'trustedPrincipals'>): PolicyRule[] {
  return [...AWS_RULES, trustedPrincipalsOnly(spec.trustedPrincipals.map((t) => t.principal))];
}
