import { valueAt, turnedOff, type InPlaceRule } from './rule';

/** A key that is disabled (or a key version disabled or destroyed) makes everything encrypted with it unreadable. */
export const keyDisabled: InPlaceRule = {
  id: 'REVIEW-KEY-1',
  types: ['aws_kms_key', 'google_kms_crypto_key_version'],
  check(r) {
    if (r.type === 'aws_kms_key') {
      return turnedOff(r, 'is_enabled')
        ? ['disables the KMS key (is_enabled true -> false): the streams, buckets and secrets encrypted with it cannot be read or written until it is enabled again']
        : [];
    }
    const before = valueAt(r.before, 'state');
    const after = valueAt(r.after, 'state');
    return before === 'ENABLED' && after !== 'ENABLED' && after !== undefined
      ? [`sets the key version's state ${String(before)} -> ${String(after)}: data encrypted with this version can no longer be decrypted${after === 'DISABLED' ? ' until it is enabled again' : ''}`]
      : [];
  },
};
