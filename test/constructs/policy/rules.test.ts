import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { PolicyChecks } from '../../../constructs/policy/rule';
import type { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ArchiveBucket } from '../../../constructs/aws/archive-bucket';
import { policyJson } from '../../../constructs/aws/policy-document';
import { violations as ruleViolations } from '../../support/violations';
import { AWS_RULES } from '../../../constructs/policy/aws-rules';

/** Error messages the AWS rules leave on a stack built by `build`. */
function violations(build: (stack: TerraformStack) => void): string[] {
  return ruleViolations(AWS_RULES, (s) => new AwsProvider(s, 'aws', { region: 'eu-west-1' }), build);
}

const role = (stack: Construct) =>
  new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });

describe('FLEET-IAM1 no admin wildcard', () => {
  test('flags "*" and "service:*" on "*"', () => {
    const found = violations((s) => {
      new IamRolePolicy(s, 'p', { role: role(s).id, policy: policyJson([{ actions: ['*'], resources: ['*'] }, { actions: ['s3:*'], resources: ['*'] }]) });
    });
    expect(found.filter((m) => m.startsWith('[FLEET-IAM1]'))).toHaveLength(2);
  });

  test('allows named actions on "*" and wildcards on named resources', () => {
    const found = violations((s) => {
      new IamRolePolicy(s, 'p', {
        role: role(s).id,
        policy: policyJson([
          { actions: ['cloudwatch:PutMetricData'], resources: ['*'] },
          { actions: ['s3:*'], resources: ['arn:aws:s3:::bucket/*'] },
          { effect: 'Deny', actions: ['*'], resources: ['*'] },
        ]),
      });
    });
    expect(found).toEqual([]);
  });
});

describe('FLEET-S3-1 buckets encrypted and private', () => {
  test('flags a bare bucket on both counts', () => {
    const found = violations((s) => {
      new S3Bucket(s, 'b', { bucket: 'bare' });
    });
    expect(found).toEqual([expect.stringContaining('no server-side encryption'), expect.stringContaining('does not block public access')]);
  });

  test('passes the ArchiveBucket construct', () => {
    expect(violations((s) => new ArchiveBucket(s, 'a', { bucketName: 'archive', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/x' }))).toEqual([]);
  });
});

describe('FLEET-TLS1 HTTPS listeners use TLS 1.2+', () => {
  const listener = (s: Construct, id: string, sslPolicy?: string) =>
    new LbListener(s, id, { loadBalancerArn: 'arn:lb', port: 443, protocol: 'HTTPS', sslPolicy, certificateArn: 'arn:cert', defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } }] });

  test('flags an old policy and a missing one', () => {
    const found = violations((s) => {
      listener(s, 'old', 'ELBSecurityPolicy-2016-08');
      listener(s, 'none');
    });
    expect(found).toEqual([expect.stringContaining('ELBSecurityPolicy-2016-08'), expect.stringContaining('no ssl_policy')]);
  });

  test('passes TLS 1.3/1.2 policies', () => {
    expect(violations((s) => listener(s, 'ok', 'ELBSecurityPolicy-TLS13-1-2-2021-06'))).toEqual([]);
  });
});

describe('FLEET-EC2-1 IMDSv2 required', () => {
  test('flags a launch template without http_tokens=required', () => {
    const found = violations((s) => {
      new LaunchTemplate(s, 'optional', { name: 'a', metadataOptions: { httpTokens: 'optional' } });
      new LaunchTemplate(s, 'unset', { name: 'b' });
      new LaunchTemplate(s, 'required', { name: 'c', metadataOptions: { httpTokens: 'required' } });
    });
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('[FLEET-EC2-1]');
  });
});

describe('FLEET-SEC1 no secret literals', () => {
  test('flags a key in a tag, a password in an output and a credential in user data', () => {
    const found = violations((s) => {
      new IamRole(s, 'tagged', { name: 't', assumeRolePolicy: '{}', tags: { note: 'AKIAIOSFODNN7EXAMPLE' } });
      new TerraformOutput(s, 'dsn', { value: 'postgres://loader:hunter2hunter2@db.internal:5432/events' });
      new LaunchTemplate(s, 'lt', {
        name: 'lt',
        metadataOptions: { httpTokens: 'required' },
        userData: Buffer.from('#!/bin/bash\nexport DB_PASSWORD=correct-horse-battery\n').toString('base64'),
      });
    });
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toMatch(/tags\.note.*AWS access key id/);
    expect(found.join('\n')).toMatch(/password in a URL/);
    expect(found.join('\n')).toMatch(/user_data \(decoded\)/);
  });

  test('synth fails on a violation and names the rule and the construct', () => {
    const app = new App({ outdir: require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'rules-')) });
    const stack = new TerraformStack(app, 'failing');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new S3Bucket(stack, 'open', { bucket: 'open' });
    Aspects.of(stack).add(new PolicyChecks(AWS_RULES));
    expect(() => app.synth()).toThrow(/\[failing\/open\] \[FLEET-S3-1\]/);
  });
});
