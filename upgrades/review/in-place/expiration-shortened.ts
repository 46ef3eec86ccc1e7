import { expiresSooner, valueAt, valuesAt, type InPlaceRule, type UpdatedResource } from './rule';

type Rule = Record<string, unknown>;

function rules(values: Record<string, unknown>, key: string): Rule[] {
  return valuesAt(values, key).filter((x): x is Rule => typeof x === 'object' && x !== null);
}

/** S3 lifecycle rules by id: a rule whose expiration comes sooner deletes objects (or old versions) earlier. */
function s3(r: UpdatedResource): string[] {
  const before = new Map(rules(r.before, 'rule').map((x) => [String(x.id ?? ''), x]));
  const found: string[] = [];
  for (const rule of rules(r.after, 'rule')) {
    if (rule.status !== 'Enabled') continue;
    const old = before.get(String(rule.id ?? ''));
    const wasOn = old?.status === 'Enabled';
    for (const path of ['expiration.days', 'noncurrent_version_expiration.noncurrent_days']) {
      const sooner = expiresSooner(wasOn ? valueAt(old, path) : undefined, valueAt(rule, path));
      if (sooner) found.push(`lifecycle rule ${JSON.stringify(rule.id ?? '')} expires objects sooner (${path} ${sooner}): objects older than that are deleted`);
    }
  }
  return found;
}

/** Cloud Storage Delete rules by their condition: an age that is lower, or a Delete rule that is new. */
function gcs(r: UpdatedResource): string[] {
  const ages = (values: Record<string, unknown>) =>
    rules(values, 'lifecycle_rule')
      .filter((x) => valueAt(x, 'action.type') === 'Delete')
      .map((x) => valueAt(x, 'condition.age'))
      .filter((a): a is number => typeof a === 'number' && a > 0);
  const before = ages(r.before);
  const shortest = before.length > 0 ? Math.min(...before) : undefined;
  return ages(r.after)
    .map((age) => expiresSooner(shortest, age))
    .filter((x): x is string => x !== undefined)
    .map((sooner) => `a lifecycle Delete rule deletes objects sooner (lifecycle_rule.condition.age ${sooner})`);
}

function bigquery(r: UpdatedResource): string[] {
  return ['default_table_expiration_ms', 'default_partition_expiration_ms'].flatMap((path) => {
    const sooner = expiresSooner(valueAt(r.before, path), valueAt(r.after, path));
    return sooner ? [`tables or partitions expire sooner (${path} ${sooner}): their data is deleted earlier`] : [];
  });
}

/** An expiry that comes sooner deletes data that the current rule keeps. */
export const expirationShortened: InPlaceRule = {
  id: 'REVIEW-DATA-5',
  types: ['aws_s3_bucket_lifecycle_configuration', 'google_storage_bucket', 'google_bigquery_dataset'],
  check(r) {
    if (r.type === 'aws_s3_bucket_lifecycle_configuration') return s3(r);
    return r.type === 'google_storage_bucket' ? gcs(r) : bigquery(r);
  },
};
