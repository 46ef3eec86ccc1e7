import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';

/**
 * Hosts outside AWS the apps reach over HTTPS from the private subnets: the image registry
 * (Docker Hub serves `snowplow/*`: the API, its token service and the CDN the layers come from),
 * and Iglu Central, which every resolver lists for Snowplow's own schemas. None has a VPC
 * endpoint, so the private subnets need a NAT gateway (or an egress proxy) either way.
 */
export const INTERNET_HOSTS: readonly string[] = ['registry-1.docker.io', 'auth.docker.io', 'production.cloudflare.docker.com', 'iglucentral.com'];

/**
 * AWS APIs the apps and the boot script call. Through the NAT these need nothing more; a
 * customer who keeps AWS traffic off the NAT creates these endpoints (s3 and dynamodb as gateway
 * endpoints, the rest as interface endpoints with private DNS).
 */
export function awsServiceEndpoints(region: string): string[] {
  return ['kinesis-streams', 'dynamodb', 's3', 'sqs', 'secretsmanager', 'logs', 'monitoring', 'sts', 'rds'].map((s) => `com.amazonaws.${region}.${s}`);
}

export interface NetworkPrerequisitesProps {
  readonly region: string;
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
}

/**
 * What the customer's network must provide before the first deploy, as a stack output the
 * onboarding checklist reads: the stack does not create or change routes in the customer's VPC.
 * Every app security group allows TCP 443 out (plus its database port), which is what these need.
 */
export function addNetworkPrerequisites(scope: Construct, p: NetworkPrerequisitesProps): TerraformOutput {
  return new TerraformOutput(scope, 'network-prerequisites', {
    description: 'Before the first deploy: the private subnets route 0.0.0.0/0 through a NAT gateway (or egress proxy) that reaches these hosts on 443; AWS APIs through the NAT or the listed VPC endpoints',
    value: {
      vpcId: p.vpcId,
      privateSubnetIds: [...p.privateSubnetIds],
      internetHostsOn443: [...INTERNET_HOSTS],
      awsServiceEndpointsIfNoNat: awsServiceEndpoints(p.region),
    },
  });
}
