/**
 * Risk flags on a change set, for reviewers: what could lose data (blocking) and what changes
 * who may do what, or how clients reach the pipeline (warnings). Used on predicted change sets
 * (`fleet upgrades stage`) and on real plans (`fleet review`).
 */
import type { ChangeAction, ResourceChange, Risk } from './types';

/** What is lost when a resource of a data-holding type is replaced or deleted. */
interface DataHolder {
  /** "a Kinesis stream" */
  readonly what: string;
  readonly loss: string;
}

/**
 * Types that hold data (or the keys and secrets without which data cannot be read). Replacing or
 * deleting one is blocking; `fleet review` calls them protected.
 */
export const DATA_HOLDING: Readonly<Record<string, DataHolder>> = {
  aws_kinesis_stream: { what: 'a Kinesis stream', loss: 'records that not every consumer has read yet are lost, and consumer checkpoints point at a stream that no longer exists' },
  aws_s3_bucket: { what: 'an S3 bucket', loss: 'the objects in it are lost (or the delete fails on a non-empty bucket and leaves the apply half done)' },
  aws_dynamodb_table: { what: 'a DynamoDB table', loss: 'its items are lost (for the loaders: leases and checkpoints, so they reprocess or skip records)' },
  aws_db_instance: { what: 'an RDS database instance', loss: 'its data is lost unless restored from a snapshot' },
  aws_rds_cluster: { what: 'an RDS cluster', loss: 'its data is lost unless restored from a snapshot' },
  aws_kms_key: { what: 'a KMS key', loss: 'the key is scheduled for deletion, and everything encrypted with it becomes unreadable once it is gone' },
  aws_secretsmanager_secret: { what: 'a Secrets Manager secret', loss: 'its value is lost and must be set again before the apps that read it can start' },
  aws_secretsmanager_secret_version: { what: 'a Secrets Manager secret version', loss: 'that secret value is lost' },
  google_pubsub_topic: { what: 'a Pub/Sub topic', loss: 'retained messages are lost and its subscriptions are detached from it' },
  google_pubsub_subscription: { what: 'a Pub/Sub subscription', loss: 'messages not yet acknowledged are lost' },
  google_storage_bucket: { what: 'a Cloud Storage bucket', loss: 'the objects in it are lost (or the delete fails on a non-empty bucket and leaves the apply half done)' },
  google_bigquery_dataset: { what: 'a BigQuery dataset', loss: 'its tables and their data are lost' },
  google_bigquery_table: { what: 'a BigQuery table', loss: 'its data is lost' },
  google_sql_database_instance: { what: 'a Cloud SQL instance', loss: 'its databases are lost unless restored from a backup' },
  google_sql_database: { what: 'a Cloud SQL database', loss: 'its data is lost unless restored from a backup' },
  google_secret_manager_secret: { what: 'a Secret Manager secret', loss: 'all its versions (the secret values) are lost' },
  google_secret_manager_secret_version: { what: 'a Secret Manager secret version', loss: 'that secret value is lost' },
  google_kms_crypto_key: { what: 'a Cloud KMS key', loss: 'its versions are scheduled for destruction, and data encrypted with them becomes unreadable' },
};

/** Certificates, listeners and the resources that route or terminate client traffic. */
const TRAFFIC: Readonly<Record<string, { what: string; consequence: string }>> = {
  aws_lb_listener: { what: 'a load balancer listener', consequence: 'collector clients see the new protocol, certificate or TLS policy at once' },
  aws_lb_listener_rule: { what: 'a load balancer listener rule', consequence: 'requests may be routed differently at once' },
  aws_lb_listener_certificate: { what: 'a listener certificate', consequence: 'HTTPS clients may be served a different certificate' },
  aws_acm_certificate: { what: 'an ACM certificate', consequence: 'a new certificate must be issued and validated before listeners use it; if validation fails, HTTPS breaks' },
  aws_acm_certificate_validation: { what: 'an ACM certificate validation', consequence: 'the apply waits for DNS validation; a missing record stalls it' },
  google_compute_target_https_proxy: { what: 'an HTTPS target proxy', consequence: 'the certificate, TLS policy or URL map clients get changes at once' },
  google_compute_target_http_proxy: { what: 'an HTTP target proxy', consequence: 'the HTTP to HTTPS redirect may change' },
  google_compute_managed_ssl_certificate: { what: 'a Google-managed certificate', consequence: 'a new certificate takes up to an hour to provision; HTTPS fails until it is active if the old one is gone' },
  google_compute_ssl_certificate: { what: 'an SSL certificate', consequence: 'HTTPS clients may be served a different certificate' },
  google_compute_ssl_policy: { what: 'an SSL policy', consequence: 'the TLS versions and ciphers clients may use change' },
  google_compute_url_map: { what: 'a URL map', consequence: 'requests may be routed or redirected differently at once' },
  google_compute_global_forwarding_rule: { what: 'a global forwarding rule', consequence: 'the collector front end (address, port or proxy) changes' },
};

/** Network access rules. */
const NETWORK: Readonly<Record<string, string>> = {
  aws_security_group: 'a security group',
  aws_security_group_rule: 'a security group rule',
  aws_vpc_security_group_ingress_rule: 'a security group ingress rule',
  aws_vpc_security_group_egress_rule: 'a security group egress rule',
  aws_network_acl: 'a network ACL',
  aws_network_acl_rule: 'a network ACL rule',
  google_compute_firewall: 'a firewall rule',
};

/** Attributes holding a JSON IAM policy document, per type. */
const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role_policy: 'policy',
  aws_iam_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_s3_bucket_policy: 'policy',
  aws_kms_key: 'policy',
  aws_secretsmanager_secret_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_sqs_queue_policy: 'policy',
};

/** Attribute values of one resource, before and after the change, where known. */
export interface ResourceValues {
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
}

export interface RiskContext {
  /** Values by address: synthesized config for predictions, plan JSON before/after for real plans. */
  readonly values?: (address: string) => ResourceValues | undefined;
}

const VERB: Readonly<Record<ChangeAction, string>> = { create: 'creates', update: 'changes', replace: 'replaces', delete: 'deletes' };

function list(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function pathsNote(change: ResourceChange): string {
  const paths = change.action === 'replace' && change.replacePaths?.length ? change.replacePaths : change.paths;
  if (paths.length === 0 || change.action === 'create' || change.action === 'delete') return '';
  return ` (${change.action === 'replace' ? 'forced by ' : ''}${list(paths)})`;
}

function dataRisk(change: ResourceChange): Risk | undefined {
  const holder = DATA_HOLDING[change.type];
  if (!holder || (change.action !== 'replace' && change.action !== 'delete')) return undefined;
  const uncertain = change.uncertain ? `; note: ${change.uncertain}` : '';
  return { level: 'blocking', address: change.address, reason: `${VERB[change.action]} ${holder.what}${pathsNote(change)}: ${holder.loss}${uncertain}` };
}

function trafficRisk(change: ResourceChange): Risk | undefined {
  const t = TRAFFIC[change.type];
  if (!t) return undefined;
  return { level: 'warning', address: change.address, reason: `${VERB[change.action]} ${t.what}${pathsNote(change)}: ${t.consequence}` };
}

function opensToInternet(values: Record<string, unknown> | undefined): boolean {
  if (!values) return false;
  const ranges = [values.cidr_ipv4, values.cidr_ipv6, values.cidr_blocks, values.ipv6_cidr_blocks, values.source_ranges].flat();
  const ingress = values.direction === undefined || values.direction === 'INGRESS';
  return ingress && ranges.some((r) => r === '0.0.0.0/0' || r === '::/0');
}

function networkRisk(change: ResourceChange, values: ResourceValues | undefined): Risk | undefined {
  const what = NETWORK[change.type];
  if (!what) return undefined;
  const open =
    change.action !== 'delete' && opensToInternet(values?.after) && !opensToInternet(values?.before) && !change.type.includes('egress')
      ? '; it allows traffic from anywhere (0.0.0.0/0)'
      : '';
  return { level: 'warning', address: change.address, reason: `${VERB[change.action]} ${what}${pathsNote(change)}: network access to the pipeline changes${open}` };
}

// ---- IAM ----

/** A stable JSON text (sorted keys), so that equal conditions compare equal. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function principals(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value as Record<string, unknown>).flatMap(([kind, ids]) => strings(ids).map((id) => `${kind}:${id}`));
}

interface Grant {
  readonly key: string;
  readonly action: string;
  readonly resource: string;
  readonly principal: string;
}

/**
 * One key per (effect, action, resource, principal, condition) a policy document states, or
 * undefined when it is not a JSON policy (e.g. a reference known only after apply).
 */
function grantsOf(policy: unknown): Map<string, Grant> | undefined {
  if (typeof policy !== 'string') return undefined;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return undefined;
  }
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) as Record<string, unknown>[];
  const grants = new Map<string, Grant>();
  for (const s of statements) {
    const effect = String(s.Effect ?? 'Allow');
    const actions = [...strings(s.Action), ...strings(s.NotAction).map((a) => `not ${a}`)];
    const resources = s.Resource !== undefined || s.NotResource !== undefined ? [...strings(s.Resource), ...strings(s.NotResource).map((r) => `not ${r}`)] : ['-'];
    const who = [
      ...(s.Principal !== undefined ? principals(s.Principal) : []),
      ...(s.NotPrincipal !== undefined ? principals(s.NotPrincipal).map((p) => `not ${p}`) : []),
    ];
    if (who.length === 0) who.push('-'); // an identity policy: the principal is whoever holds it
    const condition = stable(s.Condition ?? null);
    for (const action of actions) {
      for (const resource of resources) {
        for (const principal of who) {
          const key = [effect, action, resource, principal, condition].join('|');
          grants.set(key, { key, action: `${effect === 'Deny' ? 'deny ' : ''}${action}`, resource, principal });
        }
      }
    }
  }
  return grants;
}

/**
 * How `after` widens `before`: `widening` in words, absent when it does not widen; `known` is
 * false when either document cannot be read (e.g. a value known only after apply).
 */
function policyWidening(before: unknown, after: unknown): { known: false } | { known: true; widening?: string } {
  const b = before === undefined ? new Map<string, Grant>() : grantsOf(before);
  const a = grantsOf(after);
  if (!a || !b) return { known: false };
  const added = [...a.values()].filter((g) => !b.has(g.key) && !g.key.startsWith('Deny|'));
  const removedDenies = [...b.values()].filter((g) => !a.has(g.key) && g.key.startsWith('Deny|'));
  if (added.length === 0 && removedDenies.length === 0) return { known: true };
  const had = (pick: (g: Grant) => string, value: string) => [...b.values()].some((g) => !g.key.startsWith('Deny|') && pick(g) === value);
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  const newActions = uniq(added.map((g) => g.action).filter((x) => !had((g) => g.action, x)));
  const newResources = uniq(added.map((g) => g.resource).filter((x) => x !== '-' && !had((g) => g.resource, x)));
  const newPrincipals = uniq(added.map((g) => g.principal).filter((x) => x !== '-' && !had((g) => g.principal, x)));
  const parts: string[] = [];
  if (newActions.length) parts.push(`adds actions ${list(newActions)}`);
  if (newResources.length) parts.push(`adds resources ${list(newResources)}`);
  if (newPrincipals.length) parts.push(`lets ${list(newPrincipals)} assume or use it`);
  if (removedDenies.length) parts.push(`removes a Deny on ${list(uniq(removedDenies.map((g) => g.action.replace(/^deny /, ''))))}`);
  if (parts.length === 0) parts.push(`changes the conditions or targets of existing grants (${added.length} grant(s) not in the current policy)`);
  return { known: true, widening: parts.join('; ') };
}

function isIamMember(type: string): boolean {
  return /^google_[a-z0-9_]+_iam_(member|binding)$/.test(type);
}

function iamRisks(change: ResourceChange, values: ResourceValues | undefined): Risk[] {
  const { type, action, address } = change;
  if (action === 'delete') return [];
  const risks: Risk[] = [];
  const warn = (reason: string) => risks.push({ level: 'warning', address, reason });

  const policyAttribute = POLICY_ATTRIBUTES[type];
  if (policyAttribute && (action === 'create' || action === 'replace' || change.paths.some((p) => p === policyAttribute || p.startsWith(`${policyAttribute}.`)))) {
    const before = action === 'create' ? undefined : values?.before?.[policyAttribute];
    const after = values?.after?.[policyAttribute];
    const result = values ? policyWidening(before, after) : { known: false as const };
    const subject = type === 'aws_iam_role' ? 'trust policy' : policyAttribute.replace(/_/g, ' ');
    if (!result.known) warn(`${VERB[action]} an IAM ${subject} whose content is not known before apply: check that it does not widen access`);
    else if (result.widening !== undefined) warn(`IAM ${subject} widens: ${result.widening}`);
  }
  if (type === 'aws_iam_role' && action === 'create') warn('creates an IAM role: a new identity that can be assumed');
  if (type === 'aws_iam_role' && change.paths.includes('permissions_boundary') && !values?.after?.permissions_boundary) {
    warn('removes the IAM role permissions boundary: the role is no longer capped by it');
  }
  if (type === 'aws_iam_role_policy_attachment' && action !== 'update') {
    const arn = values?.after?.policy_arn;
    warn(`attaches a managed policy${typeof arn === 'string' ? ` (${arn})` : ''} to a role`);
  }
  if (isIamMember(type)) {
    const a = values?.after;
    const b = values?.before;
    const same = action === 'replace' && a && b && stable([a.role, a.member, a.members, a.condition]) === stable([b.role, b.member, b.members, b.condition]);
    if (!same && (action !== 'update' || change.paths.some((p) => /^(role|members?|condition)(\.|$)/.test(p)))) {
      const grant = a ? ` ${String(a.role ?? '?')} to ${strings(a.member ?? a.members).join(', ') || '?'}` : '';
      const condition = a?.condition ? ' (with a condition)' : '';
      warn(`${action === 'create' ? 'adds' : 'changes'} an IAM grant${grant}${condition}`);
    }
  }
  if (type === 'google_project_iam_custom_role' && (action !== 'update' || change.paths.some((p) => p.startsWith('permissions')))) {
    const after = strings(values?.after?.permissions);
    const before = new Set(action === 'create' ? [] : strings(values?.before?.permissions));
    const added = after.filter((p) => !before.has(p)).sort();
    if (!values) warn(`${VERB[action]} a custom IAM role: check its permissions`);
    else if (added.length > 0) warn(`${action === 'create' ? 'creates a custom IAM role with' : 'custom IAM role gains'} permissions ${list(added)}`);
  }
  return risks;
}

const LEVEL_ORDER: Readonly<Record<Risk['level'], number>> = { blocking: 0, warning: 1 };

/** Blocking first, then warnings; each by address, then reason. */
export function sortRisks(risks: readonly Risk[]): Risk[] {
  // Code-point order, not localeCompare: the output must not depend on the machine's locale.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...risks].sort((x, y) => LEVEL_ORDER[x.level] - LEVEL_ORDER[y.level] || cmp(x.address, y.address) || cmp(x.reason, y.reason));
}

export function assessRisks(changes: readonly ResourceChange[], context: RiskContext = {}): Risk[] {
  const risks: Risk[] = [];
  for (const change of changes) {
    const values = context.values?.(change.address);
    for (const risk of [dataRisk(change), trafficRisk(change), networkRisk(change, values), ...iamRisks(change, values)]) {
      if (risk) risks.push(risk);
    }
  }
  return sortRisks(risks);
}

/** Whether replacing or deleting a resource of this type loses data (`fleet review` calls these protected). */
export function isProtectedType(type: string): boolean {
  return type in DATA_HOLDING;
}
