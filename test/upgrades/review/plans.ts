/**
 * Plan JSON for the review tests. Every plan starts as a real `terraform show -json` file from
 * terraform 1.11 (test/fixtures/terraform, made by generate.sh with terraform_data). The aws and
 * google providers cannot be downloaded on these machines, so where a test needs what only they
 * write, a copy is edited by hand, and each edit is named here:
 * - `withIdentity`: the provider_config entry our AwsProvider / GoogleProvider produce
 *   (default_tags or default_labels with customer and environment, the assume-role session name);
 * - `asResource`: a resource change re-typed as a provider resource, with before/after values in
 *   that resource's schema shape (nested blocks as lists, as plan JSON writes them).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TERRAFORM = join(__dirname, '..', '..', 'fixtures', 'terraform');

export type Plan = Record<string, any>;

export function realPlan(name: string): Plan {
  return JSON.parse(readFileSync(join(TERRAFORM, `${name}.plan.json`), 'utf8'));
}

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fleet-review-'));
}

export function save(dir: string, name: string, plan: Plan): string {
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
  return file;
}

/** Hand edit: the provider block a fleet stack of `customer`-`environment` writes into the plan's configuration. */
export function withIdentity(plan: Plan, customer: string, environment: string, cloud: 'aws' | 'gcp' = 'aws'): Plan {
  const copy = structuredClone(plan);
  const providers = (copy.configuration ??= {}).provider_config ??= {};
  if (cloud === 'aws') {
    providers.aws = {
      name: 'aws',
      full_name: 'registry.terraform.io/hashicorp/aws',
      expressions: {
        allowed_account_ids: { constant_value: ['123456789012'] },
        assume_role: [{ role_arn: { constant_value: 'arn:aws:iam::123456789012:role/fleet-deploy' }, session_name: { constant_value: `fleet-${customer}-${environment}` } }],
        default_tags: [{ tags: { constant_value: { customer, environment, 'managed-by': 'pipeline-fleet' } } }],
        region: { constant_value: 'eu-west-1' },
      },
    };
  } else {
    providers.google = {
      name: 'google',
      full_name: 'registry.terraform.io/hashicorp/google',
      expressions: {
        default_labels: { constant_value: { customer, environment, 'managed-by': 'pipeline-fleet' } },
        project: { constant_value: `${customer}-${environment}` },
        region: { constant_value: 'europe-west1' },
      },
    };
  }
  return copy;
}

/**
 * Hand edit: the update-only plan's in-place update re-typed as `type` with these values, as the
 * provider would plan it (ids kept from the real plan).
 */
export function asResource(type: string, before: Record<string, unknown>, after: Record<string, unknown>, name = 'data'): Plan {
  const plan = realPlan('update-only');
  const rc = plan.resource_changes.find((r: Plan) => r.change.actions[0] === 'update');
  rc.type = type;
  rc.name = name;
  rc.address = `${type}.${name}`;
  rc.provider_name = `registry.terraform.io/hashicorp/${type.split('_')[0] === 'google' ? 'google' : 'aws'}`;
  rc.change.before = before;
  rc.change.after = after;
  rc.change.after_unknown = {};
  rc.change.before_sensitive = {};
  rc.change.after_sensitive = {};
  return plan;
}
