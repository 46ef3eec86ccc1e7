import type { PolicyRule } from './rule';
import { bucketEncryptedPrivate } from './rules/bucket-encrypted-private';
import { httpsListenerTls } from './rules/https-listener-tls';
import { imdsv2Required } from './rules/imdsv2-required';
import { noAdminWildcard } from './rules/no-admin-wildcard';
import { noSecretLiterals } from './rules/no-secret-literals';

/** The rules every AWS pipeline stack must pass; a violation fails synth. */
export const AWS_RULES: readonly PolicyRule[] = [noAdminWildcard, bucketEncryptedPrivate, httpsListenerTls, imdsv2Required, noSecretLiterals];
