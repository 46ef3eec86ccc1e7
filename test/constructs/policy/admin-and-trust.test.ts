import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, TerraformStack } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { CustomerRole } from '../../../constructs/aws/customer-role';
import { trustPolicyJson } from '../../../constructs/aws/policy-document';
import { AWS_RULES, awsRules } from '../../../constructs/policy/aws-rules';
import { GCP_RULES, gcpRules } from '../../../constructs/policy/gcp-rules';
import { PolicyChecks, PolicyViolationError } from '../../../constructs/policy/rule';
import { validateCustomerTexts } from '../../../customers/load';
import { synthFleet } from '../../../stacks/synth-fleet';
import { NOW, awsSpec, exampleJson, synthStack } from '../../support/specs';
import { violations } from '../../support/violations';

const aws = (s: TerraformStack) => new AwsProvider(s, 'aws', { region: 'eu-west-1' });
const TEAM = 'arn:aws:iam::210987654321:role/analytics-team';

describe('policy rules cannot be switched off from the environment', () => {
  const saved = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  beforeEach(() => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = saved;
  });

  test('with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, a violation still fails synth and writes no cdk.tf.json', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'bypass-'));
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, 'bypass');
    aws(stack);
    new IamRolePolicyAttachment(stack, 'admin', { role: 'r', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    Aspects.of(stack).add(new PolicyChecks(AWS_RULES));
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    const message = (error as Error).message;
    expect(message).toMatch(/\[bypass\/admin\] \[FLEET-IAM2\] aws_iam_role_policy_attachment attaches AdministratorAccess.*: attach a policy with the exact actions/);
    expect(message).toMatch(/Fix each resource as its message says/);
    expect(message).not.toMatch(/CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS/);
    expect(existsSync(join(outdir, 'stacks', 'bypass', 'cdk.tf.json'))).toBe(false);
  });

  test('fleet synth never writes "*" on "*", even with the variable set', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'bypass-fleet-')), 'out');
    const spec = awsSpec('acme-retail-prod.json', (raw) => raw.roles[0].statements.push({ actions: ['*'], resources: ['*'] }));
    await expect(synthFleet([spec], { outDir, now: NOW, workers: 1 })).rejects.toThrow(/\[FLEET-IAM1\] aws_iam_role_policy allows "\*" on "\*": name the actions/);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(join(outDir, '..'))).toEqual([]);
  });
});

describe('FLEET-IAM2 no administrator policies on roles', () => {
  test.each(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'])('flags %s attached to a customer role', (name) => {
    const found = violations(AWS_RULES, aws, (s) => {
      new CustomerRole(s, 'customer', { roleName: 'c', description: 'd', assumedBy: [TEAM], managedPolicyArns: [`arn:aws:iam::aws:policy/${name}`] });
    });
    expect(found).toEqual([`[FLEET-IAM2] aws_iam_role_policy_attachment attaches ${name}, an administrator policy: attach a policy with the exact actions and resources the role needs`]);
  });

  test('flags an administrator policy in a role\'s managed_policy_arns, in any partition', () => {
    const found = violations(AWS_RULES, aws, (s) => {
      new IamRole(s, 'r', { name: 'r', assumeRolePolicy: trustPolicyJson([{ principals: { AWS: [TEAM] } }]), managedPolicyArns: ['arn:aws-us-gov:iam::aws:policy/AdministratorAccess'] });
    });
    expect(found).toEqual([expect.stringMatching(/^\[FLEET-IAM2\] aws_iam_role attaches AdministratorAccess/)]);
  });

  test.each(['roles/owner', 'roles/iam.securityAdmin', 'roles/resourcemanager.projectIamAdmin'])('flags the GCP role %s', (role) => {
    const found = violations(GCP_RULES, (s) => new GoogleProvider(s, 'google', { project: 'p-rules', region: 'europe-west1' }), (s) => {
      new ProjectIamMember(s, 'm', { project: 'p-rules', role, member: 'group:analysts@example.com' });
    });
    expect(found).toContain(`[FLEET-IAM2] google_project_iam_member grants ${role}, an administrator role: grant a predefined role on the exact resource`);
  });

  test('Token Creator is an administrator role on a project, not on one service account (impersonating that account only)', () => {
    const found = violations(GCP_RULES, (s) => new GoogleProvider(s, 'google', { project: 'p-rules', region: 'europe-west1' }), (s) => {
      const sa = new ServiceAccount(s, 'sa', { accountId: 'plan' });
      new ServiceAccountIamMember(s, 'one', { serviceAccountId: sa.name, role: 'roles/iam.serviceAccountTokenCreator', member: 'group:ops@example.com' });
      new ProjectIamMember(s, 'all', { project: 'p-rules', role: 'roles/iam.serviceAccountTokenCreator', member: 'group:ops@example.com' });
    });
    expect(found).toEqual(['[FLEET-IAM2] google_project_iam_member grants roles/iam.serviceAccountTokenCreator, an administrator role: grant a predefined role on the exact resource']);
  });

  test('passes a customer role with a narrow managed policy', () => {
    const found = violations(AWS_RULES, aws, (s) => {
      new CustomerRole(s, 'customer', { roleName: 'c', description: 'd', assumedBy: [TEAM], managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] });
    });
    expect(found).toEqual([]);
  });

  test('a customer file asking for AdministratorAccess is refused at validation, with the fix', () => {
    const raw = exampleJson('acme-retail-prod.json') as any;
    raw.roles[0].managedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
    const { issues } = validateCustomerTexts([{ file: 'acme-retail-prod.json', text: JSON.stringify(raw) }], { now: NOW });
    expect(issues).toEqual([expect.objectContaining({ path: 'roles.0.managedPolicyArns.0', expected: 'a managed policy narrower than an administrator policy', hint: expect.stringMatching(/statements/) })]);
  });

  test('a GCP customer role bound to roles/iam.securityAdmin is refused at validation', () => {
    const raw = exampleJson('helios-media-prod.json') as any;
    raw.roles[0].bindings[0].role = 'roles/iam.securityAdmin';
    const { issues } = validateCustomerTexts([{ file: 'helios-media-prod.json', text: JSON.stringify(raw) }], { now: NOW });
    expect(issues).toEqual([expect.objectContaining({ path: 'roles.0.bindings.0.role', expected: 'a role without administrator rights' })]);
  });
});

describe('FLEET-IAM3 trust only principals on the allow-list', () => {
  const rules = awsRules({ trustedPrincipals: [{ principal: TEAM, reason: 'the analytics team reads the archive' }] });
  const trusting = (principals: Record<string, string[]>) => (s: TerraformStack) =>
    new IamRole(s, 'r', { name: 'r', assumeRolePolicy: trustPolicyJson([{ principals }]) });

  test('flags a role that trusts an account not on the allow-list', () => {
    const found = violations(rules, aws, trusting({ AWS: ['arn:aws:iam::999999999999:root'] }));
    expect(found).toEqual([
      '[FLEET-IAM3] aws_iam_role trusts AWS arn:aws:iam::999999999999:root, which is not on the allow-list: add it to trustedPrincipals in the customer file with a reason, or remove it from the role',
    ]);
  });

  test('flags a role that trusts "*"', () => {
    const found = violations(rules, aws, (s) => new IamRole(s, 'r', { name: 'r', assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] }) }));
    expect(found).toEqual([expect.stringMatching(/^\[FLEET-IAM3\] aws_iam_role trusts "\*" \(any AWS account\)/)]);
  });

  // IAM refuses trust in a role that does not exist yet; the account root narrowed by aws:PrincipalArn is the way round it.
  const rootNarrowedTo = (op: string, arns: string[]) => (s: TerraformStack) =>
    new IamRole(s, 'r', {
      name: 'r',
      assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole', Condition: { [op]: { 'aws:PrincipalArn': arns } } }] }),
    });

  test('passes an account root narrowed with aws:PrincipalArn to listed principals of that account only', () => {
    expect(violations(rules, aws, rootNarrowedTo('ArnEquals', [TEAM]))).toEqual([]);
    expect(violations(rules, aws, rootNarrowedTo('ArnEquals', [TEAM, 'arn:aws:iam::210987654321:role/other']))).toHaveLength(1);
    expect(violations(rules, aws, rootNarrowedTo('ArnLike', ['arn:aws:iam::210987654321:role/*']))).toHaveLength(1);
    expect(violations(rules, aws, trusting({ AWS: ['arn:aws:iam::210987654321:root'] }))).toHaveLength(1);
  });

  test('CI\'s plan role is trusted only when the customer file lists it', () => {
    const ci = 'arn:aws:iam::100000000001:role/fleet-plan';
    expect(violations(awsRules({ trustedPrincipals: [{ principal: ci, reason: 'CI plans' }] }), aws, trusting({ AWS: [ci] }))).toEqual([]);
    expect(violations(awsRules({ trustedPrincipals: [] }), aws, trusting({ AWS: [ci] }))).toHaveLength(1);
  });

  test('passes listed principals and the pipeline\'s own EC2 instances', () => {
    expect(violations(rules, aws, trusting({ AWS: [TEAM] }))).toEqual([]);
    expect(violations(rules, aws, trusting({ Service: ['ec2.amazonaws.com'] }))).toEqual([]);
  });

  test('passes every example AWS stack (each lists its principals)', () => {
    for (const file of ['acme-retail-prod.json', 'acme-retail-staging.json', 'globex-games-dev.json', 'nordic-news-prod.json']) {
      expect(() => synthStack(awsSpec(file))).not.toThrow();
    }
  });

  test('a customer file whose role trusts an unlisted principal is refused at validation, with the fix', () => {
    const raw = exampleJson('acme-retail-prod.json') as any;
    raw.roles[0].assumedBy.push('arn:aws:iam::999999999999:root');
    const { issues } = validateCustomerTexts([{ file: 'acme-retail-prod.json', text: JSON.stringify(raw) }], { now: NOW });
    expect(issues).toEqual([
      expect.objectContaining({ path: 'roles.0.assumedBy.1', expected: 'a principal listed under trustedPrincipals', hint: expect.stringMatching(/add .* to trustedPrincipals/) }),
    ]);
  });

  test('an allow-list entry needs a reason', () => {
    const raw = exampleJson('acme-retail-prod.json') as any;
    delete raw.trustedPrincipals[0].reason;
    const { issues } = validateCustomerTexts([{ file: 'acme-retail-prod.json', text: JSON.stringify(raw) }], { now: NOW });
    expect(issues).toEqual([expect.objectContaining({ path: 'trustedPrincipals.0.reason', got: 'nothing (the field is missing)' })]);
  });
});

describe('FLEET-IAM3 on GCP: bindings name only members on the allow-list', () => {
  const google = (s: TerraformStack) => new GoogleProvider(s, 'google', { project: 'p-rules', region: 'europe-west1' });
  const rules = gcpRules({ trustedPrincipals: [{ principal: 'group:analysts@example.com', reason: 'the analysts read the dataset' }] });

  test('flags a member that is not listed, passes a listed one and the stack\'s own service account', () => {
    const found = violations(rules, google, (s) => {
      new ProjectIamMember(s, 'listed', { project: 'p-rules', role: 'roles/bigquery.dataViewer', member: 'group:analysts@example.com' });
      new ProjectIamMember(s, 'stranger', { project: 'p-rules', role: 'roles/bigquery.dataViewer', member: 'user:someone@elsewhere.example' });
      const sa = new ServiceAccount(s, 'sa', { accountId: 'pipeline-collector' });
      new ProjectIamMember(s, 'own', { project: 'p-rules', role: 'roles/logging.logWriter', member: `serviceAccount:${sa.email}` });
      new ProjectIamMember(s, 'own-literal', { project: 'p-rules', role: 'roles/logging.logWriter', member: 'serviceAccount:pipeline-collector@p-rules.iam.gserviceaccount.com' });
    });
    expect(found).toEqual([
      '[FLEET-IAM3] google_project_iam_member grants to user:someone@elsewhere.example, which is not on the allow-list: add it to trustedPrincipals in the customer file with a reason, or remove it',
    ]);
  });

  test('passes every example GCP stack', () => {
    for (const file of ['helios-media-prod.json', 'helios-media-staging.json']) {
      const raw = exampleJson(file);
      const { customers, issues } = validateCustomerTexts([{ file, text: JSON.stringify(raw) }], { now: NOW });
      expect(issues).toEqual([]);
      expect(() => synthStack(customers[0].spec)).not.toThrow();
    }
  });

  test('a GCP role member that is not listed is refused at validation', () => {
    const raw = exampleJson('helios-media-prod.json') as any;
    raw.roles[0].members.push('user:someone@elsewhere.example');
    const { issues } = validateCustomerTexts([{ file: 'helios-media-prod.json', text: JSON.stringify(raw) }], { now: NOW });
    expect(issues).toEqual([expect.objectContaining({ path: `roles.0.members.${raw.roles[0].members.length - 1}`, expected: 'a principal listed under trustedPrincipals' })]);
  });
});

