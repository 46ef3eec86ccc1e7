import type { PolicyRule } from './rule';
import { noAdminPolicies } from './rules/no-admin-policies';
import { noPrimitiveRoles } from './rules/no-primitive-roles';
import { noPublicBuckets } from './rules/no-public-buckets';
import { noSecretLiterals } from './rules/no-secret-literals';
import { sslPolicyTls12 } from './rules/ssl-policy-tls';

/** The rules every GCP pipeline stack must pass; a violation fails synth. */
export const GCP_RULES: readonly PolicyRule[] = [noPrimitiveRoles, noAdminPolicies, noPublicBuckets, sslPolicyTls12, noSecretLiterals];
