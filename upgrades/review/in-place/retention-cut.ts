import { shrinks, type InPlaceRule } from './rule';

/** Per type: the path that says how long data is kept, and whether removing it keeps nothing. */
const RETENTION: Readonly<Record<string, readonly { path: string; removedIsCut: boolean; what: string }[]>> = {
  aws_kinesis_stream: [{ path: 'retention_period', removedIsCut: false, what: 'records older than the new retention are dropped at once, including those a lagging consumer has not read' }],
  google_pubsub_topic: [{ path: 'message_retention_duration', removedIsCut: true, what: 'retained messages older than that are dropped and can no longer be replayed' }],
  google_pubsub_subscription: [{ path: 'message_retention_duration', removedIsCut: false, what: 'unacknowledged messages older than that are dropped' }],
  google_storage_bucket: [
    { path: 'retention_policy.retention_period', removedIsCut: true, what: 'objects can be deleted sooner' },
    { path: 'soft_delete_policy.retention_duration_seconds', removedIsCut: false, what: 'deleted objects can be recovered for less time' },
  ],
};

/** A shorter retention drops data that is still within the old one. */
export const retentionCut: InPlaceRule = {
  id: 'REVIEW-DATA-4',
  types: Object.keys(RETENTION),
  check(r) {
    return (RETENTION[r.type] ?? []).flatMap(({ path, removedIsCut, what }) => {
      const cut = shrinks(r, path, removedIsCut);
      return cut ? [`shortens retention (${path} ${cut}): ${what}`] : [];
    });
  },
};
