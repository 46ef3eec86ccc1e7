import type { IConstruct } from 'constructs';
import { TLS12_OR_NEWER_POLICIES } from '../../aws/collector-load-balancer';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

/** HTTPS listeners negotiate TLS 1.2 or newer only. */
export const httpsListenerTls: PolicyRule = {
  id: 'FLEET-TLS1',
  description: 'HTTPS load balancer listeners use a TLS 1.2+ security policy',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!isResourceOfType(node, 'aws_lb_listener') && !isResourceOfType(node, 'aws_alb_listener')) return [];
    const attrs = synthesized.attributes(node);
    if (attrs.protocol !== 'HTTPS' && attrs.protocol !== 'TLS') return [];
    const policy = attrs.ssl_policy;
    if (typeof policy !== 'string') return ['HTTPS listener has no ssl_policy (the AWS default allows TLS 1.0): set ELBSecurityPolicy-TLS13-1-2-2021-06'];
    return TLS12_OR_NEWER_POLICIES.has(policy) ? [] : [`HTTPS listener uses "${policy}", which allows TLS below 1.2: use ELBSecurityPolicy-TLS13-1-2-2021-06`];
  },
};
