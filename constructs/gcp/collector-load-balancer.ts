import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ComputeBackendService } from '@cdktf/provider-google/lib/compute-backend-service';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule';
import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy';
import { ComputeTargetHttpProxy } from '@cdktf/provider-google/lib/compute-target-http-proxy';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map';
import { physicalName } from '../naming';

/** SSL policy profiles whose minimum the construct may pin to TLS 1.2 (COMPATIBLE keeps legacy ciphers). */
export const SSL_PROFILES = ['MODERN', 'RESTRICTED'] as const;
/** Minimum TLS versions that pass the policy rule. */
export const TLS12_OR_NEWER: ReadonlySet<string> = new Set(['TLS_1_2', 'TLS_1_3']);

export interface GcpCollectorLoadBalancerProps {
  readonly namePrefix: string;
  readonly projectId: string;
  /** Collector domain; a managed certificate is made for it when `managedCertificate` is true. */
  readonly domain: string;
  /** Create a Google-managed certificate for `domain`. Default: false. */
  readonly managedCertificate?: boolean;
  /** Existing certificates (names or projects/<p>/global/sslCertificates/<name>) served besides, or instead of, the managed one. Default: none. */
  readonly certificateIds?: readonly string[];
  /** Default: MODERN. The minimum TLS version is 1.2 for every profile. */
  readonly sslProfile?: (typeof SSL_PROFILES)[number];
  /** Instance group of the collector (a managed instance group's instance_group URL). */
  readonly instanceGroup: string;
  /** Port the collector listens on, published as the group's named port "http". Default: 8080. */
  readonly port?: number;
  /** Share of requests logged. Default: 1 (every request; the collector's traffic is the product). */
  readonly logSampleRate?: number;
}

function certificatePath(projectId: string, id: string): string {
  return id.startsWith('projects/') ? id : `projects/${projectId}/global/sslCertificates/${id}`;
}

/**
 * The collector's public entry point: a global external Application Load Balancer. HTTPS :443
 * serves the certificate(s) under an SSL policy with TLS 1.2 as the minimum and forwards to the
 * collector group's named port; HTTP :80 only answers with a 301 to HTTPS (collector 3.x serves
 * one port and leaves the upgrade to the load balancer). Both listen on one global address.
 */
export class GcpCollectorLoadBalancer extends Construct {
  public readonly address: ComputeGlobalAddress;
  public readonly sslPolicy: ComputeSslPolicy;
  public readonly backendService: ComputeBackendService;
  public readonly urlMap: ComputeUrlMap;
  public readonly urlMapName: string;
  public readonly httpsProxy: ComputeTargetHttpsProxy;
  public readonly redirectUrlMap: ComputeUrlMap;
  public readonly managedCertificate?: ComputeManagedSslCertificate;

  constructor(scope: Construct, id: string, props: GcpCollectorLoadBalancerProps) {
    super(scope, id);
    const profile = props.sslProfile ?? 'MODERN';
    if (!SSL_PROFILES.includes(profile)) {
      throw new Error(`GcpCollectorLoadBalancer ${props.namePrefix}: sslProfile "${profile}" is not one of ${SSL_PROFILES.join(', ')}; use MODERN`);
    }
    const existing = props.certificateIds ?? [];
    if (!props.managedCertificate && existing.length === 0) {
      throw new Error(`GcpCollectorLoadBalancer ${props.namePrefix}: no certificate; set managedCertificate or give certificateIds`);
    }
    if ((props.managedCertificate ? 1 : 0) + existing.length > 15) {
      throw new Error(`GcpCollectorLoadBalancer ${props.namePrefix}: ${existing.length} certificates exceed the proxy's 15; drop retired ones`);
    }
    const logSampleRate = props.logSampleRate ?? 1;
    if (!(logSampleRate >= 0 && logSampleRate <= 1)) throw new Error(`GcpCollectorLoadBalancer ${props.namePrefix}: logSampleRate ${logSampleRate} must be in [0, 1]`);
    const port = props.port ?? 8080;
    const name = (...parts: string[]) => physicalName([props.namePrefix, 'collector', ...parts], 63);
    const project = props.projectId;

    this.address = new ComputeGlobalAddress(this, 'address', { project, name: name('ip'), description: `Point ${props.domain} (A record) here` });

    if (props.managedCertificate) {
      // The name follows the domain, so a new domain gets a new certificate before the old one goes.
      const domainHash = createHash('sha256').update(props.domain).digest('hex').slice(0, 8);
      this.managedCertificate = new ComputeManagedSslCertificate(this, 'certificate', {
        project,
        name: name('cert', domainHash),
        description: `Google-managed certificate for ${props.domain}`,
        managed: { domains: [props.domain] },
        lifecycle: { createBeforeDestroy: true },
      });
    }
    const certificates = [...(this.managedCertificate ? [this.managedCertificate.id] : []), ...existing.map((c) => certificatePath(project, c))];

    this.sslPolicy = new ComputeSslPolicy(this, 'ssl-policy', {
      project,
      name: name('tls'),
      description: `${profile} profile, TLS 1.2 minimum`,
      profile,
      minTlsVersion: 'TLS_1_2',
    });

    const healthCheck = new ComputeHealthCheck(this, 'health', {
      project,
      name: name('lb-health'),
      description: 'Load balancer health check on the collector /health endpoint',
      checkIntervalSec: 5,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      httpHealthCheck: { portSpecification: 'USE_NAMED_PORT', portName: 'http', requestPath: '/health' },
    });

    this.backendService = new ComputeBackendService(this, 'backend', {
      project,
      name: name('backend'),
      description: `Collector instances of ${props.namePrefix} on port ${port}`,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTP',
      portName: 'http',
      timeoutSec: 30,
      connectionDrainingTimeoutSec: 60,
      healthChecks: [healthCheck.id],
      backend: [{ group: props.instanceGroup, balancingMode: 'UTILIZATION', maxUtilization: 0.8, capacityScaler: 1 }],
      logConfig: { enable: true, sampleRate: logSampleRate },
    });

    this.urlMapName = name('https');
    this.urlMap = new ComputeUrlMap(this, 'https-url-map', {
      project,
      name: this.urlMapName,
      description: `Every request for ${props.domain} to the collector`,
      defaultService: this.backendService.id,
    });
    this.httpsProxy = new ComputeTargetHttpsProxy(this, 'https-proxy', {
      project,
      name: name('https'),
      urlMap: this.urlMap.id,
      sslCertificates: certificates,
      sslPolicy: this.sslPolicy.id,
    });
    new ComputeGlobalForwardingRule(this, 'https-rule', {
      project,
      name: name('https'),
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      ipProtocol: 'TCP',
      portRange: '443',
      ipAddress: this.address.address,
      target: this.httpsProxy.id,
    });

    this.redirectUrlMap = new ComputeUrlMap(this, 'redirect-url-map', {
      project,
      name: name('http-redirect'),
      description: 'Plain HTTP answers 301 to the same URL over HTTPS',
      defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
    });
    const httpProxy = new ComputeTargetHttpProxy(this, 'http-proxy', { project, name: name('http'), urlMap: this.redirectUrlMap.id });
    new ComputeGlobalForwardingRule(this, 'http-rule', {
      project,
      name: name('http'),
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      ipProtocol: 'TCP',
      portRange: '80',
      ipAddress: this.address.address,
      target: httpProxy.id,
    });
  }
}
