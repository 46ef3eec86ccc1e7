import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AWS_RULES } from '../../../constructs/policy/aws-rules';
import { PolicyChecks } from '../../../constructs/policy/rule';
import { keepPreparedJson, SynthesizedElements } from '../../../constructs/policy/synthesized';

/** A stack that keeps its prepare pass's JSON for the rules, as PipelineStack does. */
class PreparedStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
  }

  override prepareStack(): void {
    this.ensureBackendExists();
    keepPreparedJson(this);
  }
}

const app = () => new App({ outdir: mkdtempSync(join(tmpdir(), 'synthesized-')), skipValidation: true });

/** Tags every IAM role with a value FLEET-SEC1 flags. */
class TagWithKey implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.tags = { note: 'AKIAIOSFODNN7EXAMPLE' };
  }
}

describe('SynthesizedElements', () => {
  test('resolves an element once however often it is read', () => {
    // GIVEN
    const stack = new TerraformStack(app(), 's');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const role = new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: '{}' });
    const toTerraform = jest.spyOn(role, 'toTerraform');
    // WHEN
    const view = new SynthesizedElements();
    const first = view.attributes(role);
    const second = view.json(role);
    // THEN
    expect(first).toMatchObject({ name: 'r', assume_role_policy: '{}' });
    expect(second).toEqual({ resource: { aws_iam_role: { role: first } } });
    expect(toTerraform).toHaveBeenCalledTimes(1);
  });

  test('a stack that keeps its prepared JSON still fails synth on a violation', () => {
    const a = app();
    const stack = new PreparedStack(a, 'kept');
    new S3Bucket(stack, 'open', { bucket: 'open' });
    Aspects.of(stack).add(new PolicyChecks(AWS_RULES));
    expect(() => a.synth()).toThrow(/\[kept\/open\] \[FLEET-S3-1\]/);
  });

  test('the rules see what an aspect before them changed, not the JSON prepared before it', () => {
    // GIVEN an aspect that runs before the rules and puts a key in a role's tags
    const a = app();
    const stack = new PreparedStack(a, 'changed');
    new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
    Aspects.of(stack).add(new TagWithKey());
    Aspects.of(stack).add(new PolicyChecks(AWS_RULES));
    // WHEN / THEN
    expect(() => a.synth()).toThrow(/\[changed\/role\] \[FLEET-SEC1\] resource\.aws_iam_role\.role\.tags\.note looks like a secret/);
  });
});
