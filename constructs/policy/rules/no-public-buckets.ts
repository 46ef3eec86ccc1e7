import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { PUBLIC_IAM_MEMBERS } from '../../../customers/schema';
import { isResourceOfType, type PolicyRule, type SynthesizedElements } from '../rule';

const PUBLIC_ENTITIES = ['allUsers', 'allAuthenticatedUsers'];

function publicMembers(attrs: Record<string, unknown>): string[] {
  const members = [
    ...(typeof attrs.member === 'string' ? [attrs.member] : []),
    ...(Array.isArray(attrs.members) ? attrs.members.filter((m): m is string => typeof m === 'string') : []),
  ];
  if (typeof attrs.policy_data === 'string') {
    try {
      const parsed = JSON.parse(attrs.policy_data) as { bindings?: { members?: unknown[] }[] };
      for (const b of parsed.bindings ?? []) members.push(...(b.members ?? []).filter((m): m is string => typeof m === 'string'));
    } catch {
      // an unresolved reference: nothing to read
    }
  }
  return members.filter((m) => PUBLIC_IAM_MEMBERS.includes(m));
}

/**
 * GCS buckets are private: uniform bucket-level access and public access prevention enforced on
 * every bucket, and no bucket IAM or ACL entry for allUsers or allAuthenticatedUsers.
 */
export const noPublicBuckets: PolicyRule = {
  id: 'FLEET-GCS1',
  description: 'GCS buckets enforce uniform bucket-level access and public access prevention, and grant nothing to allUsers/allAuthenticatedUsers',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!(node instanceof TerraformResource)) return [];
    const type = node.terraformResourceType;
    if (isResourceOfType(node, 'google_storage_bucket')) {
      const attrs = synthesized.attributes(node);
      const problems: string[] = [];
      if (attrs.uniform_bucket_level_access !== true) problems.push('bucket allows object ACLs: set uniform_bucket_level_access = true');
      if (attrs.public_access_prevention !== 'enforced') problems.push('bucket can be made public: set public_access_prevention = "enforced"');
      return problems;
    }
    if (/^google_storage_bucket_iam_(member|binding|policy)$/.test(type)) {
      return publicMembers(synthesized.attributes(node)).map((m) => `${type} grants to ${m}, making the bucket public: name the identities that need access`);
    }
    if (['google_storage_bucket_access_control', 'google_storage_default_object_access_control', 'google_storage_object_access_control'].includes(type)) {
      const entity = synthesized.attributes(node).entity;
      return typeof entity === 'string' && PUBLIC_ENTITIES.includes(entity) ? [`${type} grants to ${entity}: remove it; use IAM on the bucket with named identities`] : [];
    }
    if (type === 'google_storage_bucket_acl' || type === 'google_storage_default_object_acl') {
      const attrs = synthesized.attributes(node);
      const entries = [...(Array.isArray(attrs.role_entity) ? attrs.role_entity : [])].filter((e): e is string => typeof e === 'string');
      const bad = entries.filter((e) => PUBLIC_ENTITIES.some((p) => e.endsWith(`:${p}`)));
      const predefined = attrs.predefined_acl;
      return [
        ...bad.map((e) => `${type} entry "${e}" is public: remove it`),
        ...(typeof predefined === 'string' && /^public/i.test(predefined) ? [`${type} uses the public predefined ACL "${predefined}"`] : []),
      ];
    }
    return [];
  },
};
