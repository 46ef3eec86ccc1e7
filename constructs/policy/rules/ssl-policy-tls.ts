import type { IConstruct } from 'constructs';
import { TLS12_OR_NEWER } from '../../gcp/collector-load-balancer';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

const HTTPS_PROXIES = ['google_compute_target_https_proxy', 'google_compute_target_ssl_proxy', 'google_compute_region_target_https_proxy'];

/** GCP SSL policies set TLS 1.2 as the minimum, and every HTTPS/SSL proxy has one (without one, Google's default allows TLS 1.0). */
export const sslPolicyTls12: PolicyRule = {
  id: 'FLEET-GCP-TLS1',
  description: 'GCP SSL policies require TLS 1.2 or newer, and HTTPS/SSL target proxies use one',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (isResourceOfType(node, 'google_compute_ssl_policy') || isResourceOfType(node, 'google_compute_region_ssl_policy')) {
      const min = synthesized.attributes(node).min_tls_version;
      if (typeof min !== 'string') return ['SSL policy has no min_tls_version (the default is TLS 1.0): set min_tls_version = "TLS_1_2"'];
      return TLS12_OR_NEWER.has(min) ? [] : [`SSL policy allows ${min}: set min_tls_version = "TLS_1_2"`];
    }
    const proxy = HTTPS_PROXIES.find((t) => isResourceOfType(node, t));
    if (proxy && typeof synthesized.attributes(node as never).ssl_policy !== 'string') {
      return [`${proxy} has no ssl_policy, so Google's default (TLS 1.0 and up) applies: attach an SSL policy with min_tls_version TLS_1_2`];
    }
    return [];
  },
};
