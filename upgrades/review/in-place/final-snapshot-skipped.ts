import { turnedOn, type InPlaceRule } from './rule';

/** Without a final snapshot, deleting the database deletes its data with no copy left. */
export const finalSnapshotSkipped: InPlaceRule = {
  id: 'REVIEW-DATA-2',
  types: ['aws_db_instance', 'aws_rds_cluster'],
  check(r) {
    return turnedOn(r, 'skip_final_snapshot') ? ['skips the final snapshot (skip_final_snapshot false -> true): deleting the database later leaves no copy of its data'] : [];
  },
};
