import { show, turnedOff, valueAt, type InPlaceRule } from './rule';

/** Turning rotation off leaves one key material in use for good; the customers' security reviews require rotation. */
export const keyRotationOff: InPlaceRule = {
  id: 'REVIEW-KEY-2',
  types: ['aws_kms_key', 'google_kms_crypto_key'],
  check(r) {
    if (r.type === 'aws_kms_key') {
      return turnedOff(r, 'enable_key_rotation') ? ['turns key rotation off (enable_key_rotation true -> false): the key material is never rotated again'] : [];
    }
    const before = valueAt(r.before, 'rotation_period');
    const after = valueAt(r.after, 'rotation_period');
    return before !== undefined && before !== '' && (after === undefined || after === '')
      ? [`turns key rotation off (rotation_period ${show(before)} -> none): the key material is never rotated again`]
      : [];
  },
};
