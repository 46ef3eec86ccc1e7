import { Testing, TerraformStack } from 'cdktf';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcpCollectorLoadBalancer } from '../../../constructs/gcp/collector-load-balancer';
import { GcpVmService } from '../../../constructs/gcp/vm-service';
import { statePrefix } from '../../../stacks/gcp-stack';
import { gcpSpec, NOW, Synth, synthStack } from './gcp-support';

/** The examples, synthesized once for every test in this file. */
const prod = Synth.of(gcpSpec());
const staging = Synth.of(gcpSpec('helios-media-staging.json'));
const parsed = JSON.parse(prod.json);

const isCollector = (r: Record<string, any>) => String(r.name).startsWith('helios-media-prod-collector');

describe('GCP collector: TLS at a global HTTPS load balancer', () => {
  test('the HTTPS proxy serves the managed certificate and the rotation certificate under a MODERN, TLS 1.2 policy', () => {
    expect(prod.json).toHaveResourceWithProperties(ComputeManagedSslCertificate, {
      managed: { domains: ['collector.helios-media.com'] },
      lifecycle: { create_before_destroy: true },
    });
    expect(prod.json).toHaveResourceWithProperties(ComputeSslPolicy, { profile: 'MODERN', min_tls_version: 'TLS_1_2' });
    const proxy = prod.one('google_compute_target_https_proxy', () => true);
    expect(proxy.ssl_certificates).toEqual([
      prod.ref('google_compute_managed_ssl_certificate', () => true),
      'projects/helios-media-pipeline-prod/global/sslCertificates/collector-helios-media-2026',
    ]);
    expect(proxy.ssl_policy).toBe(prod.ref('google_compute_ssl_policy', () => true));
    expect(proxy.url_map).toBe(prod.ref('google_compute_url_map', (r) => r.default_service !== undefined));
  });

  test('an existing certificate is referenced by path and no managed certificate is made', () => {
    expect(staging.all('google_compute_managed_ssl_certificate')).toEqual([]);
    expect(staging.one('google_compute_target_https_proxy', () => true).ssl_certificates).toEqual([
      'projects/helios-media-pipeline-stg/global/sslCertificates/collector-staging-helios-media-2026',
    ]);
  });

  test('RESTRICTED is accepted as a profile; the minimum stays TLS 1.2', () => {
    const restricted = Synth.of(gcpSpec('helios-media-staging.json', (raw) => (raw.collector.ssl.profile = 'RESTRICTED')));
    expect(restricted.one('google_compute_ssl_policy', () => true)).toMatchObject({ profile: 'RESTRICTED', min_tls_version: 'TLS_1_2' });
  });

  test('plain HTTP only redirects to HTTPS with a 301, on the same global address as HTTPS', () => {
    const redirect = prod.one('google_compute_url_map', (r) => r.default_url_redirect !== undefined);
    expect(redirect.default_url_redirect).toEqual({ https_redirect: true, redirect_response_code: 'MOVED_PERMANENTLY_DEFAULT', strip_query: false });
    expect(redirect.default_service).toBeUndefined();
    const httpProxy = prod.one('google_compute_target_http_proxy', () => true);
    expect(httpProxy.url_map).toBe(prod.ref('google_compute_url_map', (r) => r.default_url_redirect !== undefined));
    const rules = prod.all('google_compute_global_forwarding_rule');
    expect(rules.map((r) => r.port_range).sort()).toEqual(['443', '80']);
    const address = prod.ref('google_compute_global_address', () => true, 'address');
    for (const r of rules) expect(r).toMatchObject({ ip_address: address, load_balancing_scheme: 'EXTERNAL_MANAGED' });
    expect(rules.find((r) => r.port_range === '80')!.target).toBe(prod.ref('google_compute_target_http_proxy', () => true));
  });

  test('the backend service checks /health on the group named port and forwards to the collector group', () => {
    const backend = prod.one('google_compute_backend_service', () => true);
    expect(backend).toMatchObject({ protocol: 'HTTP', port_name: 'http', load_balancing_scheme: 'EXTERNAL_MANAGED' });
    expect(backend.backend[0].group).toBe(prod.ref('google_compute_region_instance_group_manager', isCollector, 'instance_group'));
    const [check] = backend.health_checks;
    expect(check).toBe(prod.ref('google_compute_health_check', (r) => r.name.endsWith('lb-health') && isCollector(r)));
    expect(prod.one('google_compute_health_check', (r) => r.name === 'helios-media-prod-collector-lb-health').http_health_check).toMatchObject({
      request_path: '/health',
      port_name: 'http',
    });
  });

  test('the firewall admits only Google health-check and load-balancer ranges, on the app port, to the collector only', () => {
    const fw = prod.one('google_compute_firewall', (r) => r.name === 'helios-media-prod-collector-allow-gfe');
    expect(fw).toMatchObject({
      project: 'helios-network-host',
      network: 'projects/helios-network-host/global/networks/helios-shared',
      direction: 'INGRESS',
      source_ranges: ['130.211.0.0/22', '35.191.0.0/16'],
      allow: [{ protocol: 'tcp', ports: ['8080'] }],
      target_service_accounts: [prod.ref('google_service_account', (r) => r.account_id === 'helios-media-prod-collector', 'email')],
    });
    for (const rule of prod.all('google_compute_firewall')) {
      expect(rule.source_ranges ?? []).not.toContain('0.0.0.0/0');
      expect(rule.target_service_accounts).toBeDefined();
    }
  });

  test('the group heals on /health and replaces instances proactively; the template is shielded, private and pinned', () => {
    const group = prod.one('google_compute_region_instance_group_manager', isCollector);
    expect(group.update_policy).toMatchObject({ type: 'PROACTIVE', minimal_action: 'REPLACE', max_unavailable_fixed: 0 });
    expect(group.named_port).toEqual([{ name: 'http', port: 8080 }]);
    expect(group.auto_healing_policies.health_check).toBe(prod.ref('google_compute_health_check', (r) => r.name === 'helios-media-prod-collector-autoheal'));
    expect(group.version[0].instance_template).toBe(prod.ref('google_compute_instance_template', (r) => r.labels?.component === 'collector', 'self_link_unique'));
    const template = prod.one('google_compute_instance_template', (r) => r.labels?.component === 'collector');
    expect(template.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true });
    expect(template.network_interface).toEqual([
      {
        network: 'projects/helios-network-host/global/networks/helios-shared',
        subnetwork: 'projects/helios-network-host/regions/europe-west1/subnetworks/pipeline-prod-ew1',
        subnetwork_project: 'helios-network-host',
      },
    ]);
    expect(template.disk[0].source_image).toBe('projects/cos-cloud/global/images/family/cos-stable');
    expect(template.service_account.email).toBe(prod.ref('google_service_account', (r) => r.account_id === 'helios-media-prod-collector', 'email'));
    expect(template.metadata['startup-script']).toContain("'snowplow/scala-stream-collector-pubsub:3.3.0'");
    expect(template.metadata['block-project-ssh-keys']).toBe('TRUE');
    expect(prod.one('google_compute_region_autoscaler', isCollector).autoscaling_policy).toMatchObject({ min_replicas: 2, max_replicas: 8 });
  });

  test('props are validated up front with the bad value and the fix', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const base = { namePrefix: 'x-prod', projectId: 'x-project', domain: 'c.example.com', instanceGroup: 'ig' };
    expect(() => new GcpCollectorLoadBalancer(stack, 'a', base)).toThrow(/no certificate; set managedCertificate or give certificateIds/);
    expect(() => new GcpCollectorLoadBalancer(stack, 'b', { ...base, managedCertificate: true, sslProfile: 'COMPATIBLE' as never })).toThrow(/"COMPATIBLE" is not one of MODERN, RESTRICTED/);
    const network = { project: 'p', network: 'projects/p/global/networks/n', subnetwork: 'projects/p/regions/europe-west1/subnetworks/s' };
    expect(
      () =>
        new GcpVmService(stack, 'c', {
          component: 'enrich',
          namePrefix: 'x-prod',
          projectId: 'x-project',
          region: 'europe-west1',
          network,
          sizing: { machineType: 'e2-small', minSize: 3, maxSize: 2 },
          launch: { service: 'enrich', contract: 'test', files: [], bootValues: [], setup: [], containers: [{ name: 'enrich', image: 'i:1', args: [] }], ports: [] },
        }),
    ).toThrow(/maxSize 2 is below minSize 3; raise maxSize/);
  });
});

const sa = (component: string) => prod.member(`helios-media-prod-${component}`);
const topic = (name: string) => prod.ref('google_pubsub_topic', (r) => r.name === `helios-media-prod-${name}`);
const subscription = (name: string) => prod.ref('google_pubsub_subscription', (r) => r.name === `helios-media-prod-${name}`);
const dataset = prod.ref('google_bigquery_dataset', () => true, 'dataset_id');
const target = (b: Record<string, any>) => b.topic ?? b.subscription ?? b.dataset_id ?? b.secret_id ?? b.bucket ?? b.project;
const roleOn = (member: string) => prod.bindingsOf(member).map((b) => `${b.role} ${target(b)}`);

describe('IAM scoping on GCP', () => {
  test('the collector may publish to the raw and bad topics and nothing else', () => {
    const publishes = prod.bindingsOf(sa('collector')).filter((b) => b.role === 'roles/pubsub.publisher');
    expect(publishes.map(target).sort()).toEqual([topic('bad'), topic('raw')].sort());
    expect(prod.bindingsOf(sa('collector')).every((b) => b.type === 'google_project_iam_member' || b.type === 'google_pubsub_topic_iam_member')).toBe(true);
  });

  test('the collector has no binding on the enriched topic or subscription, the dataset or any secret', () => {
    const targets = prod.bindingsOf(sa('collector')).map(target);
    expect(targets).not.toContain(topic('enriched'));
    expect(targets).not.toContain(subscription('enriched-bigquery-loader'));
    expect(targets).not.toContain(dataset);
    expect(prod.bindingsOf(sa('collector')).filter((b) => b.type.startsWith('google_bigquery') || b.type.startsWith('google_secret'))).toEqual([]);
  });

  test('enrich consumes its own raw subscription and publishes to enriched and bad', () => {
    expect(roleOn(sa('enrich'))).toEqual(
      expect.arrayContaining([
        `roles/pubsub.subscriber ${subscription('raw-enrich')}`,
        `roles/pubsub.publisher ${topic('enriched')}`,
        `roles/pubsub.publisher ${topic('bad')}`,
      ]),
    );
    expect(roleOn(sa('enrich'))).not.toContain(`roles/pubsub.publisher ${topic('raw')}`);
    expect(prod.bindingsOf(sa('enrich')).filter((b) => b.role === 'roles/pubsub.subscriber').map(target)).toEqual([subscription('raw-enrich')]);
  });

  test('the BigQuery loader edits its dataset only, and writes dead letters to its own bucket only', () => {
    const loader = sa('big');
    const datasetBindings = prod.all('google_bigquery_dataset_iam_member').filter((b) => b.role === 'roles/bigquery.dataEditor');
    expect(datasetBindings).toEqual([expect.objectContaining({ member: loader, dataset_id: dataset })]);
    expect(prod.bindingsOf(loader).filter((b) => b.type === 'google_storage_bucket_iam_member')).toEqual([
      expect.objectContaining({ role: 'roles/storage.objectCreator', bucket: prod.ref('google_storage_bucket', () => true, 'name') }),
    ]);
    expect(prod.bindingsOf(loader).filter((b) => b.role.startsWith('roles/bigquery')).map((b) => b.type)).toEqual(['google_bigquery_dataset_iam_member']);
  });

  test('apps hold no project-level role beyond writing logs and metrics', () => {
    for (const component of ['collector', 'enrich', 'big', 'iglu-server']) {
      const projectRoles = prod.bindingsOf(sa(component)).filter((b) => b.type === 'google_project_iam_member').map((b) => b.role);
      expect(projectRoles.sort()).toEqual(['roles/logging.logWriter', 'roles/monitoring.metricWriter']);
    }
  });

  test('only the component that names a secret may read it', () => {
    const readers = prod.all('google_secret_manager_secret_iam_member').filter((b) => b.role === 'roles/secretmanager.secretAccessor');
    expect(new Set(readers.map((b) => b.member))).toEqual(new Set([sa('iglu-server')]));
    expect(readers).toHaveLength(2);
    expect(prod.all('google_secret_manager_secret_version')).toEqual([]);
    for (const secret of prod.all('google_secret_manager_secret')) expect(secret.replication).toEqual({ user_managed: { replicas: [{ location: 'europe-west1' }] } });
  });

  test('operators watch and operate but get no data: no subscriber, dataViewer or secretAccessor role, no basic role', () => {
    const operator = 'group:fleet-operators@fleet.example';
    const roles = prod.bindingsOf(operator).map((b) => b.role);
    expect(roles).toEqual(expect.arrayContaining(['roles/monitoring.viewer', 'roles/logging.viewer', 'roles/pubsub.viewer', 'roles/secretmanager.secretVersionAdder', 'roles/bigquery.metadataViewer']));
    for (const forbidden of ['roles/pubsub.subscriber', 'roles/bigquery.dataViewer', 'roles/secretmanager.secretAccessor', 'roles/owner', 'roles/editor', 'roles/viewer']) {
      expect(roles).not.toContain(forbidden);
    }
    const roll = prod.bindingsOf(operator).find((b) => b.role === prod.ref('google_project_iam_custom_role', (r) => r.role_id === 'fleet_helios_media_prod_operator', 'name'));
    expect(roll?.condition.expression).toBe('resource.name.startsWith("projects/helios-media-pipeline-prod/regions/europe-west1/instanceGroupManagers/helios-media-prod-")');
  });

  test('customer roles bind predefined or custom roles on the named resources only', () => {
    expect(roleOn('group:analytics@helios-media.com').sort()).toEqual([`roles/bigquery.dataViewer ${dataset}`, 'roles/bigquery.jobUser helios-media-pipeline-prod']);
    const custom = prod.ref('google_project_iam_custom_role', (r) => r.role_id === 'helios_media_prod_pipeline_watchers', 'name');
    expect(roleOn('group:platform@helios-media.com').sort()).toEqual([topic('bad'), topic('enriched'), topic('raw')].map((t) => `${custom} ${t}`).sort());
  });

  test('the Iglu Server admits only the apps that resolve schemas', () => {
    const fw = prod.one('google_compute_firewall', (r) => r.name === 'helios-media-prod-iglu-allow-clients');
    const email = (prefix: string) => prod.ref('google_service_account', (r) => String(r.account_id).startsWith(prefix), 'email');
    expect(fw.source_service_accounts.sort()).toEqual([email('helios-media-prod-big'), email('helios-media-prod-enrich')].sort());
    expect(fw.target_service_accounts).toEqual([email('helios-media-prod-iglu-server')]);
    expect(prod.one('google_sql_database_instance', () => true).settings.ip_configuration).toMatchObject({ ipv4_enabled: false, ssl_mode: 'ENCRYPTED_ONLY' });
  });
});

describe('GCP PipelineStack', () => {
  test('state lives in the customer GCS bucket under <prefix>/<customer>/<environment>, read as the deploy service account', () => {
    expect(parsed.terraform.backend).toEqual({
      gcs: {
        bucket: 'fleet-tfstate-helios-media',
        prefix: 'pipelines/helios-media/prod',
        impersonate_service_account: 'fleet-deploy@helios-media-pipeline-prod.iam.gserviceaccount.com',
      },
    });
    expect(statePrefix(gcpSpec('helios-media-staging.json'))).toBe('helios-media/staging');
  });

  test('the google provider impersonates the deploy service account and labels customer, environment and managed-by', () => {
    expect(prod.json).toHaveProviderWithProperties(GoogleProvider, {
      project: 'helios-media-pipeline-prod',
      region: 'europe-west1',
      impersonate_service_account: 'fleet-deploy@helios-media-pipeline-prod.iam.gserviceaccount.com',
      default_labels: { customer: 'helios-media', environment: 'prod', 'managed-by': 'pipeline-fleet' },
    });
  });

  test('every labelled resource carries its component; notification channels keep their email label only', () => {
    const labelled = Object.entries(prod.resource).flatMap(([type, rs]) => Object.values(rs).filter((r) => r.labels !== undefined).map((r): Record<string, any> => ({ ...r, tfType: type })));
    expect(labelled.length).toBeGreaterThan(20);
    for (const r of labelled.filter((x) => x.tfType !== 'google_monitoring_notification_channel')) {
      expect([r.tfType, r.labels.component]).toEqual([r.tfType, expect.stringMatching(/^(collector|enrich|bigquery-loader|iglu-server|pipeline)$/)]);
    }
    for (const channel of prod.all('google_monitoring_notification_channel')) expect(Object.keys(channel.labels)).toEqual(['email_address']);
    expect(prod.one('google_bigquery_dataset', () => true).labels).toEqual({ component: 'bigquery-loader' });
    expect(prod.all('google_pubsub_topic').map((t) => t.labels.component)).toEqual(['pipeline', 'pipeline', 'pipeline', 'pipeline', 'pipeline']);
    // Network tags are a Google "tags" argument too: the label aspect must leave them alone.
    for (const t of prod.all('google_compute_instance_template')) expect(t.tags).toBeUndefined();
  });

  test('alerts go to one email channel per contact: 5xx ratio, backend health, certificate, backlog age per subscription, group size per app', () => {
    const channels = prod.all('google_monitoring_notification_channel').map((c) => c.labels.email_address);
    expect(channels).toEqual(['data-platform@helios-media.com', 'oncall@helios-media.com']);
    const names = prod.all('google_monitoring_alert_policy').map((p) => p.display_name.replace('helios-media-prod ', ''));
    expect(names.sort()).toEqual(
      [
        'collector-5xx-ratio',
        'collector-backend-health',
        'collector-certificate-expiry',
        'raw-enrich-backlog-age',
        'enriched-bigquery-loader-backlog-age',
        'bq-types-mutator-backlog-age',
        'bq-failed-inserts-repeater-backlog-age',
        'collector-group-size',
        'enrich-group-size',
        'bigquery-loader-group-size',
        'iglu-server-group-size',
        'iglu-server-unhealthy',
      ].sort(),
    );
    const ratio = prod.one('google_monitoring_alert_policy', (p) => p.display_name.endsWith('collector-5xx-ratio')).conditions[0].condition_threshold;
    expect(ratio.threshold_value).toBe(0.02);
    expect(ratio.filter).toContain('metric.label.response_code_class = 500');
    expect(ratio.denominator_filter).toContain('resource.label.url_map_name = "helios-media-prod-collector-https"');
    const age = prod.one('google_monitoring_alert_policy', (p) => p.display_name.endsWith('raw-enrich-backlog-age')).conditions[0].condition_threshold;
    expect(age).toMatchObject({ threshold_value: 300, comparison: 'COMPARISON_GT' });
    expect(age.filter).toContain('pubsub.googleapis.com/subscription/oldest_unacked_message_age');
    for (const p of prod.all('google_monitoring_alert_policy')) expect(p.notification_channels).toHaveLength(2);
  });

  test('an Iglu Server failing its load balancer health check alerts, from the health check probe log', () => {
    const healthCheck = prod.one('google_compute_health_check', (h) => String(h.name).endsWith('iglu-lb-health'));
    expect(healthCheck.log_config).toEqual({ enable: true });
    const policy = prod.one('google_monitoring_alert_policy', (p) => p.display_name.endsWith('iglu-server-unhealthy'));
    const filter = policy.conditions[0].condition_matched_log.filter;
    expect(filter).toContain('logName = "projects/helios-media-pipeline-prod/logs/compute.googleapis.com%2Fhealthchecks"');
    expect(filter).toContain('jsonPayload.healthCheckProbeResult.healthState = "UNHEALTHY"');
    const group = prod.one('google_compute_region_instance_group_manager', (g) => g.labels?.component === 'iglu-server' || String(g.name).includes('iglu'));
    expect(filter).toContain(`resource.labels.instance_group_name = "${group.name}"`);
    expect(policy.alert_strategy.notification_rate_limit).toEqual({ period: '1800s' });
  });

  test('egress the apps need is allowed explicitly, and the network prerequisites are an output', () => {
    const https = prod.one('google_compute_firewall', (f) => f.direction === 'EGRESS' && String(f.name).endsWith('allow-https-egress'));
    expect(https).toMatchObject({ destination_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['443'] }] });
    expect(https.target_service_accounts).toHaveLength(prod.all('google_service_account').filter((a) => !String(a.account_id).startsWith('grant-')).length);
    const db = prod.one('google_compute_firewall', (f) => f.direction === 'EGRESS' && String(f.name).endsWith('iglu-db-egress'));
    expect(db.destination_ranges).toEqual([expect.stringMatching(/^\$\{google_sql_database_instance\..+\.private_ip_address\}\/32$/)]);
    expect(db.allow).toEqual([{ protocol: 'tcp', ports: ['5432'] }]);
    const outputs = JSON.parse(prod.json).output as Record<string, { value: any }>;
    const prereq = Object.entries(outputs).find(([k]) => k.includes('network-prerequisites'))![1].value;
    expect(prereq.enabledApis).toEqual(expect.arrayContaining(['pubsub.googleapis.com', 'sqladmin.googleapis.com', 'servicenetworking.googleapis.com', 'iamcredentials.googleapis.com']));
    expect(prereq).toMatchObject({ privateGoogleAccess: true, privateServicesAccess: true });
    expect(prereq.internetHostsOn443ThroughCloudNat).toEqual(expect.arrayContaining(['registry-1.docker.io', 'iglucentral.com']));
  });

  test('synthesis is deterministic: two synths are byte-identical and hold no absolute path or timestamp', () => {
    const again = synthStack(gcpSpec(), NOW);
    expect(again).toBe(prod.json);
    expect(prod.json).not.toMatch(/\/work\/|\/tmp\/|\/home\//);
    // The only instants are grant expiries, inside IAM conditions.
    expect(prod.json.replace(/timestamp\(\\"[^"\\]+\\"\)/g, '')).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  test('secret values never reach the synthesized output; only secret ids do', () => {
    expect(prod.all('google_secret_manager_secret_version')).toEqual([]);
    const script = prod.one('google_compute_instance_template', (t) => t.labels.component === 'iglu-server').metadata['startup-script'];
    expect(script).toContain("read_secret 'helios-media-prod-iglu-server-iglu-db-password'");
    // The config holds a placeholder the boot fills from tmpfs; shell syntax is escaped for Terraform; the database address is a real reference.
    expect(script).toContain('"password": "@@BOOT_IGLU_DB_PASSWORD@@"');
    expect(script).toContain('ROOT="$${PIPELINE_ROOT:-}"');
    expect(script).toMatch(/printf '%s' '\$\{google_sql_database_instance\.[\w-]+\.private_ip_address\}'/);
  });
});
