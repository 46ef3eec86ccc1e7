import { Construct } from 'constructs';
import { dependable, TerraformOutput } from 'cdktf';
import type { AwsCustomerSpec } from '../../customers/schema';
import { stackId, WAREHOUSE_LOADERS_AWS } from '../../customers/schema';
import { activeGrants } from '../access-grants';
import { physicalName } from '../naming';
import { AccessGrantRole } from './access-grant-role';
import { Alerting } from './alerting';
import { COLLECTOR_CONTRACTS } from '../apps/components/collector';
import { ELASTICSEARCH_LOADER_CONTRACTS } from '../apps/components/elasticsearch-loader';
import { ENRICH_CONTRACTS } from '../apps/components/enrich';
import { S3_LOADER_CONTRACTS } from '../apps/components/s3-loader';
import { SNOWFLAKE_LOADER_CONTRACTS } from '../apps/components/snowflake-streaming-loader';
import type { LaunchDescription } from '../apps/contract';
import { compressionOf } from '../apps/compression';
import { launch } from '../apps/launch';
import { igluUrlParameter } from './app-config';
import { ArchiveBucket } from './archive-bucket';
import { CollectorLoadBalancer } from './collector-load-balancer';
import { CustomerKey } from './customer-key';
import { CustomerRole } from './customer-role';
import { IgluServer } from './iglu-server';
import { LeaseTable } from './lease-table';
import { ManagedCertificate } from './managed-certificate';
import { OperatorRole } from './operator-role';
import type { PolicyStatement } from './policy-document';
import { addNetworkPrerequisites } from './network-prerequisites';
import { addPipelineAlarms } from './pipeline-alarms';
import { RdbLoaderResources } from './rdb-loader';
import { rdbLoaderServices } from './rdb-loader-services';
import { PipelineSecrets } from './secrets';
import { PipelineStreams, type StreamName } from './streams';
import { VmService } from './vm-service';

export interface AwsPipelineProps {
  readonly spec: AwsCustomerSpec;
  /** "Now", from the one injectable clock: decides which access grants still exist. */
  readonly now: Date;
}

const KINESIS_READ = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];
const KINESIS_WRITE = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'];

/** Resource aliases customer roles may use instead of ARNs. */
export const RESOURCE_ALIASES = ['raw-stream', 'enriched-stream', 'bad-stream', 'bucket', 'bucket-objects'] as const;

export { activeGrants };

type WarehouseId = (typeof WAREHOUSE_LOADERS_AWS)[number];
type KinesisConsumer = { readonly input: string; readonly bad: string; readonly appName: string };

/** The Snowflake or Elasticsearch loader's launch (the RDB loader has its own transformer and queue). */
function warehouseLaunch(id: WarehouseId, place: { cloud: 'aws'; region: string }, pin: Parameters<typeof launch>[3], w: KinesisConsumer): LaunchDescription {
  if (id === 'snowflake-streaming-loader') return launch(SNOWFLAKE_LOADER_CONTRACTS, place, id, pin, w);
  if (id === 'elasticsearch-loader') return launch(ELASTICSEARCH_LOADER_CONTRACTS, place, id, pin, w);
  throw new Error(`${id} is not a Kinesis consumer of the enriched stream; it has its own wiring`);
}

/** The Elasticsearch cluster port the loader must reach (default 443). */
function esPort(settings: Readonly<Record<string, string | number | boolean>>): number[] {
  const port = typeof settings.port === 'number' ? settings.port : 443;
  return port === 443 ? [] : [port];
}

/** Customer enrichments, when the customer file has any. */
function enrichmentsOf(pin: object): Readonly<Record<string, import('../apps/contract').ConfigObject>> | undefined {
  return (pin as { enrichments?: Readonly<Record<string, import('../apps/contract').ConfigObject>> }).enrichments;
}

/**
 * A customer's whole AWS pipeline: collector behind an HTTPS load balancer -> raw stream ->
 * enrich -> enriched and bad streams -> S3 loader and the warehouse loader, with an optional Iglu
 * Server; one least-privilege role per app, secrets by name, operator and customer roles,
 * time-bound access grants, and alarms emailed to the nominated contacts.
 */
export class AwsPipeline extends Construct {
  public readonly collectorUrl: string;

  constructor(scope: Construct, id: string, props: AwsPipelineProps) {
    super(scope, id);
    const { spec } = props;
    const { accountId, region } = spec.aws;
    const prefix = stackId(spec);
    const boundary = spec.aws.permissionsBoundaryArn;
    const prod = spec.environment === 'prod';
    const privateSubnets = spec.network.privateSubnetIds;
    const c = spec.components;
    const compression = compressionOf(spec);

    const shared = new Construct(this, 'shared');
    const key = new CustomerKey(shared, 'key', { namePrefix: prefix, accountId, region });
    const streams = new PipelineStreams(shared, 'streams', {
      namePrefix: prefix,
      mode: spec.streams.mode,
      shards: spec.streams.shards,
      retentionHours: spec.streams.retentionHours,
    });
    const streamArn = (s: StreamName) => streams.streams[s].arn;

    const warehouseId = WAREHOUSE_LOADERS_AWS.find((k) => c[k] !== undefined)!;
    const warehouse = c[warehouseId]!;
    const secretOwners: { name: string; component: string }[] = [
      ...c.collector.secrets.map((name) => ({ name, component: 'collector' })),
      ...c.enrich.secrets.map((name) => ({ name, component: 'enrich' })),
      ...c['s3-loader'].secrets.map((name) => ({ name, component: 's3-loader' })),
      ...warehouse.secrets.map((name) => ({ name, component: warehouseId })),
      ...(c['iglu-server']?.secrets ?? []).map((name) => ({ name, component: 'iglu-server' })),
    ];
    const secrets = new PipelineSecrets(shared, 'secrets', { namePrefix: prefix, kmsKeyArn: key.arn, secrets: secretOwners });

    const place = { cloud: 'aws', region } as const;
    const vmDefaults = {
      namePrefix: prefix,
      vpcId: spec.network.vpcId,
      subnetIds: privateSubnets,
      region,
      accountId,
      kmsKeyArn: key.arn,
      permissionsBoundaryArn: boundary,
      logRetentionDays: prod ? 90 : 30,
    };
    const kclStatements = (table: LeaseTable): PolicyStatement[] => [
      ...table.workerStatements(),
      {
        sid: 'PublishConsumerMetrics',
        // PutMetricData has no resource-level permissions; the namespace condition scopes it.
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': table.name } },
      },
    ];

    // Collector
    const collectorScope = new Construct(this, 'collector');
    const ssl = spec.collector.ssl;
    const managedCert = ssl.certificate === 'managed'
        ? new ManagedCertificate(collectorScope, 'certificate', { domain: spec.collector.domain, hostedZoneId: ssl.hostedZoneId, validationRecordCreated: ssl.validationRecordCreated })
        : undefined;
    // Undefined only while a managed certificate waits for its DNS record: no HTTPS yet.
    const certificateArn = ssl.certificate === 'managed' ? managedCert!.arn : ssl.certificateArn;
    const lb = new CollectorLoadBalancer(collectorScope, 'load-balancer', {
      namePrefix: prefix,
      vpcId: spec.network.vpcId,
      publicSubnetIds: spec.network.publicSubnetIds,
      certificateArn,
      additionalCertificateArns: ssl.additionalCertificateArns,
      sslPolicy: ssl.policy,
      deletionProtection: prod,
    });
    const collector = new VmService(collectorScope, 'service', {
      ...vmDefaults,
      component: 'collector',
      launch: launch(COLLECTOR_CONTRACTS, place, 'collector', c.collector, {
        good: streams.names.raw,
        bad: streams.names.bad,
        port: lb.targetPort,
        cookieDomain: spec.collector.domain,
        compression: compression.raw,
      }),
      sizing: c.collector.sizing,
      port: lb.targetPort,
      allowFrom: [lb.securityGroup.id],
      // Registered only once the load balancer forwards to the group, so ELB health checks apply.
      targetGroupArns: certificateArn !== undefined ? [lb.targetGroup.arn] : [],
      secrets: secrets.forComponent('collector'),
      statements: [{ sid: 'WriteRawAndBad', actions: KINESIS_WRITE, resources: [streamArn('raw'), streamArn('bad')] }],
    });
    lb.forwardTo(collector.securityGroup.id);

    // Enrich
    const enrichScope = new Construct(this, 'enrich');
    const enrichLeases = new LeaseTable(enrichScope, 'leases', { name: `${prefix}-enrich`, kmsKeyArn: key.arn, region });
    const igluScope = c['iglu-server'] ? new Construct(this, 'iglu-server') : undefined;
    const igluBoot = c['iglu-server'] ? { igluUrlParameter: igluUrlParameter(prefix) } : undefined;
    const enrich = new VmService(enrichScope, 'service', {
      ...vmDefaults,
      component: 'enrich',
      launch: launch(ENRICH_CONTRACTS, place, 'enrich', c.enrich, {
        input: streams.names.raw,
        good: streams.names.enriched,
        bad: streams.names.bad,
        appName: enrichLeases.name,
        igluServer: igluBoot !== undefined,
        enrichments: enrichmentsOf(c.enrich),
        compression: compression.enriched,
      }),
      boot: igluBoot,
      sizing: c.enrich.sizing,
      secrets: secrets.forComponent('enrich'),
      statements: [
        { sid: 'ReadRaw', actions: KINESIS_READ, resources: [streamArn('raw')] },
        { sid: 'WriteEnrichedAndBad', actions: KINESIS_WRITE, resources: [streamArn('enriched'), streamArn('bad')] },
        ...kclStatements(enrichLeases),
      ],
    });

    // S3 loader: one app per input stream, one bucket with a prefix each.
    const s3Scope = new Construct(this, 's3-loader');
    const loaderSpec = c['s3-loader'];
    // A literal name: the S3 loader's configuration (user data) cannot hold a token.
    const archiveName = physicalName([prefix, 'archive', accountId], 63);
    const archive = new ArchiveBucket(s3Scope, 'bucket', {
      bucketName: archiveName,
      kmsKeyArn: key.arn,
      transitionToInfrequentAccessDays: loaderSpec.lifecycle.transitionToInfrequentAccessDays,
      expireDays: loaderSpec.lifecycle.expireDays,
    });
    const s3Leases: LeaseTable[] = [];
    const s3Services = (['enriched', 'bad'] as const).map((input) => {
      const leases = new LeaseTable(s3Scope, `leases-${input}`, { name: `${prefix}-s3-loader-${input}`, kmsKeyArn: key.arn, region });
      s3Leases.push(leases);
      return new VmService(s3Scope, `service-${input}`, {
        ...vmDefaults,
        component: `s3-loader-${input}`,
        launch: launch(S3_LOADER_CONTRACTS, place, `s3-loader-${input}`, loaderSpec, {
          input: streams.names[input],
          bad: streams.names.bad,
          appName: leases.name,
          path: `s3://${archiveName}/${input}/`,
          purpose: input === 'enriched' ? 'ENRICHED_EVENTS' : 'SELF_DESCRIBING',
        }),
        sizing: loaderSpec.sizing,
        secrets: secrets.forComponent('s3-loader'),
        // The health probe (3.x) answers on 8000 to nothing outside the instance.
        statements: [
          { sid: 'ReadInput', actions: KINESIS_READ, resources: [streamArn(input)] },
          { sid: 'WriteArchive', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [`${archive.bucket.arn}/${input}/*`] },
          { sid: 'EncryptArchive', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.arn], conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } },
          // Both loaders send rows they fail to write to the bad stream (a required setting of the app).
          { sid: 'WriteFailures', actions: KINESIS_WRITE, resources: [streamArn('bad')] },
          ...kclStatements(leases),
        ],
      });
    });

    // Warehouse loader: a KCL consumer of enriched, or the RDB loader's transformer, queue and loader.
    const warehouseScope = new Construct(this, warehouseId);
    const consumers = [
      { component: 'enrich', leases: enrichLeases },
      ...s3Leases.map((leases, i) => ({ component: s3Services[i].component, leases })),
    ];
    const queueConsumers: { component: string; queueName: string }[] = [];
    let warehouseService: VmService;
    let transformer: VmService | undefined;
    if (warehouseId === 'rdb-loader') {
      const rdb = new RdbLoaderResources(warehouseScope, 'resources', {
        namePrefix: prefix,
        region,
        accountId,
        kmsKeyArn: key.arn,
        enriched: { name: streams.names.enriched, arn: streamArn('enriched') },
        bad: { name: streams.names.bad, arn: streamArn('bad') },
        permissionsBoundaryArn: boundary,
      });
      const rdbServices = rdbLoaderServices(warehouseScope, {
        resources: rdb,
        vm: vmDefaults,
        version: warehouse.version,
        sizing: warehouse.sizing,
        settings: warehouse.settings,
        secrets: secrets.forComponent(warehouseId),
        enrichedStream: streams.names.enriched,
        badStream: streams.names.bad,
        igluBoot,
      });
      transformer = rdbServices.transformer;
      warehouseService = rdbServices.loader;
      consumers.push({ component: 'transformer-kinesis', leases: rdb.transformerLeases });
      queueConsumers.push({ component: 'rdb-loader', queueName: rdb.queueName });
    } else {
      const warehouseLeases = new LeaseTable(warehouseScope, 'leases', { name: `${prefix}-${warehouseId}`, kmsKeyArn: key.arn, region });
      warehouseService = new VmService(warehouseScope, 'service', {
        ...vmDefaults,
        component: warehouseId,
        launch: warehouseLaunch(warehouseId, place, warehouse, { input: streams.names.enriched, bad: streams.names.bad, appName: warehouseLeases.name }),
        sizing: warehouse.sizing,
        secrets: secrets.forComponent(warehouseId),
        egressPorts: warehouseId === 'elasticsearch-loader' ? esPort(warehouse.settings) : [],
        statements: [
          { sid: 'ReadEnriched', actions: KINESIS_READ, resources: [streamArn('enriched')] },
          { sid: 'WriteFailures', actions: KINESIS_WRITE, resources: [streamArn('bad')] },
          ...kclStatements(warehouseLeases),
        ],
      });
      consumers.push({ component: warehouseId, leases: warehouseLeases });
    }

    const services: VmService[] = [collector, enrich, ...s3Services, ...(transformer ? [transformer] : []), warehouseService];
    let igluHealth: IgluServer['health'] | undefined;
    if (igluScope && c['iglu-server']) {
      const iglu = new IgluServer(igluScope, 'server', {
        namePrefix: prefix,
        version: c['iglu-server'].version,
        sizing: c['iglu-server'].sizing,
        vpcId: spec.network.vpcId,
        privateSubnetIds: privateSubnets,
        region,
        accountId,
        kmsKeyArn: key.arn,
        secrets: secrets.forComponent('iglu-server'),
        clientSecurityGroupIds: [enrich.securityGroup.id, ...(transformer ? [transformer.securityGroup.id] : []), warehouseService.securityGroup.id],
        databaseInstanceClass: c['iglu-server'].database.instanceClass,
        databaseStorageGb: c['iglu-server'].database.allocatedStorageGb,
        permissionsBoundaryArn: boundary,
        deletionProtection: prod,
      });
      services.push(iglu.service);
      // Clients read the URL parameter at boot, so it must exist before their instances start.
      for (const client of [enrich, ...(transformer ? [transformer] : []), warehouseService]) {
        // dependable() renders the bare address depends_on needs; a plain `.fqn` renders "${...}", which terraform refuses.
        client.autoScalingGroup.dependsOn = [...(client.autoScalingGroup.dependsOn ?? []), dependable(iglu.urlParameter)];
      }
      igluHealth = iglu.health;
      new TerraformOutput(igluScope, 'iglu-url', { value: iglu.url, description: 'Iglu Server URL inside the VPC' });
    }

    // Access: operator, customer-defined roles, time-bound grants.
    const access = new Construct(this, 'access');
    const operator = new OperatorRole(access, 'operator', {
      namePrefix: prefix,
      accountId,
      region,
      principals: spec.operators.principals,
      externalId: spec.operators.externalId,
      autoScalingGroupArns: services.map((s) => s.autoScalingGroup.arn),
      secretArns: secrets.arns,
      kmsKeyArn: key.arn,
      permissionsBoundaryArn: boundary,
    });
    const aliases: Record<(typeof RESOURCE_ALIASES)[number], string> = {
      'raw-stream': streamArn('raw'),
      'enriched-stream': streamArn('enriched'),
      'bad-stream': streamArn('bad'),
      bucket: archive.bucket.arn,
      'bucket-objects': `${archive.bucket.arn}/*`,
    };
    const resolve = (r: string) => (r in aliases ? aliases[r as keyof typeof aliases] : r);
    for (const role of spec.roles) {
      new CustomerRole(access, `role-${role.name}`, {
        roleName: role.name,
        description: role.description,
        assumedBy: role.assumedBy,
        managedPolicyArns: role.managedPolicyArns,
        statements: role.statements.map((s) => ({ actions: s.actions, resources: s.resources.map(resolve) })),
        permissionsBoundaryArn: boundary,
      });
    }
    const logGroupArns = services.map((s) => `${s.logGroup.arn}:*`);
    const grantStatements: Record<string, PolicyStatement[]> = {
      'enriched-data-read': [
        { actions: ['s3:GetObject'], resources: [`${archive.bucket.arn}/enriched/*`] },
        { actions: ['s3:ListBucket'], resources: [archive.bucket.arn], conditions: { StringLike: { 's3:prefix': ['enriched/*'] } } },
        { actions: ['kms:Decrypt'], resources: [key.arn], conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } },
      ],
      'bad-data-read': [
        { actions: ['s3:GetObject'], resources: [`${archive.bucket.arn}/bad/*`] },
        { actions: ['s3:ListBucket'], resources: [archive.bucket.arn], conditions: { StringLike: { 's3:prefix': ['bad/*'] } } },
        { actions: ['kms:Decrypt'], resources: [key.arn], conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } },
      ],
      'stream-read': [{ actions: KINESIS_READ, resources: [streamArn('raw'), streamArn('enriched'), streamArn('bad')] }],
      'logs-read': [{ actions: ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:DescribeLogStreams'], resources: logGroupArns }],
    };
    for (const grant of activeGrants(spec.accessGrants, props.now)) {
      new AccessGrantRole(access, `grant-${grant.id}`, {
        namePrefix: prefix,
        grantId: grant.id,
        principal: grant.principal,
        expires: grant.expires,
        ticket: grant.ticket,
        approvedBy: grant.approvedBy,
        statements: grantStatements[grant.scope],
        permissionsBoundaryArn: boundary,
      });
    }

    // Alerts to the nominated contacts.
    const alerting = new Alerting(new Construct(this, 'monitoring'), 'alerting', { namePrefix: prefix, kmsKeyArn: key.arn, contacts: spec.alerts.contacts });
    addPipelineAlarms(alerting, {
      thresholds: spec.alerts.thresholds,
      domain: spec.collector.domain,
      collector: certificateArn !== undefined ? { loadBalancerArnSuffix: lb.loadBalancer.arnSuffix, targetGroupArnSuffix: lb.targetGroup.arnSuffix } : undefined,
      streamNames: streams.names,
      consumers,
      queueConsumers,
      groups: services.map((s) => ({ component: s.component, name: s.autoScalingGroup.name, minSize: s.autoScalingGroup.minSize })),
      iglu: igluHealth,
      certificates: [
        ...(managedCert ? [{ id: 'collector-certificate', arn: managedCert.certificate.arn }] : [{ id: 'collector-certificate', arn: (ssl as { certificateArn: string }).certificateArn }]),
        ...ssl.additionalCertificateArns.map((arn, i) => ({ id: `collector-extra-certificate-${i}`, arn })),
      ],
    });
    addNetworkPrerequisites(this, { region, vpcId: spec.network.vpcId, privateSubnetIds: privateSubnets });

    this.collectorUrl = `https://${spec.collector.domain}`;
    new TerraformOutput(this, 'collector-endpoint', { value: lb.loadBalancer.dnsName, description: `Point ${spec.collector.domain} (CNAME or alias) here` });
    new TerraformOutput(this, 'operator-role-name', { value: operator.role.name });
  }
}
