import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerCertificate } from '@cdktf/provider-aws/lib/lb-listener-certificate';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { physicalName } from '../naming';

/** Security policies that negotiate TLS 1.2 or newer only. */
export const TLS12_OR_NEWER_POLICIES: ReadonlySet<string> = new Set([
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
]);

export interface CollectorLoadBalancerProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  /**
   * Certificate served by default on :443; it must be issued. Default: none, while a managed
   * certificate waits for validation: then there is no :443 listener and :80 answers 503.
   */
  readonly certificateArn?: string;
  /** Further certificates served by SNI, e.g. the new one during a rotation. Default: none. */
  readonly additionalCertificateArns?: readonly string[];
  /** Default: ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.3 and 1.2). */
  readonly sslPolicy?: string;
  /** Port the collector listens on. Default: 8080. */
  readonly targetPort?: number;
  /** Default: true for production, so a stray destroy cannot take the collector endpoint down. */
  readonly deletionProtection?: boolean;
}

/**
 * The collector's public entry point: TLS ends at an ALB. :443 serves the certificate(s) with a
 * TLS 1.2+ policy; :80 only redirects to HTTPS (collector 3.x serves one port and leaves the
 * upgrade to the load balancer). Instances are reached only from this ALB's security group.
 */
export class CollectorLoadBalancer extends Construct {
  public readonly loadBalancer: Lb;
  public readonly securityGroup: SecurityGroup;
  public readonly targetGroup: LbTargetGroup;
  /** Undefined while no certificate is issued. */
  public readonly httpsListener?: LbListener;
  public readonly httpListener: LbListener;
  public readonly targetPort: number;

  constructor(scope: Construct, id: string, props: CollectorLoadBalancerProps) {
    super(scope, id);
    const sslPolicy = props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06';
    if (!TLS12_OR_NEWER_POLICIES.has(sslPolicy)) {
      throw new Error(
        `CollectorLoadBalancer ${props.namePrefix}: sslPolicy "${sslPolicy}" allows TLS below 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06`,
      );
    }
    if (props.publicSubnetIds.length < 2) {
      throw new Error(`CollectorLoadBalancer ${props.namePrefix}: an ALB needs public subnets in two availability zones; got ${props.publicSubnetIds.length}`);
    }
    this.targetPort = props.targetPort ?? 8080;

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: physicalName([props.namePrefix, 'collector-alb'], 255),
      description: `Collector load balancer of ${props.namePrefix}`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    for (const port of [80, 443]) {
      new VpcSecurityGroupIngressRule(this, `ingress-${port}`, {
        securityGroupId: this.securityGroup.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: port === 443 ? 'Tracker traffic over HTTPS' : 'HTTP, redirected to HTTPS',
      });
    }

    this.loadBalancer = new Lb(this, 'alb', {
      name: physicalName([props.namePrefix, 'col'], 32),
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: [...props.publicSubnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? false,
      idleTimeout: 60,
    });

    this.targetGroup = new LbTargetGroup(this, 'targets', {
      name: physicalName([props.namePrefix, 'col'], 32),
      port: this.targetPort,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'instance',
      deregistrationDelay: '60',
      healthCheck: {
        enabled: true,
        path: '/health',
        port: 'traffic-port',
        protocol: 'HTTP',
        matcher: '200-399',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });

    if (props.certificateArn !== undefined) {
      const https = new LbListener(this, 'https', {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy,
        certificateArn: props.certificateArn,
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      (props.additionalCertificateArns ?? []).forEach((arn, i) => {
        new LbListenerCertificate(this, `extra-certificate-${i}`, { listenerArn: https.arn, certificateArn: arn });
      });
      this.httpsListener = https;
    }

    this.httpListener = new LbListener(this, 'http', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [
        props.certificateArn !== undefined
          ? { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }
          : // Trackers must never send events over plain HTTP, so nothing is forwarded before HTTPS exists.
            { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '503', messageBody: 'collector certificate pending DNS validation' } },
      ],
    });
  }

  /** Lets the load balancer reach the collector instances' security group, and nothing else. */
  public forwardTo(instanceSecurityGroupId: string): void {
    new VpcSecurityGroupEgressRule(this, 'egress-targets', {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: instanceSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: this.targetPort,
      toPort: this.targetPort,
      description: 'Forward to collector instances',
    });
  }
}
