import { Construct } from 'constructs';
import { Aspects, TerraformStack } from 'cdktf';
import { keepPreparedJson } from '../constructs/policy/synthesized';
import { stackId, type CustomerSpec } from '../customers/schema';
import { ComponentTags } from './component-tags';

export interface PipelineStackProps {
  readonly spec: CustomerSpec;
  /** "Now" from the fleet's clock. */
  readonly now: Date;
}

export const MANAGED_BY = 'pipeline-fleet';

/** The S3 state key of a customer environment: one state per stack. */
export function stateKey(spec: CustomerSpec): string {
  return `${spec.id}/${spec.environment}/terraform.tfstate`;
}

/**
 * One customer environment: its own state (backend key or prefix), provider credentials (on AWS a
 * role assumed in the customer's account, which must be the account named in the file; on GCP the
 * customer's deploy service account, impersonated) and the pipeline. Policy
 * rules run as an aspect, so a violation fails synth.
 */
export class PipelineStack extends TerraformStack {
  constructor(scope: Construct, props: PipelineStackProps) {
    super(scope, stackId(props.spec));
    this.addOverride('terraform.required_version', '>= 1.5.0');
    const { spec } = props;
    switch (spec.cloud) {
      // Each cloud's module is loaded on first use: its provider classes take a few hundred
      // milliseconds to load, which a fleet of one cloud never needs to pay for the other.
      case 'aws':
        (require('./aws-stack') as typeof import('./aws-stack')).configureAws(this, spec, props.now);
        break;
      case 'gcp':
        (require('./gcp-stack') as typeof import('./gcp-stack')).configureGcp(this, spec, props.now);
        break;
    }
    Aspects.of(this).add(new ComponentTags('pipeline'));
  }

  /**
   * TerraformStack.prepareStack ensures a backend, then resolves every element once (to find
   * references to other stacks) and drops the result. Here the same resolve keeps it, and the
   * policy rules (the stack's first aspect, so nothing has changed since) read it instead of
   * resolving every element a second time (resolving is most of a stack's synth time).
   */
  override prepareStack(): void {
    this.ensureBackendExists();
    keepPreparedJson(this);
  }
}
