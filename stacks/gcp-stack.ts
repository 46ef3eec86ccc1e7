import { Aspects, GcsBackend, type TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcpPipeline } from '../constructs/gcp/gcp-pipeline';
import { PlanIdentity } from '../constructs/gcp/plan-identity';
import { gcpRules } from '../constructs/policy/gcp-rules';
import { PolicyChecks } from '../constructs/policy/rule';
import { stackId, type GcpCustomerSpec } from '../customers/schema';
import { MANAGED_BY } from './pipeline-stack';

/** The GCS state prefix of a customer environment: `[<prefix>/]<customer>/<environment>`, one state per stack. */
export function statePrefix(spec: GcpCustomerSpec): string {
  return [spec.stateBackend.prefix, spec.id, spec.environment].filter((p) => p !== undefined && p !== '').join('/');
}

/** Backend, provider, pipeline and policy rules of a GCP customer environment. */
export function configureGcp(stack: TerraformStack, spec: GcpCustomerSpec, now: Date): void {
  const deployer = spec.gcp.deployServiceAccount;
  // The state is read and written as the deploy service account too: an engineer needs only
  // permission to impersonate it, never direct access to the customer's project or state.
  new GcsBackend(stack, { bucket: spec.stateBackend.bucket, prefix: statePrefix(spec), impersonateServiceAccount: deployer });
  const provider = new GoogleProvider(stack, 'google', { project: spec.gcp.projectId, region: spec.gcp.region, impersonateServiceAccount: deployer });
  // Set as an override: cdktf snake-cases the keys of a provider's map arguments ("managed-by" would become "managed_by").
  provider.addOverride('default_labels', { customer: spec.id, environment: spec.environment, 'managed-by': MANAGED_BY });
  new GcpPipeline(stack, 'pipeline', { spec, now });
  // CI's plan identity is one of the managing team's principals (listed, or a member of its group).
  new PlanIdentity(stack, 'plan-identity', { namePrefix: stackId(spec), projectId: spec.gcp.projectId, impersonators: spec.operators.principals, state: { bucket: spec.stateBackend.bucket, prefix: statePrefix(spec) } });
  Aspects.of(stack).add(new PolicyChecks(gcpRules(spec)));
}
