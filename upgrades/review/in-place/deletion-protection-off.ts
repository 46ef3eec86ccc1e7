import { turnedOff, type InPlaceRule } from './rule';

/** Per type, the attributes that refuse a delete while they are true. */
const GUARDS: Readonly<Record<string, readonly string[]>> = {
  aws_db_instance: ['deletion_protection'],
  aws_rds_cluster: ['deletion_protection'],
  aws_dynamodb_table: ['deletion_protection_enabled'],
  google_sql_database_instance: ['deletion_protection', 'settings.deletion_protection_enabled'],
  google_bigquery_table: ['deletion_protection'],
  google_bigquery_dataset: ['deletion_protection'],
  google_compute_instance: ['deletion_protection'],
};

/** Deletion protection is what stops a later plan, or a person, from deleting the data. */
export const deletionProtectionOff: InPlaceRule = {
  id: 'REVIEW-DATA-1',
  types: Object.keys(GUARDS),
  check(r) {
    return (GUARDS[r.type] ?? [])
      .filter((path) => turnedOff(r, path))
      .map((path) => `turns deletion protection off (${path} true -> false): the next plan or a single API call can delete it and its data`);
  },
};
