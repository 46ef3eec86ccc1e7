import { turnedOn, type InPlaceRule } from './rule';

const FLAGS: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'force_destroy',
  google_storage_bucket: 'force_destroy',
  google_bigquery_dataset: 'delete_contents_on_destroy',
};

/** Without the flag, deleting a non-empty bucket or dataset fails; with it, the delete takes the data along. */
export const forceDestroyOn: InPlaceRule = {
  id: 'REVIEW-DATA-6',
  types: Object.keys(FLAGS),
  check(r) {
    const path = FLAGS[r.type];
    return path && turnedOn(r, path) ? [`turns ${path} on (false -> true): a later delete empties it instead of failing, and its data is gone`] : [];
  },
};
