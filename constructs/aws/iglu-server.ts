import { Construct } from 'constructs';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { physicalName } from '../naming';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { IGLU_SERVER_CONTRACTS } from '../apps/components/iglu-server';
import { launch } from '../apps/launch';
import { igluUrlParameter } from './app-config';
import { VmService, type VmSizing } from './vm-service';

export interface IgluServerProps {
  readonly namePrefix: string;
  readonly version: string;
  readonly sizing: VmSizing;
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  readonly region: string;
  readonly accountId: string;
  readonly kmsKeyArn: string;
  /** Secrets the server reads (e.g. its super API key). */
  readonly secrets: readonly { readonly name: string; readonly arn: string }[];
  /** Security groups of the apps that resolve schemas (enrich, loaders). */
  readonly clientSecurityGroupIds: readonly string[];
  /** Default: db.t4g.micro. */
  readonly databaseInstanceClass?: string;
  /** Default: 20. */
  readonly databaseStorageGb?: number;
  /** Default: none. */
  readonly permissionsBoundaryArn?: string;
  /** Default: false; true keeps the schema database from being destroyed by accident. */
  readonly deletionProtection?: boolean;
}

/**
 * The schema registry: Iglu Server on the VM pattern behind an internal load balancer that only
 * the pipeline's apps can reach, with an encrypted RDS Postgres database whose master password
 * RDS generates and keeps in Secrets Manager (no password passes through Terraform). RDS rotates
 * that password (every 7 days by default); the server's boot script re-reads it every 5 minutes
 * and restarts the server when it changed, so only new connections fail, for at most that long.
 */
export class IgluServer extends Construct {
  public readonly service: VmService;
  public readonly database: DbInstance;
  /** Base URL the pipeline apps resolve schemas from. */
  public readonly url: string;
  /** SSM parameter holding `${url}/api` for the apps' boot scripts. */
  public readonly urlParameter: SsmParameter;
  /** The internal load balancer and target group, for the healthy-host alarm. */
  public readonly health: { readonly loadBalancerArnSuffix: string; readonly targetGroupArnSuffix: string };

  constructor(scope: Construct, id: string, props: IgluServerProps) {
    super(scope, id);
    if (new Set(props.privateSubnetIds).size < 2) {
      throw new Error(
        `IgluServer ${props.namePrefix}: privateSubnetIds has ${new Set(props.privateSubnetIds).size} subnet(s); its load balancer and DB subnet group need private subnets in two availability zones, so add a second one`,
      );
    }
    const name = (max: number, ...parts: string[]) => physicalName([props.namePrefix, ...parts], max);

    const lbSg = new SecurityGroup(this, 'lb-sg', {
      name: name(255, 'iglu-lb'),
      description: `Internal Iglu load balancer of ${props.namePrefix}`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    props.clientSecurityGroupIds.forEach((sg, i) => {
      new VpcSecurityGroupIngressRule(this, `lb-ingress-${i}`, {
        securityGroupId: lbSg.id,
        referencedSecurityGroupId: sg,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        description: 'Schema lookups from pipeline apps',
      });
      // Plain HTTP inside the VPC: the apps only read schemas, which are not secret, and an
      // internal listener would need a certificate for a name the customer does not own. The
      // clients may send on 80 to this load balancer only, not to the internet.
      new VpcSecurityGroupEgressRule(this, `client-egress-${i}`, {
        securityGroupId: sg,
        referencedSecurityGroupId: lbSg.id,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        description: 'Schema lookups at the internal Iglu load balancer',
      });
    });
    const dbSg = new SecurityGroup(this, 'db-sg', {
      name: name(255, 'iglu-db'),
      description: `Iglu database of ${props.namePrefix}`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    const targetGroup = new LbTargetGroup(this, 'targets', {
      name: name(32, 'iglu'),
      port: 8080,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      healthCheck: { enabled: true, path: '/api/meta/health', matcher: '200', interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
    });
    const lb = new Lb(this, 'lb', {
      name: name(32, 'iglu'),
      loadBalancerType: 'application',
      internal: true,
      securityGroups: [lbSg.id],
      subnets: [...props.privateSubnetIds],
      dropInvalidHeaderFields: true,
    });
    this.health = { loadBalancerArnSuffix: lb.arnSuffix, targetGroupArnSuffix: targetGroup.arnSuffix };
    new LbListener(this, 'listener', {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
    });

    const subnets = new DbSubnetGroup(this, 'db-subnets', { name: name(255, 'iglu'), subnetIds: [...props.privateSubnetIds] });
    this.database = new DbInstance(this, 'db', {
      identifier: physicalName([props.namePrefix, 'iglu'], 63),
      engine: 'postgres',
      engineVersion: '16',
      instanceClass: props.databaseInstanceClass ?? 'db.t4g.micro',
      allocatedStorage: props.databaseStorageGb ?? 20,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbName: 'iglu',
      username: 'iglu',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [dbSg.id],
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      deletionProtection: props.deletionProtection ?? false,
      skipFinalSnapshot: !(props.deletionProtection ?? false),
      finalSnapshotIdentifier: props.deletionProtection ? name(255, 'iglu-final') : undefined,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
    });
    const dbIdentifier = name(63, 'iglu');
    const dbSecretArn = this.database.masterUserSecret.get(0).secretArn;

    this.service = new VmService(this, 'service', {
      component: 'iglu-server',
      namePrefix: props.namePrefix,
      launch: launch(
        IGLU_SERVER_CONTRACTS,
        { cloud: 'aws', region: props.region },
        'iglu-server',
        { version: props.version, secrets: props.secrets.map((s) => s.name.slice(s.name.lastIndexOf('/') + 1)), sizing: props.sizing },
        { port: 8080, dbName: 'iglu', dbUser: 'iglu' },
      ),
      // RDS names its managed secret itself, so the boot script finds it (and the host) through the instance.
      boot: { igluDatabaseIdentifier: dbIdentifier },
      sizing: props.sizing,
      vpcId: props.vpcId,
      subnetIds: props.privateSubnetIds,
      region: props.region,
      accountId: props.accountId,
      kmsKeyArn: props.kmsKeyArn,
      port: 8080,
      allowFrom: [lbSg.id],
      targetGroupArns: [targetGroup.arn],
      egressPorts: [5432],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      secrets: props.secrets,
      statements: [
        {
          sid: 'FindDatabase',
          actions: ['rds:DescribeDBInstances'],
          resources: [`arn:aws:rds:${props.region}:${props.accountId}:db:${dbIdentifier}`],
        },
        { sid: 'ReadDatabasePassword', actions: ['secretsmanager:GetSecretValue'], resources: [dbSecretArn] },
        {
          sid: 'DecryptDatabasePassword',
          actions: ['kms:Decrypt'],
          resources: [props.kmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
        },
      ],
    });
    new VpcSecurityGroupIngressRule(this, 'db-ingress', {
      securityGroupId: dbSg.id,
      referencedSecurityGroupId: this.service.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      description: 'Iglu Server to its database',
    });
    new VpcSecurityGroupEgressRule(this, 'lb-egress', {
      securityGroupId: lbSg.id,
      referencedSecurityGroupId: this.service.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: 8080,
      toPort: 8080,
      description: 'Forward to Iglu Server instances',
    });
    this.url = `http://${lb.dnsName}`;
    // The apps' boot scripts are literal text: they read the URL here, with their own roles.
    this.urlParameter = new SsmParameter(this, 'url-parameter', {
      name: igluUrlParameter(props.namePrefix),
      type: 'String',
      value: `${this.url}/api`,
      description: `Iglu Server API URL of ${props.namePrefix}, read by the pipeline apps at boot`,
    });
  }
}
