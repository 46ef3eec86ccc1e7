import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset';
import { LoggingLogView } from '@cdktf/provider-google/lib/logging-log-view';
import { GCP_RESOURCE_ALIASES, parseNetworkRef, stackId, type GcpCustomerSpec } from '../../customers/schema';
import { activeGrants } from '../access-grants';
import { physicalName } from '../naming';
import { GcpAccessGrant } from './access-grant';
import { GcpAlerting } from './alerting';
import { BIGQUERY_LOADER_CONTRACTS } from '../apps/components/bigquery-loader';
import { COLLECTOR_CONTRACTS } from '../apps/components/collector';
import { ENRICH_CONTRACTS } from '../apps/components/enrich';
import type { ConfigObject } from '../apps/contract';
import { compressionOf } from '../apps/compression';
import { launch } from '../apps/launch';
import { isBigqueryLoader1x } from './app-config';
import { GcpCollectorLoadBalancer } from './collector-load-balancer';
import { GcpCustomerRole } from './customer-role';
import { grantRole, type IamTarget } from './iam';
import { GcpIgluServer, IGLU_DB_PASSWORD_SECRET } from './iglu-server';
import { GcpNetworkPrerequisites } from './network-prerequisites';
import { GcpOperatorAccess } from './operator-access';
import { PrivateBucket } from './private-bucket';
import { PipelineTopics } from './pubsub';
import { GcpPipelineSecrets } from './secrets';
import { GcpVmService, type GcpNetwork } from './vm-service';

export interface GcpPipelineProps {
  readonly spec: GcpCustomerSpec;
  /** "Now", from the one injectable clock: decides which access grants still exist. */
  readonly now: Date;
}

const COLLECTOR_PORT = 8080;

/** Network and subnetwork as projects/... paths in the project that owns them (the shared VPC host when there is one). */
export function resolveNetwork(spec: GcpCustomerSpec): GcpNetwork {
  const project = spec.gcp.networkProjectId ?? spec.gcp.projectId;
  const network = parseNetworkRef(spec.network.network);
  const subnetwork = parseNetworkRef(spec.network.subnetwork);
  if (!network || !subnetwork) {
    throw new Error(`GcpPipeline ${stackId(spec)}: network "${spec.network.network}" or subnetwork "${spec.network.subnetwork}" is neither a name nor a projects/... path`);
  }
  return {
    project,
    network: `projects/${project}/global/networks/${network.name}`,
    subnetwork: `projects/${project}/regions/${spec.gcp.region}/subnetworks/${subnetwork.name}`,
  };
}

/**
 * A customer's whole GCP pipeline: collector behind a global HTTPS load balancer -> raw topic ->
 * enrich -> enriched and bad topics -> BigQuery loader into the customer's dataset, with an
 * optional Iglu Server; one service account per app with bindings on the exact topics,
 * subscriptions, dataset, bucket and secrets it uses, operator and customer roles, time-bound
 * access grants, and alert policies emailed to the nominated contacts.
 */
export class GcpPipeline extends Construct {
  public readonly collectorUrl: string;

  constructor(scope: Construct, id: string, props: GcpPipelineProps) {
    super(scope, id);
    const { spec } = props;
    const { projectId, region } = spec.gcp;
    const prefix = stackId(spec);
    const prod = spec.environment === 'prod';
    const network = resolveNetwork(spec);
    const c = spec.components;
    const compression = compressionOf(spec);
    const loaderSpec = c['bigquery-loader'];
    const loaderV1 = isBigqueryLoader1x(loaderSpec.version);
    const igluSpec = c['iglu-server'];
    const vmDefaults = { namePrefix: prefix, projectId, region, network };
    const place = { cloud: 'gcp', projectId } as const;
    const secretIds = (component: string) => Object.fromEntries(secrets.forComponent(component).map((s) => [s.name, s.secretId]));
    const topicTarget = (t: string): IamTarget => ({ kind: 'topic', topic: topics.topic(t).id });

    // Shared: topics and secrets.
    const shared = new Construct(this, 'shared');
    const topics = new PipelineTopics(shared, 'topics', {
      namePrefix: prefix,
      projectId,
      region,
      topics: ['raw', 'enriched', 'bad', ...(loaderV1 ? ['bq-types', 'bq-failed-inserts'] : [])],
      // Nothing reads bad rows continuously: the topic keeps a week so an investigation can seek back.
      retainedTopics: { bad: '604800s' },
    });
    const secrets = new GcpPipelineSecrets(shared, 'secrets', {
      namePrefix: prefix,
      projectId,
      region,
      deletionProtection: prod,
      secrets: [
        ...c.collector.secrets.map((name) => ({ name, component: 'collector' })),
        ...c.enrich.secrets.map((name) => ({ name, component: 'enrich' })),
        ...loaderSpec.secrets.map((name) => ({ name, component: 'bigquery-loader' })),
        ...(igluSpec ? [...igluSpec.secrets, IGLU_DB_PASSWORD_SECRET].map((name) => ({ name, component: 'iglu-server' })) : []),
      ],
    });

    // Collector
    const collectorScope = new Construct(this, 'collector');
    const collector = new GcpVmService(collectorScope, 'service', {
      ...vmDefaults,
      component: 'collector',
      sizing: c.collector.sizing,
      launch: launch(COLLECTOR_CONTRACTS, place, 'collector', c.collector, {
        good: topics.topicName('raw'),
        bad: topics.topicName('bad'),
        port: COLLECTOR_PORT,
        cookieDomain: spec.collector.domain,
        compression: compression.raw,
      }),
      secretIds: secretIds('collector'),
      health: { port: COLLECTOR_PORT, path: '/health' },
    });
    secrets.grantRead(collector, 'collector', collector.member);
    for (const t of ['raw', 'bad']) {
      grantRole(collector, `${t}-publisher`, topicTarget(t), 'roles/pubsub.publisher', collector.member);
      // The collector checks at start-up that its topics exist.
      grantRole(collector, `${t}-viewer`, topicTarget(t), 'roles/pubsub.viewer', collector.member);
    }
    const ssl = spec.collector.ssl;
    const lb = new GcpCollectorLoadBalancer(collectorScope, 'load-balancer', {
      namePrefix: prefix,
      projectId,
      domain: spec.collector.domain,
      managedCertificate: ssl.certificate === 'managed',
      certificateIds: [...(ssl.certificate === 'existing' ? [ssl.certificateId] : []), ...ssl.additionalCertificateIds],
      sslProfile: ssl.profile,
      instanceGroup: collector.group.instanceGroup,
      port: COLLECTOR_PORT,
    });

    // Iglu Server first: the other apps resolve schemas from it.
    const iglu = igluSpec
      ? new GcpIgluServer(new Construct(this, 'iglu-server'), 'server', {
          ...vmDefaults,
          version: igluSpec.version,
          sizing: igluSpec.sizing,
          secrets: secrets.forComponent('iglu-server'),
          databaseTier: igluSpec.database.tier,
          databaseDiskSizeGb: igluSpec.database.diskSizeGb,
          production: prod,
        })
      : undefined;
    if (iglu) secrets.grantRead(iglu.service, 'iglu-server', iglu.service.member);
    const igluBoot = iglu ? { igluUrl: iglu.apiUrl } : undefined;

    // Enrich
    const enrichScope = new Construct(this, 'enrich');
    const rawSubscription = topics.subscribe(enrichScope, 'raw-subscription', 'raw', 'enrich');
    const enrich = new GcpVmService(enrichScope, 'service', {
      ...vmDefaults,
      component: 'enrich',
      sizing: c.enrich.sizing,
      launch: launch(ENRICH_CONTRACTS, place, 'enrich', c.enrich, {
        input: topics.subscriptionName('raw', 'enrich'),
        good: topics.topicName('enriched'),
        bad: topics.topicName('bad'),
        igluServer: iglu !== undefined,
        enrichments: (c.enrich as { enrichments?: Readonly<Record<string, ConfigObject>> }).enrichments,
        compression: compression.enriched,
      }),
      secretIds: secretIds('enrich'),
      boot: igluBoot,
    });
    secrets.grantRead(enrich, 'enrich', enrich.member);
    const consume = (service: GcpVmService, id: string, subscription: string) => {
      grantRole(service, `${id}-subscriber`, { kind: 'subscription', subscription }, 'roles/pubsub.subscriber', service.member);
      grantRole(service, `${id}-viewer`, { kind: 'subscription', subscription }, 'roles/pubsub.viewer', service.member);
    };
    consume(enrich, 'raw', rawSubscription.id);
    for (const t of ['enriched', 'bad']) {
      grantRole(enrich, `${t}-publisher`, topicTarget(t), 'roles/pubsub.publisher', enrich.member);
      grantRole(enrich, `${t}-viewer`, topicTarget(t), 'roles/pubsub.viewer', enrich.member);
    }

    // BigQuery loader and the dataset it writes to.
    const loaderScope = new Construct(this, 'bigquery-loader');
    const datasetLocation = loaderSpec.dataset.location ?? region;
    const dataset = new BigqueryDataset(loaderScope, 'dataset', {
      project: projectId,
      datasetId: loaderSpec.dataset.datasetId,
      location: datasetLocation,
      description: `Snowplow events of ${spec.name} (${spec.environment}), loaded by the BigQuery loader`,
      // A destroy must never take the events with it.
      deleteContentsOnDestroy: false,
    });
    const datasetTarget = { kind: 'dataset', project: projectId, datasetId: dataset.datasetId } as const;
    const enrichedSubscription = topics.subscribe(loaderScope, 'enriched-subscription', 'enriched', 'bigquery-loader');
    const pipelineSubscriptions = [
      { name: topics.subscriptionName('raw', 'enrich'), id: rawSubscription.id, consumer: 'enrich' },
      { name: topics.subscriptionName('enriched', 'bigquery-loader'), id: enrichedSubscription.id, consumer: 'bigquery-loader' },
    ];
    const loaderWiring = {
      subscription: topics.subscriptionName('enriched', 'bigquery-loader'),
      bad: topics.topicName('bad'),
      datasetId: loaderSpec.dataset.datasetId,
      tableId: loaderSpec.dataset.tableId,
      igluServer: iglu !== undefined,
    };
    let loader: GcpVmService;
    if (loaderV1) {
      const typesSubscription = topics.subscribe(loaderScope, 'types-subscription', 'bq-types', 'mutator');
      const failedSubscription = topics.subscribe(loaderScope, 'failed-inserts-subscription', 'bq-failed-inserts', 'repeater');
      pipelineSubscriptions.push(
        { name: topics.subscriptionName('bq-types', 'mutator'), id: typesSubscription.id, consumer: 'bigquery-loader' },
        { name: topics.subscriptionName('bq-failed-inserts', 'repeater'), id: failedSubscription.id, consumer: 'bigquery-loader' },
      );
      const deadLetters = new PrivateBucket(loaderScope, 'dead-letters', {
        projectId,
        name: physicalName([projectId, spec.environment, 'bq-dead-letters'], 63),
        location: datasetLocation,
      });
      loader = new GcpVmService(loaderScope, 'service', {
        ...vmDefaults,
        component: 'bigquery-loader',
        sizing: loaderSpec.sizing,
        launch: launch(BIGQUERY_LOADER_CONTRACTS, place, 'bigquery-loader', loaderSpec, {
          ...loaderWiring,
          v1: {
            typesTopic: topics.topicName('bq-types'),
            typesSubscription: topics.subscriptionName('bq-types', 'mutator'),
            failedInsertsTopic: topics.topicName('bq-failed-inserts'),
            failedInsertsSubscription: topics.subscriptionName('bq-failed-inserts', 'repeater'),
            deadLetterBucket: physicalName([projectId, spec.environment, 'bq-dead-letters'], 63),
          },
        }),
        secretIds: secretIds('bigquery-loader'),
        boot: igluBoot,
      });
      consume(loader, 'types', typesSubscription.id);
      consume(loader, 'failed-inserts', failedSubscription.id);
      for (const t of ['bq-types', 'bq-failed-inserts']) grantRole(loader, `${t}-publisher`, topicTarget(t), 'roles/pubsub.publisher', loader.member);
      grantRole(loader, 'dead-letters-writer', { kind: 'bucket', bucket: deadLetters.bucket.name }, 'roles/storage.objectCreator', loader.member);
    } else {
      loader = new GcpVmService(loaderScope, 'service', {
        ...vmDefaults,
        component: 'bigquery-loader',
        sizing: loaderSpec.sizing,
        launch: launch(BIGQUERY_LOADER_CONTRACTS, place, 'bigquery-loader', loaderSpec, loaderWiring),
        secretIds: secretIds('bigquery-loader'),
        boot: igluBoot,
      });
    }
    secrets.grantRead(loader, 'bigquery-loader', loader.member);
    consume(loader, 'enriched', enrichedSubscription.id);
    grantRole(loader, 'bad-publisher', topicTarget('bad'), 'roles/pubsub.publisher', loader.member);
    // Creates and alters the events table and writes its rows; nothing outside this dataset.
    grantRole(loader, 'dataset-editor', datasetTarget, 'roles/bigquery.dataEditor', loader.member);

    const services: GcpVmService[] = [collector, enrich, loader, ...(iglu ? [iglu.service] : [])];
    iglu?.allowClients([enrich.serviceAccount.email, loader.serviceAccount.email]);
    new GcpNetworkPrerequisites(new Construct(this, 'network'), 'prerequisites', {
      namePrefix: prefix,
      network,
      serviceAccountEmails: services.map((s) => s.serviceAccount.email),
      iglu: iglu ? { serviceAccountEmail: iglu.service.serviceAccount.email, databaseIp: iglu.database.privateIpAddress } : undefined,
    });

    // Access: operators, customer-defined roles, time-bound grants.
    const access = new Construct(this, 'access');
    new GcpOperatorAccess(access, 'operators', {
      namePrefix: prefix,
      projectId,
      region,
      principals: spec.operators.principals,
      pubsub: [
        ...['raw', 'enriched', 'bad'].map(topicTarget),
        ...pipelineSubscriptions.map((s): IamTarget => ({ kind: 'subscription', subscription: s.id })),
      ],
      dataset: datasetTarget,
      secrets,
    });
    const aliases: Record<(typeof GCP_RESOURCE_ALIASES)[number], IamTarget> = {
      project: { kind: 'project', project: projectId },
      'raw-topic': topicTarget('raw'),
      'enriched-topic': topicTarget('enriched'),
      'bad-topic': topicTarget('bad'),
      dataset: datasetTarget,
    };
    for (const role of spec.roles) {
      new GcpCustomerRole(access, `role-${role.name}`, {
        namePrefix: prefix,
        projectId,
        roleName: role.name,
        description: role.description,
        members: role.members,
        permissions: role.permissions,
        bindings: role.bindings.map((b) => ({ role: b.role, targets: b.resources.map((r) => aliases[r]) })),
      });
    }
    const grants = activeGrants(spec.accessGrants, props.now);
    const logView = grants.some((g) => g.scope === 'logs-read')
      ? new LoggingLogView(access, 'pipeline-logs', {
          parent: `projects/${projectId}`,
          location: 'global',
          bucket: `projects/${projectId}/locations/global/buckets/_Default`,
          name: physicalName([prefix, 'pipeline-apps'], 100),
          description: 'Logs of the pipeline apps only (their containers log through the gcplogs driver)',
          filter: `SOURCE("projects/${projectId}") AND resource.type = "gce_instance" AND LOG_ID("gcplogs-docker-driver")`,
        })
      : undefined;
    for (const grant of grants) {
      const scopeBindings: Record<typeof grant.scope, { role: string; target: IamTarget }[]> = {
        'enriched-data-read': [
          { role: 'roles/bigquery.dataViewer', target: datasetTarget },
          // Queries run as jobs, which belong to a project; the job role reads no data by itself.
          { role: 'roles/bigquery.jobUser', target: { kind: 'project', project: projectId } },
        ],
        'bad-data-read': [],
        'stream-read': [],
        'logs-read': logView
          ? [{ role: 'roles/logging.viewAccessor', target: { kind: 'log-view', parent: logView.parent, location: logView.location, bucket: logView.bucket, name: logView.name } }]
          : [],
      };
      const readTopics: Record<typeof grant.scope, string[]> = {
        'enriched-data-read': [],
        'bad-data-read': ['bad'],
        'stream-read': ['raw', 'enriched', 'bad'],
        'logs-read': [],
      };
      new GcpAccessGrant(access, `grant-${grant.id}`, { grant, projectId, bindings: scopeBindings[grant.scope], readTopics: readTopics[grant.scope], topics });
    }

    // Alerts to the nominated contacts.
    const t = spec.alerts.thresholds;
    const alerting = new GcpAlerting(new Construct(this, 'monitoring'), 'alerting', { namePrefix: prefix, projectId, contacts: spec.alerts.contacts });
    const lbRequests = `metric.type = "loadbalancing.googleapis.com/https/request_count" AND resource.type = "https_lb_rule" AND resource.label.url_map_name = "${lb.urlMapName}"`;
    alerting.alert('collector-5xx-ratio', {
      description: `More than ${t.http5xxPercent}% of requests to ${spec.collector.domain} answered with a 5xx over 5 minutes`,
      filter: `${lbRequests} AND metric.label.response_code_class = 500`,
      denominatorFilter: lbRequests,
      aligner: 'ALIGN_DELTA',
      reducer: { reducer: 'REDUCE_SUM', groupBy: ['resource.label.url_map_name'] },
      comparison: 'COMPARISON_GT',
      threshold: t.http5xxPercent / 100,
      alignmentSeconds: 300,
      durationSeconds: 0,
    });
    const uptime = alerting.uptimeCheck('collector-health', spec.collector.domain, '/health');
    const uptimeFilter = (metric: string) => `metric.type = "monitoring.googleapis.com/uptime_check/${metric}" AND resource.type = "uptime_url" AND metric.label.check_id = "${uptime.uptimeCheckId}"`;
    alerting.alert('collector-backend-health', {
      description: `https://${spec.collector.domain}/health fails from more than one checker location: no healthy collector behind the load balancer, or the certificate or DNS is broken`,
      filter: uptimeFilter('check_passed'),
      aligner: 'ALIGN_NEXT_OLDER',
      reducer: { reducer: 'REDUCE_COUNT_FALSE', groupBy: ['resource.label.host'] },
      comparison: 'COMPARISON_GT',
      threshold: 1,
      alignmentSeconds: 1200,
      durationSeconds: 60,
      severity: 'CRITICAL',
    });
    alerting.alert('collector-certificate-expiry', {
      description: `The certificate served for ${spec.collector.domain} expires within ${t.certificateExpiryDays} days`,
      filter: uptimeFilter('time_until_ssl_cert_expires'),
      aligner: 'ALIGN_NEXT_OLDER',
      reducer: { reducer: 'REDUCE_MIN', groupBy: ['resource.label.host'] },
      comparison: 'COMPARISON_LT',
      threshold: t.certificateExpiryDays,
      alignmentSeconds: 3600,
      durationSeconds: 0,
      severity: 'WARNING',
    });
    for (const s of pipelineSubscriptions) {
      alerting.alert(`${s.name.slice(prefix.length + 1)}-backlog-age`, {
        description: `Messages on ${s.name} wait more than ${t.maxConsumerLagSeconds} s: ${s.consumer} is behind or down`,
        filter: `metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND resource.type = "pubsub_subscription" AND resource.label.subscription_id = "${s.name}"`,
        aligner: 'ALIGN_MAX',
        comparison: 'COMPARISON_GT',
        threshold: t.maxConsumerLagSeconds,
        durationSeconds: 300,
      });
    }
    if (iglu) {
      // An internal load balancer has no health metric and uptime checks of private addresses need
      // Service Directory (beta provider only): the health check's own probe log is the signal.
      alerting.logAlert('iglu-server-unhealthy', {
        description: 'An Iglu Server instance fails its load balancer health check (/api/meta/health): enrich and the loader cannot resolve custom schemas from it',
        filter: [
          `logName = "projects/${projectId}/logs/compute.googleapis.com%2Fhealthchecks"`,
          `resource.labels.instance_group_name = "${iglu.service.groupName}"`,
          'jsonPayload.healthCheckProbeResult.healthState = "UNHEALTHY"',
        ].join(' AND '),
      });
    }
    for (const service of services) {
      alerting.alert(`${service.component}-group-size`, {
        description: `${service.component} runs fewer instances than its minimum of ${service.minSize}`,
        filter: `metric.type = "compute.googleapis.com/instance_group/size" AND resource.type = "instance_group" AND resource.label.instance_group_name = "${service.groupName}"`,
        aligner: 'ALIGN_MIN',
        comparison: 'COMPARISON_LT',
        threshold: service.minSize,
        durationSeconds: 600,
        // No data means no group: as bad as too few instances.
        missingData: 'EVALUATION_MISSING_DATA_ACTIVE',
      });
    }

    this.collectorUrl = `https://${spec.collector.domain}`;
    new TerraformOutput(this, 'collector-ip', { value: lb.address.address, description: `Point ${spec.collector.domain} (A record) here` });
    new TerraformOutput(this, 'dataset', { value: `${projectId}:${loaderSpec.dataset.datasetId}`, description: 'BigQuery dataset the loader writes events to' });
    if (iglu) new TerraformOutput(this, 'iglu-url', { value: iglu.apiUrl, description: 'Iglu Server API inside the network' });
  }
}
