import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { physicalName } from '../naming';
import { policyJson, trustPolicyJson, type PolicyStatement } from './policy-document';
import type { LaunchDescription } from '../apps/contract';
import { encodeUserData, renderUserDataScript, type AwsBootProps } from './user-data';

/** Amazon Linux 2023, resolved by EC2 at launch so new instances get the patched AMI. */
export const AL2023_IMAGE = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

export interface VmSizing {
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
}

export interface VmServiceProps {
  /** Component name, used in resource names and the component tag (e.g. "enrich"). */
  readonly component: string;
  /** Stack-level name prefix (<customer>-<environment>). */
  readonly namePrefix: string;
  /** What runs on the VMs, from the component's app contract. */
  readonly launch: LaunchDescription;
  /** Where the boot values come from beyond the component's own secrets (Iglu URL parameter, Iglu database). Default: none. */
  readonly boot?: Pick<AwsBootProps, 'igluUrlParameter' | 'igluDatabaseIdentifier'>;
  readonly sizing: VmSizing;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly region: string;
  readonly accountId: string;
  /** Permissions beyond writing its own logs. Every statement must name exact resources. */
  readonly statements: readonly PolicyStatement[];
  /** Secrets the app reads at boot (full Secrets Manager names ending in /<secret>, and ARNs); read access is granted to this role only. */
  readonly secrets?: readonly { readonly name: string; readonly arn: string }[];
  /** Key that encrypts the secrets and the log group. */
  readonly kmsKeyArn: string;
  /** Port the app listens on. Default: none (a consumer with no inbound traffic). */
  readonly port?: number;
  /** Security groups allowed to reach `port`. Default: none. */
  readonly allowFrom?: readonly string[];
  /** Target groups to register with; health checks then use the load balancer. Default: none. */
  readonly targetGroupArns?: readonly string[];
  /** Extra outbound TCP ports beyond 443 (e.g. 5439 for Redshift). Default: none. */
  readonly egressPorts?: readonly number[];
  /** Permissions boundary for the role. Default: none. */
  readonly permissionsBoundaryArn?: string;
  /** Default: 30 days. */
  readonly logRetentionDays?: number;
}

/**
 * One pipeline app on VMs: its own role and instance profile, security group, log group,
 * launch template (IMDSv2 only, encrypted gp3 root volume, pinned image in user data) and an
 * auto scaling group that replaces instances with a rolling refresh when the template changes.
 */
export class VmService extends Construct {
  public readonly component: string;
  public readonly role: IamRole;
  public readonly securityGroup: SecurityGroup;
  public readonly autoScalingGroup: AutoscalingGroup;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly launchTemplate: LaunchTemplate;
  /** The boot script in the launch template (decoded), for tests and reviews. */
  public readonly bootScript: string;
  public readonly launch: LaunchDescription;

  constructor(scope: Construct, id: string, props: VmServiceProps) {
    super(scope, id);
    this.component = props.component;
    this.launch = props.launch;
    const { sizing } = props;
    const images = [...new Set([...props.launch.setup, ...props.launch.containers].map((c) => c.image))].join(' ');
    if (sizing.maxSize < sizing.minSize) {
      throw new Error(`VmService ${props.component}: maxSize ${sizing.maxSize} is below minSize ${sizing.minSize}; raise maxSize`);
    }
    if (props.subnetIds.length === 0) throw new Error(`VmService ${props.component}: subnetIds is empty; give at least one private subnet`);
    if ((props.allowFrom?.length ?? 0) > 0 && props.port === undefined) {
      throw new Error(`VmService ${props.component}: allowFrom is set but port is not; set the port the app listens on`);
    }
    const name = (max: number, ...suffix: string[]) => physicalName([props.namePrefix, props.component, ...suffix], max);

    // User data is base64-encoded here, so it may only hold literals, never tokens.
    const logGroupName = `/pipeline/${props.namePrefix}/${props.component}`;
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? 30,
      kmsKeyId: props.kmsKeyArn,
    });

    const secrets = props.secrets ?? [];
    const statements: PolicyStatement[] = [
      {
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
      },
      ...props.statements,
      ...(props.boot?.igluUrlParameter
        ? [{ sid: 'ReadIgluUrl', actions: ['ssm:GetParameter'], resources: [`arn:aws:ssm:${props.region}:${props.accountId}:parameter${props.boot.igluUrlParameter}`] }]
        : []),
      ...(secrets.length > 0
        ? [
            { sid: 'ReadOwnSecrets', actions: ['secretsmanager:GetSecretValue'], resources: secrets.map((s) => s.arn) },
            {
              sid: 'DecryptOwnSecrets',
              actions: ['kms:Decrypt'],
              resources: [props.kmsKeyArn],
              conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
            },
          ]
        : []),
    ];

    this.role = new IamRole(this, 'role', {
      name: name(64, 'vm'),
      description: `Runs the ${props.component} app of ${props.namePrefix}`,
      assumeRolePolicy: trustPolicyJson([
        {
          principals: { Service: ['ec2.amazonaws.com'] },
          conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    new IamRolePolicy(this, 'policy', { name: 'least-privilege', role: this.role.id, policy: policyJson(statements) });
    const profile = new IamInstanceProfile(this, 'profile', { name: name(128, 'vm'), role: this.role.name });

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: name(255, 'vm'),
      description: `${props.component} instances of ${props.namePrefix}`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    for (const [i, source] of (props.allowFrom ?? []).entries()) {
      new VpcSecurityGroupIngressRule(this, `ingress-${i}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: source,
        ipProtocol: 'tcp',
        fromPort: props.port!,
        toPort: props.port!,
        description: `${props.component} app port from an allowed security group`,
      });
    }
    for (const port of [443, ...(props.egressPorts ?? [])]) {
      new VpcSecurityGroupEgressRule(this, `egress-${port}`, {
        securityGroupId: this.securityGroup.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: port === 443 ? 'AWS APIs, the image registry and Iglu Central over HTTPS' : `${props.component} destination`,
      });
    }

    // Secrets Manager names end in /<short secret name>, the name the contract knows.
    const secretIds = Object.fromEntries(secrets.map((s) => [s.name.slice(s.name.lastIndexOf('/') + 1), s.name]));
    this.bootScript = renderUserDataScript(props.launch, { region: props.region, logGroupName, secretIds, ...props.boot });

    this.launchTemplate = new LaunchTemplate(this, 'template', {
      name: name(128),
      description: `${props.component} ${images}`.slice(0, 255),
      imageId: AL2023_IMAGE,
      instanceType: sizing.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [this.securityGroup.id],
      updateDefaultVersion: true,
      // Hop limit 2 lets the container reach IMDSv2 through the docker bridge.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: 30, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      ],
      monitoring: { enabled: true },
      userData: encodeUserData(this.bootScript),
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: name(255), component: props.component, image: images.slice(0, 255) } },
        { resourceType: 'volume', tags: { Name: name(255), component: props.component } },
      ],
    });

    const targetGroupArns = props.targetGroupArns ?? [];
    this.autoScalingGroup = new AutoscalingGroup(this, 'asg', {
      name: name(255),
      minSize: sizing.minSize,
      maxSize: sizing.maxSize,
      vpcZoneIdentifier: [...props.subnetIds],
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      targetGroupArns: targetGroupArns.length > 0 ? [...targetGroupArns] : undefined,
      healthCheckType: targetGroupArns.length > 0 ? 'ELB' : 'EC2',
      healthCheckGracePeriod: 300,
      enabledMetrics: ['GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupTotalInstances'],
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 90, instanceWarmup: '120' },
      },
      tag: [
        { key: 'Name', value: name(255), propagateAtLaunch: true },
        { key: 'component', value: props.component, propagateAtLaunch: true },
      ],
    });
  }
}
