/**
 * Which attribute changes make Terraform replace a resource instead of updating it in place, for
 * the resource types our constructs synthesize (constructs/aws, constructs/gcp).
 *
 * The stage has no provider schemas (reading them needs `terraform init`, which needs the
 * registry), so this table is written by hand from the providers' schemas as of
 * hashicorp/aws 6.x and hashicorp/google 6.x. A type that is missing here is never guessed: its
 * changes are reported as in-place updates marked uncertain, so the table only has to grow when
 * the constructs start using a new type.
 */

export interface ForceNewRule {
  /**
   * Attribute paths whose change forces a new resource: dotted, without list indexes
   * ("settings.edition" matches "settings.0.edition"); a prefix covers everything below it.
   * "*" means every attribute (immutable resources such as instance templates), less `except`.
   */
  readonly forceNew: readonly string[];
  /** With "*": the attributes that are still updated in place. */
  readonly except?: readonly string[];
  /**
   * Computed attributes that take a new value whenever the resource is updated in place, so that
   * a reference to them changes too (a launch template's latest_version moves on every update).
   */
  readonly computedOnUpdate?: readonly string[];
  /**
   * Attributes whose effect depends on the values rather than on the attribute alone. `replace`
   * decides from the before and after values; `note` is shown to the reviewer either way.
   */
  readonly conditional?: Readonly<Record<string, { readonly replace: (before: unknown, after: unknown) => boolean; readonly note: string }>>;
}

/** Every google resource is placed in a project (and regional ones in a region) at creation. */
const GCP = ['project'];
const GCP_REGIONAL = ['project', 'region'];

/** The engine part of a Cloud SQL database_version: "POSTGRES_16" -> "POSTGRES". */
function sqlEngine(version: unknown): string {
  return String(version).split('_')[0];
}

export const FORCE_NEW: Readonly<Record<string, ForceNewRule>> = {
  // --- AWS ---
  aws_acm_certificate: { forceNew: ['domain_name', 'subject_alternative_names', 'validation_method', 'key_algorithm', 'validation_option', 'certificate_authority_arn'] },
  aws_acm_certificate_validation: { forceNew: ['certificate_arn', 'validation_record_fqdns'] },
  aws_autoscaling_group: { forceNew: ['name', 'name_prefix'] },
  aws_cloudwatch_log_group: { forceNew: ['name', 'name_prefix'] },
  aws_cloudwatch_metric_alarm: { forceNew: ['alarm_name'] },
  aws_db_instance: {
    forceNew: ['identifier', 'identifier_prefix', 'engine', 'db_name', 'username', 'kms_key_id', 'storage_encrypted', 'availability_zone', 'character_set_name', 'timezone'],
  },
  aws_db_subnet_group: { forceNew: ['name', 'name_prefix'] },
  aws_dynamodb_table: { forceNew: ['name', 'hash_key', 'range_key', 'local_secondary_index'] },
  aws_iam_instance_profile: { forceNew: ['name', 'name_prefix', 'path'] },
  aws_iam_role: { forceNew: ['name', 'name_prefix', 'path'] },
  aws_iam_role_policy: { forceNew: ['name', 'name_prefix', 'role'] },
  aws_iam_role_policy_attachment: { forceNew: ['role', 'policy_arn'] },
  // Stream mode, shard count, retention and encryption are all changed in place (UpdateStreamMode, UpdateShardCount, ...).
  aws_kinesis_stream: { forceNew: ['name'] },
  aws_kms_alias: { forceNew: ['name', 'name_prefix'] },
  aws_kms_key: { forceNew: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'] },
  // Every other change makes a new template version; the auto scaling group then rolls to it.
  aws_launch_template: { forceNew: ['name', 'name_prefix'], computedOnUpdate: ['latest_version', 'default_version'] },
  aws_lb: { forceNew: ['name', 'name_prefix', 'internal', 'load_balancer_type', 'customer_owned_ipv4_pool'] },
  aws_lb_listener: { forceNew: ['load_balancer_arn'] },
  aws_lb_listener_certificate: { forceNew: ['listener_arn', 'certificate_arn'] },
  aws_lb_target_group: { forceNew: ['name', 'name_prefix', 'port', 'protocol', 'protocol_version', 'vpc_id', 'target_type', 'ip_address_type'] },
  // A record's type is changed in place (one change batch deletes the old record set and creates the new one).
  aws_route53_record: { forceNew: ['name', 'zone_id'] },
  aws_s3_bucket: { forceNew: ['bucket', 'bucket_prefix', 'object_lock_enabled'] },
  aws_s3_bucket_lifecycle_configuration: { forceNew: ['bucket', 'expected_bucket_owner'] },
  aws_s3_bucket_ownership_controls: { forceNew: ['bucket'] },
  aws_s3_bucket_policy: { forceNew: ['bucket'] },
  aws_s3_bucket_public_access_block: { forceNew: ['bucket'] },
  aws_s3_bucket_server_side_encryption_configuration: { forceNew: ['bucket', 'expected_bucket_owner'] },
  aws_secretsmanager_secret: { forceNew: ['name', 'name_prefix'] },
  aws_security_group: { forceNew: ['name', 'name_prefix', 'description', 'vpc_id'] },
  aws_sns_topic: { forceNew: ['name', 'name_prefix', 'fifo_topic'] },
  aws_sns_topic_subscription: { forceNew: ['topic_arn', 'protocol', 'endpoint'] },
  aws_sqs_queue: { forceNew: ['name', 'name_prefix', 'fifo_queue'] },
  aws_sqs_queue_policy: { forceNew: ['queue_url'] },
  aws_ssm_parameter: { forceNew: ['name'] },
  aws_vpc_security_group_egress_rule: { forceNew: ['security_group_id'] },
  aws_vpc_security_group_ingress_rule: { forceNew: ['security_group_id'] },

  // --- Google ---
  google_bigquery_dataset: { forceNew: [...GCP, 'dataset_id', 'location'] },
  // IAM members have no update: any change is a new binding.
  google_bigquery_dataset_iam_member: { forceNew: ['*'] },
  google_compute_backend_service: { forceNew: [...GCP, 'name', 'load_balancing_scheme'] },
  google_compute_firewall: { forceNew: [...GCP, 'name', 'network', 'direction'] },
  google_compute_forwarding_rule: {
    forceNew: [...GCP_REGIONAL, 'name', 'backend_service', 'ip_address', 'ip_protocol', 'load_balancing_scheme', 'network', 'subnetwork', 'ports', 'port_range', 'all_ports', 'description'],
  },
  google_compute_global_address: { forceNew: ['*'], except: ['labels'] },
  google_compute_global_forwarding_rule: { forceNew: [...GCP, 'name', 'ip_address', 'ip_protocol', 'ip_version', 'load_balancing_scheme', 'port_range', 'network', 'description'] },
  google_compute_health_check: { forceNew: [...GCP, 'name'] },
  // Instance templates are immutable: every change is a new template, and the group rolls to it.
  google_compute_instance_template: { forceNew: ['*'] },
  google_compute_managed_ssl_certificate: { forceNew: ['*'] },
  google_compute_region_autoscaler: { forceNew: [...GCP_REGIONAL, 'name'] },
  google_compute_region_backend_service: { forceNew: [...GCP_REGIONAL, 'name', 'load_balancing_scheme'] },
  google_compute_region_instance_group_manager: { forceNew: [...GCP_REGIONAL, 'name', 'base_instance_name', 'distribution_policy_zones'] },
  google_compute_ssl_policy: { forceNew: [...GCP, 'name', 'description'] },
  google_compute_target_http_proxy: { forceNew: [...GCP, 'name', 'description'] },
  google_compute_target_https_proxy: { forceNew: [...GCP, 'name', 'description'] },
  google_compute_url_map: { forceNew: [...GCP, 'name'] },
  google_logging_log_view: { forceNew: ['name', 'bucket', 'parent', 'location'] },
  google_logging_log_view_iam_member: { forceNew: ['*'] },
  google_monitoring_alert_policy: { forceNew: [...GCP] },
  google_monitoring_notification_channel: {
    forceNew: [...GCP],
    conditional: {
      type: { replace: () => false, note: 'a notification channel type change is predicted in place; the API may refuse it, in which case recreate the channel' },
    },
  },
  google_monitoring_uptime_check_config: { forceNew: [...GCP, 'monitored_resource', 'resource_group', 'checker_type'] },
  google_project_iam_custom_role: { forceNew: [...GCP, 'role_id'] },
  google_project_iam_member: { forceNew: ['*'] },
  google_pubsub_subscription: { forceNew: [...GCP, 'name', 'topic', 'enable_message_ordering', 'filter'] },
  google_pubsub_subscription_iam_member: { forceNew: ['*'] },
  google_pubsub_topic: { forceNew: [...GCP, 'name'] },
  google_pubsub_topic_iam_member: { forceNew: ['*'] },
  google_secret_manager_secret: { forceNew: [...GCP, 'secret_id', 'replication'] },
  google_secret_manager_secret_iam_member: { forceNew: ['*'] },
  google_service_account: { forceNew: [...GCP, 'account_id'] },
  google_service_account_iam_member: { forceNew: ['*'] },
  google_sql_database: { forceNew: [...GCP, 'name', 'instance'] },
  google_sql_database_instance: {
    forceNew: [...GCP_REGIONAL, 'name', 'master_instance_name', 'encryption_key_name'],
    conditional: {
      // Cloud SQL upgrades a major version in place (POSTGRES_15 -> POSTGRES_16); it cannot change engine.
      database_version: {
        replace: (before, after) => sqlEngine(before) !== sqlEngine(after),
        note: 'database_version: a major-version upgrade runs in place only along a path Cloud SQL supports; an engine change replaces the instance',
      },
    },
  },
  google_storage_bucket: { forceNew: [...GCP, 'name', 'location'] },
  google_storage_bucket_iam_member: { forceNew: ['*'] },
};

/** "rule.0.expiration" -> "rule.expiration": the table's paths carry no list indexes. */
export function schemaPath(path: string): string {
  return path
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .join('.');
}

function covers(entry: string, path: string): boolean {
  return path === entry || path.startsWith(`${entry}.`);
}

/**
 * Whether changing `path` (a dotted path as in ResourceChange.paths) forces a new resource.
 * `values` gives the top-level attribute's before and after values for conditional rules.
 */
export function forcesNew(rule: ForceNewRule, path: string, values?: { before: unknown; after: unknown }): boolean {
  const p = schemaPath(path);
  const top = p.split('.')[0];
  const conditional = rule.conditional?.[top];
  if (conditional) return values !== undefined && conditional.replace(values.before, values.after);
  if (rule.forceNew.includes('*')) return !(rule.except ?? []).some((e) => covers(e, p));
  return rule.forceNew.some((e) => covers(e, p));
}

/** The reviewer note for a path with a conditional rule, if any. */
export function conditionalNote(rule: ForceNewRule, path: string): string | undefined {
  return rule.conditional?.[schemaPath(path).split('.')[0]]?.note;
}
