import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeForwardingRule } from '@cdktf/provider-google/lib/compute-forwarding-rule';
import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check';
import { ComputeRegionBackendService } from '@cdktf/provider-google/lib/compute-region-backend-service';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { physicalName } from '../naming';
import { IGLU_SERVER_CONTRACTS } from '../apps/components/iglu-server';
import { launch } from '../apps/launch';
import { secretEnvVar } from './startup-script';
import { GcpVmService, type GcpNetwork, type GcpVmSizing } from './vm-service';

/** The secret holding the Iglu database user's password; the pipeline always creates it for the Iglu Server. */
export const IGLU_DB_PASSWORD_SECRET = 'iglu-db-password';

export interface GcpIgluServerProps {
  readonly namePrefix: string;
  readonly projectId: string;
  readonly region: string;
  readonly network: GcpNetwork;
  readonly version: string;
  readonly sizing: GcpVmSizing;
  /** Secrets the server reads; must include IGLU_DB_PASSWORD_SECRET. */
  readonly secrets: readonly { readonly secretId: string; readonly envVar: string; readonly name: string }[];
  /** Cloud SQL tier. Default: db-custom-1-3840. */
  readonly databaseTier?: string;
  /** Default: 10. */
  readonly databaseDiskSizeGb?: number;
  /** Regional (high-availability) database, point-in-time recovery and deletion protection. Default: false. */
  readonly production?: boolean;
}

const PORT = 8080;

/**
 * The schema registry: Iglu Server on the VM pattern behind an internal passthrough load
 * balancer on the pipeline's subnetwork, with a Cloud SQL Postgres database reachable on a
 * private IP only and encrypted connections only. The database user's password lives in Secret
 * Manager (set out of band, with the same value given to `gcloud sql users create`), so no
 * password passes through Terraform. Apps that resolve schemas are admitted by service account
 * with `allowClients`.
 */
export class GcpIgluServer extends Construct {
  public readonly service: GcpVmService;
  public readonly database: SqlDatabaseInstance;
  /** API base URL the pipeline apps resolve schemas from. */
  public readonly apiUrl: string;
  /** The load balancer's health check, whose probe results are logged. */
  public readonly healthCheckName: string;
  private readonly props: GcpIgluServerProps;

  constructor(scope: Construct, id: string, props: GcpIgluServerProps) {
    super(scope, id);
    this.props = props;
    const passwordEnv = secretEnvVar(IGLU_DB_PASSWORD_SECRET);
    if (!props.secrets.some((s) => s.envVar === passwordEnv)) {
      throw new Error(`GcpIgluServer ${props.namePrefix}: secrets lack ${IGLU_DB_PASSWORD_SECRET}; create it with the pipeline secrets for iglu-server`);
    }
    const production = props.production ?? false;
    const name = (max: number, ...parts: string[]) => physicalName([props.namePrefix, 'iglu', ...parts], max);
    const project = props.projectId;

    const instanceName = name(80);
    this.database = new SqlDatabaseInstance(this, 'db', {
      project,
      region: props.region,
      name: instanceName,
      databaseVersion: 'POSTGRES_16',
      deletionProtection: production,
      settings: {
        // Custom tiers belong to the Enterprise edition (Enterprise Plus uses its own machine series).
        edition: 'ENTERPRISE',
        tier: props.databaseTier ?? 'db-custom-1-3840',
        availabilityType: production ? 'REGIONAL' : 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: props.databaseDiskSizeGb ?? 10,
        diskAutoresize: true,
        deletionProtectionEnabled: production,
        ipConfiguration: { ipv4Enabled: false, privateNetwork: props.network.network, sslMode: 'ENCRYPTED_ONLY' },
        backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: production, startTime: '02:00' },
        userLabels: { component: 'iglu-server' },
      },
    });
    new SqlDatabase(this, 'database', { project, instance: this.database.name, name: 'iglu' });

    const customerSecrets = props.secrets.filter((s) => s.name !== IGLU_DB_PASSWORD_SECRET);
    this.service = new GcpVmService(this, 'service', {
      component: 'iglu-server',
      namePrefix: props.namePrefix,
      projectId: project,
      region: props.region,
      network: props.network,
      sizing: props.sizing,
      launch: launch(
        IGLU_SERVER_CONTRACTS,
        { cloud: 'gcp', projectId: project },
        'iglu-server',
        { version: props.version, secrets: customerSecrets.map((s) => s.name), sizing: props.sizing },
        { port: PORT, dbName: 'iglu', dbUser: 'iglu' },
      ),
      secretIds: Object.fromEntries(customerSecrets.map((s) => [s.name, s.secretId])),
      boot: { igluDatabase: { host: this.database.privateIpAddress, passwordSecretId: props.secrets.find((s) => s.name === IGLU_DB_PASSWORD_SECRET)!.secretId } },
    });

    const healthCheck = new ComputeHealthCheck(this, 'lb-health', {
      project,
      name: name(63, 'lb-health'),
      description: 'Internal load balancer health check on the Iglu Server health endpoint',
      checkIntervalSec: 10,
      timeoutSec: 5,
      httpHealthCheck: { port: PORT, requestPath: '/api/meta/health' },
      // Probe results turning unhealthy are logged; the Iglu health alert matches them.
      logConfig: { enable: true },
    });
    this.healthCheckName = healthCheck.name;
    const backend = new ComputeRegionBackendService(this, 'backend', {
      project,
      region: props.region,
      name: name(63),
      loadBalancingScheme: 'INTERNAL',
      protocol: 'TCP',
      healthChecks: [healthCheck.id],
      connectionDrainingTimeoutSec: 30,
      backend: [{ group: this.service.group.instanceGroup, balancingMode: 'CONNECTION' }],
    });
    const rule = new ComputeForwardingRule(this, 'address', {
      project,
      region: props.region,
      name: name(63),
      loadBalancingScheme: 'INTERNAL',
      ipProtocol: 'TCP',
      ports: [String(PORT)],
      network: props.network.network,
      subnetwork: props.network.subnetwork,
      backendService: backend.id,
    });
    this.apiUrl = `http://${rule.ipAddress}:${PORT}/api`;

    new TerraformOutput(this, 'create-database-user', {
      description: 'Once, after the first deploy: create the Iglu database user with the password kept in Secret Manager',
      value: `gcloud sql users create iglu --project ${project} --instance ${instanceName} --password "$(gcloud secrets versions access latest --project ${project} --secret ${props.secrets.find((s) => s.envVar === passwordEnv)!.secretId})"`,
    });
  }

  /** Lets the apps running as these service accounts reach the Iglu Server, and nothing else. */
  public allowClients(serviceAccountEmails: readonly string[]): void {
    if (serviceAccountEmails.length === 0) return;
    new ComputeFirewall(this, 'allow-clients', {
      project: this.props.network.project,
      name: physicalName([this.props.namePrefix, 'iglu', 'allow-clients'], 63),
      description: 'Pipeline apps resolve schemas from the Iglu Server',
      network: this.props.network.network,
      direction: 'INGRESS',
      sourceServiceAccounts: [...serviceAccountEmails],
      targetServiceAccounts: [this.service.serviceAccount.email],
      allow: [{ protocol: 'tcp', ports: [String(PORT)] }],
    });
  }
}
