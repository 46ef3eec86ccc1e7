import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { customerSchema, type AwsCustomerSpec, type CustomerSpec } from '../../customers/schema';
import { PipelineStack } from '../../stacks/pipeline-stack';

export const NOW = new Date('2026-11-27T00:00:00Z');
export const CUSTOMERS_DIR = join(__dirname, '..', '..', 'customers');

/** An example customer file's parsed JSON (before defaults), for tests to modify. */
export function exampleJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(CUSTOMERS_DIR, file), 'utf8')) as Record<string, unknown>;
}

/** A validated AWS spec from an example, after `change` edits its raw JSON. */
export function awsSpec(file = 'acme-retail-prod.json', change: (raw: any) => void = () => {}): AwsCustomerSpec {
  const raw = exampleJson(file);
  change(raw);
  const spec = customerSchema.parse(raw) as CustomerSpec;
  if (spec.cloud !== 'aws') throw new Error(`${file} is not an AWS customer`);
  return spec;
}

/** Synthesized JSON of one customer's stack, as a string for the cdktf matchers. */
export function synthStack(spec: CustomerSpec, now: Date = NOW): string {
  return Testing.synth(new PipelineStack(Testing.app(), { spec, now }));
}

/** All resources of a type in synthesized JSON, as objects. */
export function resources(json: string, type: string): Record<string, any>[] {
  const parsed = JSON.parse(json) as { resource?: Record<string, Record<string, Record<string, any>>> };
  return Object.values(parsed.resource?.[type] ?? {});
}

/** The IAM role policy documents of the role whose name ends with `roleSuffix`. */
export function rolePolicy(json: string, roleNameSuffix: string): { Statement: { Sid?: string; Action: string[]; Resource: string[]; Condition?: any }[] } {
  const parsed = JSON.parse(json) as { resource: Record<string, Record<string, Record<string, any>>> };
  const roles = parsed.resource.aws_iam_role;
  const roleKey = Object.keys(roles).find((k) => String(roles[k].name).endsWith(roleNameSuffix));
  if (!roleKey) throw new Error(`no role named *${roleNameSuffix}`);
  const policy = Object.values(parsed.resource.aws_iam_role_policy).find((p) => p.role === `\${aws_iam_role.${roleKey}.id}`);
  if (!policy) throw new Error(`role *${roleNameSuffix} has no inline policy`);
  return JSON.parse(policy.policy);
}
