import { shrinks, type InPlaceRule } from './rule';

/** The waiting period before a key is destroyed is the time left to notice a mistaken delete and cancel it. */
export const keyDeletionWindow: InPlaceRule = {
  id: 'REVIEW-KEY-3',
  types: ['aws_kms_key', 'google_kms_crypto_key'],
  check(r) {
    const path = r.type === 'aws_kms_key' ? 'deletion_window_in_days' : 'destroy_scheduled_duration';
    const cut = shrinks(r, path, false);
    return cut ? [`shortens the waiting period before the key is destroyed (${path} ${cut}): less time to cancel a mistaken deletion before the encrypted data is unreadable for good`] : [];
  },
};
