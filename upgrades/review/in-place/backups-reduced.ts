import { shrinks, turnedOff, type InPlaceRule, type UpdatedResource } from './rule';

function aws(r: UpdatedResource): string[] {
  if (r.type === 'aws_dynamodb_table') {
    return turnedOff(r, 'point_in_time_recovery.enabled')
      ? ['turns point-in-time recovery off (point_in_time_recovery.enabled true -> false): the continuous backups of the table are deleted']
      : [];
  }
  const cut = shrinks(r, 'backup_retention_period', true);
  if (!cut) return [];
  return [
    cut.endsWith('-> 0')
      ? `turns automated backups off (backup_retention_period ${cut}): the existing automated backups are deleted`
      : `keeps automated backups for fewer days (backup_retention_period ${cut}): the older backups are deleted`,
  ];
}

function cloudSql(r: UpdatedResource): string[] {
  const found: string[] = [];
  const base = 'settings.backup_configuration';
  if (turnedOff(r, `${base}.enabled`)) found.push(`turns automated backups off (${base}.enabled true -> false): no new backups, and the database cannot be restored to a later point`);
  if (turnedOff(r, `${base}.point_in_time_recovery_enabled`)) found.push(`turns point-in-time recovery off (${base}.point_in_time_recovery_enabled true -> false)`);
  for (const path of [`${base}.backup_retention_settings.retained_backups`, `${base}.transaction_log_retention_days`]) {
    const cut = shrinks(r, path, false);
    if (cut) found.push(`keeps fewer backups (${path} ${cut}): the older ones are deleted`);
  }
  return found;
}

/** Backups are the copy a data-holding resource is restored from; cutting them deletes that copy. */
export const backupsReduced: InPlaceRule = {
  id: 'REVIEW-DATA-3',
  types: ['aws_db_instance', 'aws_rds_cluster', 'aws_dynamodb_table', 'google_sql_database_instance'],
  check(r) {
    return r.type === 'google_sql_database_instance' ? cloudSql(r) : aws(r);
  },
};
