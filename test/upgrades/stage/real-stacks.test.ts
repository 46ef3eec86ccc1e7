/**
 * Change sets between two real syntheses of an example customer, the second with one setting
 * changed in memory: what `fleet upgrades stage` computes for a wave.
 */
import { readdirSync } from 'node:fs';
import { customerSchema, type CustomerSpec } from '../../../customers/schema';
import { computeChangeSet } from '../../../upgrades/stage/change-set';
import { FORCE_NEW } from '../../../upgrades/stage/force-new';
import type { ChangeSet, TerraformConfig } from '../../../upgrades/stage/types';
import { CUSTOMERS_DIR, awsSpec, exampleJson, synthStack } from '../../support/specs';

function spec(file: string, change: (raw: any) => void = () => {}): CustomerSpec {
  const raw = exampleJson(file);
  change(raw);
  return customerSchema.parse(raw) as CustomerSpec;
}

const synth = (s: CustomerSpec): TerraformConfig => JSON.parse(synthStack(s)) as TerraformConfig;
/** Unchanged examples are synthesized once for all tests: synthesis is what makes this file slow. */
const examples = new Map<string, TerraformConfig>();
const example = (file: string): TerraformConfig => {
  if (!examples.has(file)) examples.set(file, synth(spec(file)));
  return examples.get(file)!;
};
const summary = (cs: ChangeSet) => cs.changes.map((c) => `${c.action} ${c.address.split('.')[0]}: ${c.paths.join(', ')}`);

describe('acme-retail-prod (AWS)', () => {
  const baseline = example('acme-retail-prod.json');

  test('a collector version bump updates its launch template in place and rolls the group; nothing blocks', () => {
    const cs = computeChangeSet('acme-retail-prod', baseline, synth(awsSpec(undefined, (raw) => (raw.components.collector.version = '3.3.0'))));
    expect(summary(cs)).toEqual([
      'update aws_autoscaling_group: launch_template.version',
      'update aws_launch_template: description, tag_specifications.0.tags.image, user_data',
    ]);
    expect(cs.changes.every((c) => c.address.includes('collector'))).toBe(true);
    expect(cs.changes.some((c) => c.uncertain)).toBe(false);
    expect(cs.risks).toEqual([]);
  });

  test('moving to on-demand streams updates the three streams in place (UpdateStreamMode): no replace', () => {
    const cs = computeChangeSet('acme-retail-prod', baseline, synth(awsSpec(undefined, (raw) => (raw.streams = { mode: 'on-demand', retentionHours: 48 }))));
    expect(summary(cs)).toEqual([0, 1, 2].map(() => 'update aws_kinesis_stream: shard_count, stream_mode_details.stream_mode'));
    expect(cs.risks.filter((r) => r.level === 'blocking')).toEqual([]);
  });

  test('a new bucket name (the account id is part of it) replaces the archive bucket: blocking', () => {
    const cs = computeChangeSet('acme-retail-prod', baseline, synth(awsSpec(undefined, (raw) => (raw.aws.accountId = '210987654399'))));
    const bucket = cs.changes.find((c) => c.type === 'aws_s3_bucket');
    expect(bucket).toMatchObject({ action: 'replace', replacePaths: ['bucket'] });
    expect(cs.risks[0]).toEqual({
      level: 'blocking',
      address: bucket!.address,
      reason: 'replaces an S3 bucket (forced by bucket): the objects in it are lost (or the delete fails on a non-empty bucket and leaves the apply half done)',
    });
    // Its configuration resources point at the bucket's id, which is new: they are replaced with it.
    const configuration = cs.changes.filter((c) => c.type.startsWith('aws_s3_bucket_'));
    expect(configuration).toHaveLength(5);
    for (const c of configuration) expect(c).toMatchObject({ action: 'replace', replacePaths: ['bucket'], knownAfterApply: expect.arrayContaining(['bucket']) });
    // The new account id also reaches the KMS key policy: a principal it did not name before is a warning.
    expect(cs.risks.some((r) => r.level === 'warning' && r.address.startsWith('aws_kms_key.') && r.reason.includes('arn:aws:iam::210987654399:root'))).toBe(true);
  });
});

describe('helios-media-prod (GCP)', () => {
  test('a bigquery-loader version bump replaces its instance template and updates the group in place; nothing blocks', () => {
    const before = example('helios-media-prod.json');
    const after = synth(spec('helios-media-prod.json', (raw) => (raw.components['bigquery-loader'].version = '1.7.3')));
    const cs = computeChangeSet('helios-media-prod', before, after);
    expect(summary(cs)).toEqual([
      'replace google_compute_instance_template: description, metadata.startup-script',
      'update google_compute_region_instance_group_manager: version.0.instance_template',
    ]);
    expect(cs.risks).toEqual([]);
  });
});

test('every resource type the example customers synthesize is in the force-new table', () => {
  const types = new Set<string>();
  for (const file of readdirSync(CUSTOMERS_DIR).filter((f) => f.endsWith('.json') && f !== 'customer.schema.json')) {
    for (const type of Object.keys(example(file).resource ?? {})) types.add(type);
  }
  expect(types.size).toBeGreaterThan(50);
  // A construct that starts using a new type should add its row, not leave reviewers with uncertain updates.
  expect([...types].filter((t) => !(t in FORCE_NEW)).sort()).toEqual([]);
});
