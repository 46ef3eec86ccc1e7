import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { physicalName } from '../naming';
import { policyJson, trustPolicyJson } from './policy-document';

export interface OperatorRoleProps {
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The managing team's principals allowed to assume the role. */
  readonly principals: readonly string[];
  /** Required sts:ExternalId, to stop a confused deputy. */
  readonly externalId: string;
  readonly autoScalingGroupArns: readonly string[];
  readonly secretArns: readonly string[];
  readonly kmsKeyArn: string;
  /** Default: none. */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The role the managing team uses to run and monitor the pipeline: read metrics, alarms and the
 * pipeline's logs, refresh its instances, and set (never read) the values of its secrets. Data
 * access is not here: it comes only through time-bound access grants.
 */
export class OperatorRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: OperatorRoleProps) {
    super(scope, id);
    if (props.principals.length === 0) throw new Error(`OperatorRole ${props.namePrefix}: principals is empty; name the managing team's role`);
    const { accountId, region } = props;
    this.role = new IamRole(this, 'role', {
      name: physicalName([props.namePrefix, 'operator'], 64),
      description: `Managing team operates and monitors the ${props.namePrefix} pipeline`,
      maxSessionDuration: 3600,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: trustPolicyJson([
        { principals: { AWS: [...props.principals] }, conditions: { StringEquals: { 'sts:ExternalId': props.externalId } } },
      ]),
    });
    const statements = [
      {
        sid: 'MonitorPipeline',
        // These read-only APIs do not support resource-level permissions.
        actions: [
          'cloudwatch:DescribeAlarms',
          'cloudwatch:GetMetricData',
          'cloudwatch:GetMetricStatistics',
          'cloudwatch:ListMetrics',
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeInstanceRefreshes',
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:DescribeTargetGroups',
          'kinesis:ListStreams',
          'ec2:DescribeInstances',
        ],
        resources: ['*'],
      },
      {
        sid: 'ReadPipelineLogs',
        actions: ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery'],
        resources: [`arn:aws:logs:${region}:${accountId}:log-group:/pipeline/${props.namePrefix}/*`],
      },
      {
        sid: 'RefreshPipelineInstances',
        actions: ['autoscaling:StartInstanceRefresh', 'autoscaling:CancelInstanceRefresh', 'autoscaling:SetDesiredCapacity'],
        resources: [...props.autoScalingGroupArns],
      },
      ...(props.secretArns.length > 0
        ? [
            { sid: 'SetSecretValues', actions: ['secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret'], resources: [...props.secretArns] },
            {
              sid: 'EncryptSecretValues',
              actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
              resources: [props.kmsKeyArn],
              conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
            },
          ]
        : []),
    ];
    new IamRolePolicy(this, 'policy', { name: 'operate-pipeline', role: this.role.id, policy: policyJson(statements) });
  }
}
