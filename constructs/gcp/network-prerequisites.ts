import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { physicalName } from '../naming';
import type { GcpNetwork } from './vm-service';

/** Google APIs the stack and the apps call; a project where one is disabled fails on first use. */
export const REQUIRED_GOOGLE_APIS: readonly string[] = [
  'compute.googleapis.com',
  'pubsub.googleapis.com',
  'bigquery.googleapis.com',
  'secretmanager.googleapis.com',
  'monitoring.googleapis.com',
  'logging.googleapis.com',
  'iam.googleapis.com',
  // Grant readers impersonate their service account.
  'iamcredentials.googleapis.com',
  'cloudresourcemanager.googleapis.com',
];

/** Needed only with the Iglu Server: its Cloud SQL database lives on a private IP. */
export const IGLU_GOOGLE_APIS: readonly string[] = ['sqladmin.googleapis.com', 'servicenetworking.googleapis.com'];

/** Hosts outside Google the apps reach on 443: Docker Hub (image, token service, layer CDN) and Iglu Central. */
export const GCP_INTERNET_HOSTS: readonly string[] = ['registry-1.docker.io', 'auth.docker.io', 'production.cloudflare.docker.com', 'iglucentral.com'];

export interface GcpNetworkPrerequisitesProps {
  readonly namePrefix: string;
  readonly network: GcpNetwork;
  /** Service accounts of every pipeline app. */
  readonly serviceAccountEmails: readonly string[];
  /** The Iglu Server's service account and its database's private IP, when Iglu runs. */
  readonly iglu?: { readonly serviceAccountEmail: string; readonly databaseIp: string };
}

/**
 * Egress the apps need, made explicit so a customer VPC with a deny-all egress policy still lets
 * the pipeline out: HTTPS from the apps' service accounts (Google APIs, the image registry, Iglu
 * Central) and Postgres from the Iglu Server to its own database only. The instances have no
 * external address, so what reaches the internet goes through the customer's Cloud NAT; the
 * output says what the network must provide, which the stack does not create in a shared VPC.
 */
export class GcpNetworkPrerequisites extends Construct {
  constructor(scope: Construct, id: string, props: GcpNetworkPrerequisitesProps) {
    super(scope, id);
    const { network } = props;
    new ComputeFirewall(this, 'allow-https-egress', {
      project: network.project,
      name: physicalName([props.namePrefix, 'allow-https-egress'], 63),
      description: 'Pipeline apps to Google APIs, the image registry and Iglu Central over HTTPS',
      network: network.network,
      direction: 'EGRESS',
      priority: 1000,
      destinationRanges: ['0.0.0.0/0'],
      targetServiceAccounts: [...props.serviceAccountEmails],
      allow: [{ protocol: 'tcp', ports: ['443'] }],
    });
    if (props.iglu) {
      new ComputeFirewall(this, 'allow-iglu-database-egress', {
        project: network.project,
        name: physicalName([props.namePrefix, 'iglu-db-egress'], 63),
        description: 'Iglu Server to its Cloud SQL database only',
        network: network.network,
        direction: 'EGRESS',
        priority: 1000,
        destinationRanges: [`${props.iglu.databaseIp}/32`],
        targetServiceAccounts: [props.iglu.serviceAccountEmail],
        allow: [{ protocol: 'tcp', ports: ['5432'] }],
      });
    }
    new TerraformOutput(this, 'network-prerequisites', {
      description:
        'Before the first deploy: these APIs enabled in the project; the subnetwork with Private Google Access and a Cloud NAT on its region (the instances have no external IP); with Iglu, private services access (a servicenetworking connection) on the network for Cloud SQL',
      value: {
        network: network.network,
        subnetwork: network.subnetwork,
        enabledApis: [...REQUIRED_GOOGLE_APIS, ...(props.iglu ? IGLU_GOOGLE_APIS : [])],
        internetHostsOn443ThroughCloudNat: [...GCP_INTERNET_HOSTS],
        privateGoogleAccess: true,
        privateServicesAccess: props.iglu !== undefined,
      },
    });
  }
}
