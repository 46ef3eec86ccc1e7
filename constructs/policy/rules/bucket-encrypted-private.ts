import { TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

function companions(bucket: TerraformResource, type: string, synthesized: SynthesizedElements): Record<string, unknown>[] {
  const ref = `\${${bucket.terraformResourceType}.${bucket.friendlyUniqueId}`;
  const bucketRefs = new Set([`${ref}.id}`, `${ref}.bucket}`]);
  return TerraformStack.of(bucket)
    .node.findAll()
    .filter((n): n is TerraformResource => isResourceOfType(n, type))
    .map((r) => synthesized.attributes(r))
    .filter((attrs) => typeof attrs.bucket === 'string' && bucketRefs.has(attrs.bucket));
}

/** Every S3 bucket has default encryption and all four public access blocks. */
export const bucketEncryptedPrivate: PolicyRule = {
  id: 'FLEET-S3-1',
  description: 'S3 buckets are encrypted by default and block all public access',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!isResourceOfType(node, 'aws_s3_bucket')) return [];
    const problems: string[] = [];
    if (companions(node, 'aws_s3_bucket_server_side_encryption_configuration', synthesized).length === 0) {
      problems.push('S3 bucket has no server-side encryption configuration: add one with aws:kms');
    }
    const blocks = companions(node, 'aws_s3_bucket_public_access_block', synthesized);
    const fullyBlocked = blocks.some((b) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => b[k] === true),
    );
    if (!fullyBlocked) problems.push('S3 bucket does not block public access: add a public access block with all four settings true');
    return problems;
  },
};
