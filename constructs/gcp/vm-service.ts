import { Construct } from 'constructs';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check';
import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeRegionAutoscaler } from '@cdktf/provider-google/lib/compute-region-autoscaler';
import { ComputeRegionInstanceGroupManager } from '@cdktf/provider-google/lib/compute-region-instance-group-manager';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { physicalName } from '../naming';
import { grantRole } from './iam';
import type { LaunchDescription } from '../apps/contract';
import { renderStartupScript, type GcpBootProps } from './startup-script';

/** Container-Optimized OS, resolved from the family when a template is created, so new templates get the patched image. */
export const COS_IMAGE = 'projects/cos-cloud/global/images/family/cos-stable';

/** Source ranges of Google's health checkers and of the global external load balancer's proxies. */
export const GOOGLE_FRONT_END_RANGES: readonly string[] = ['130.211.0.0/22', '35.191.0.0/16'];

export interface GcpVmSizing {
  readonly machineType: string;
  readonly minSize: number;
  readonly maxSize: number;
}

export interface GcpNetwork {
  /** projects/<project>/global/networks/<name> */
  readonly network: string;
  /** projects/<project>/regions/<region>/subnetworks/<name> */
  readonly subnetwork: string;
  /** Project that owns the network (the shared VPC host, or the pipeline project). */
  readonly project: string;
}

export interface GcpVmServiceProps {
  /** Component name, used in resource names and the component label (e.g. "enrich"). */
  readonly component: string;
  /** Stack-level name prefix (<customer>-<environment>). */
  readonly namePrefix: string;
  readonly projectId: string;
  readonly region: string;
  readonly network: GcpNetwork;
  readonly sizing: GcpVmSizing;
  /** What runs on the VMs, from the component's app contract. */
  readonly launch: LaunchDescription;
  /** Secrets the launch reads: Secret Manager id by short secret name (access is granted by the caller on each secret). Default: none. */
  readonly secretIds?: Readonly<Record<string, string>>;
  /** Iglu Server URL and database, when a boot value needs them. Default: none. */
  readonly boot?: Pick<GcpBootProps, 'igluUrl' | 'igluDatabase'>;
  /**
   * HTTP endpoint that says the app is healthy. With it, the group heals instances that fail it,
   * a named port "http" is published and Google's health-check ranges may reach the port.
   * Default: none (a consumer with no inbound traffic; Docker restarts the app and the group
   * recreates instances that stop). Default: the launch's health endpoint.
   */
  readonly health?: { readonly port: number; readonly path: string } | 'none';
  /** Average CPU utilisation the autoscaler aims for. Default: 0.6. */
  readonly cpuTarget?: number;
  /** Boot disk size. Default: 20 GB. */
  readonly diskSizeGb?: number;
}

/**
 * One pipeline app on VMs: its own service account (log and metric writing only; the caller adds
 * bindings on the exact resources the app uses), a shielded Container-Optimized OS instance
 * template without an external IP that runs the pinned image(s), and a regional managed instance
 * group that replaces instances proactively when the template changes, heals them on a failed
 * health check and scales between the sizing bounds on CPU.
 */
export class GcpVmService extends Construct {
  public readonly component: string;
  public readonly serviceAccount: ServiceAccount;
  /** "serviceAccount:<email>" of the app. */
  public readonly member: string;
  public readonly template: ComputeInstanceTemplate;
  public readonly group: ComputeRegionInstanceGroupManager;
  public readonly groupName: string;
  public readonly minSize: number;
  public readonly healthCheck?: ComputeHealthCheck;
  /** The startup script in the template (Terraform template syntax escaped), for tests and reviews. */
  public readonly startupScript: string;
  public readonly launch: LaunchDescription;

  constructor(scope: Construct, id: string, props: GcpVmServiceProps) {
    super(scope, id);
    this.component = props.component;
    const { sizing } = props;
    if (sizing.maxSize < sizing.minSize) {
      throw new Error(`GcpVmService ${props.component}: maxSize ${sizing.maxSize} is below minSize ${sizing.minSize}; raise maxSize`);
    }
    const cpuTarget = props.cpuTarget ?? 0.6;
    if (!(cpuTarget > 0 && cpuTarget <= 1)) throw new Error(`GcpVmService ${props.component}: cpuTarget ${cpuTarget} must be in (0, 1]; e.g. 0.6`);
    const name = (max: number, ...suffix: string[]) => physicalName([props.namePrefix, props.component, ...suffix], max);
    this.minSize = sizing.minSize;

    this.serviceAccount = new ServiceAccount(this, 'sa', {
      project: props.projectId,
      accountId: name(30),
      displayName: `${props.component} of ${props.namePrefix}`.slice(0, 100),
      description: `Runs the ${props.component} app of ${props.namePrefix}; bindings on its own topics, subscriptions, dataset and secrets only`,
    });
    this.member = this.serviceAccount.member;
    // Log and metric writes have no narrower resource than the project.
    for (const role of ['roles/logging.logWriter', 'roles/monitoring.metricWriter']) {
      grantRole(this, `project-${role.split('/')[1].replace('.', '-')}`, { kind: 'project', project: props.projectId }, role, this.member);
    }

    this.launch = props.launch;
    this.startupScript = renderStartupScript(props.launch, { projectId: props.projectId, secretIds: props.secretIds, ...props.boot });
    const health = props.health === 'none' ? undefined : (props.health ?? props.launch.health);
    const images = [...new Set([...props.launch.setup, ...props.launch.containers].map((c) => c.image))];

    this.template = new ComputeInstanceTemplate(this, 'template', {
      project: props.projectId,
      region: props.region,
      // A template cannot change in place: a new one is made first, then the group rolls to it.
      namePrefix: `${name(36)}-`,
      lifecycle: { createBeforeDestroy: true },
      description: `${props.component} ${images.join(' ')}`.slice(0, 255),
      machineType: sizing.machineType,
      disk: [{ boot: true, autoDelete: true, sourceImage: COS_IMAGE, diskType: 'pd-balanced', diskSizeGb: props.diskSizeGb ?? 20 }],
      // No access config: no external IP. Egress goes through the network's Cloud NAT.
      networkInterface: [{ network: props.network.network, subnetwork: props.network.subnetwork, subnetworkProject: props.network.project }],
      serviceAccount: { email: this.serviceAccount.email, scopes: ['cloud-platform'] },
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      scheduling: { automaticRestart: true, onHostMaintenance: 'MIGRATE' },
      metadata: {
        'startup-script': this.startupScript,
        'enable-oslogin': 'TRUE',
        'block-project-ssh-keys': 'TRUE',
      },
      labels: { component: props.component },
    });

    if (health) {
      this.healthCheck = new ComputeHealthCheck(this, 'autoheal', {
        project: props.projectId,
        name: name(63, 'autoheal'),
        description: `Heals ${props.component} instances that stop answering ${health.path}`,
        checkIntervalSec: 10,
        timeoutSec: 5,
        healthyThreshold: 2,
        // Lenient: healing recreates the VM, so only a sustained failure should trigger it.
        unhealthyThreshold: 6,
        httpHealthCheck: { port: health.port, requestPath: health.path },
      });
      new ComputeFirewall(this, 'allow-google-front-ends', {
        project: props.network.project,
        name: name(63, 'allow-gfe'),
        description: `Google health checkers and load balancer proxies to ${props.component} on ${health.port} only`,
        network: props.network.network,
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: [...GOOGLE_FRONT_END_RANGES],
        targetServiceAccounts: [this.serviceAccount.email],
        allow: [{ protocol: 'tcp', ports: [String(health.port)] }],
        logConfig: { metadata: 'EXCLUDE_ALL_METADATA' },
      });
    }

    this.groupName = name(63);
    this.group = new ComputeRegionInstanceGroupManager(this, 'group', {
      project: props.projectId,
      region: props.region,
      name: this.groupName,
      baseInstanceName: name(54),
      description: `${props.component} of ${props.namePrefix}`,
      version: [{ name: 'primary', instanceTemplate: this.template.selfLinkUnique }],
      namedPort: health ? [{ name: 'http', port: health.port }] : undefined,
      autoHealingPolicies: this.healthCheck ? { healthCheck: this.healthCheck.id, initialDelaySec: 300 } : undefined,
      updatePolicy: {
        type: 'PROACTIVE',
        minimalAction: 'REPLACE',
        instanceRedistributionType: 'PROACTIVE',
        replacementMethod: 'SUBSTITUTE',
        // A regional group spreads over three zones: a fixed surge must be 0 or at least 3.
        maxSurgeFixed: 3,
        maxUnavailableFixed: 0,
      },
      waitForInstances: false,
    });

    new ComputeRegionAutoscaler(this, 'autoscaler', {
      project: props.projectId,
      region: props.region,
      name: name(63),
      target: this.group.id,
      autoscalingPolicy: {
        minReplicas: sizing.minSize,
        maxReplicas: sizing.maxSize,
        // JVM apps take a while to warm up; early samples would scale out for nothing.
        cooldownPeriod: 180,
        cpuUtilization: { target: cpuTarget },
      },
    });
  }
}
