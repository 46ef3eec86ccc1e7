import type { IConstruct } from 'constructs';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

/** Launch templates require IMDSv2 session tokens, closing the SSRF route to instance credentials. */
export const imdsv2Required: PolicyRule = {
  id: 'FLEET-EC2-1',
  description: 'Launch templates require IMDSv2 (http_tokens = required)',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!isResourceOfType(node, 'aws_launch_template')) return [];
    const options = synthesized.attributes(node).metadata_options as { http_tokens?: unknown } | undefined;
    return options?.http_tokens === 'required' ? [] : ['launch template does not require IMDSv2: set metadata_options.http_tokens = "required"'];
  },
};
