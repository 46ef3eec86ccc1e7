import { awsSpec, rolePolicy, synthStack } from '../../support/specs';

const grantRoles = (json: string) =>
  Object.values((JSON.parse(json).resource.aws_iam_role ?? {}) as Record<string, any>).filter((r) => String(r.name).includes('-grant-'));

describe('time-bound access grants', () => {
  test('an approved, unexpired grant becomes a role whose trust and permissions end after the expiry day', () => {
    const json = synthStack(awsSpec(), new Date('2027-12-01T12:00:00Z'));
    const [role] = grantRoles(json);
    expect(role.name).toBe('acme-retail-prod-grant-dq-investigation-4821');
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement[0].Principal.AWS).toEqual(['arn:aws:iam::100000000001:role/fleet-support-engineer']);
    expect(trust.Statement[0].Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2027-12-12T00:00:00Z' } });
    for (const s of rolePolicy(json, 'grant-dq-investigation-4821').Statement) {
      expect(s.Condition.DateLessThan).toEqual({ 'aws:CurrentTime': '2027-12-12T00:00:00Z' });
    }
    const resources = rolePolicy(json, 'grant-dq-investigation-4821').Statement.flatMap((s) => s.Resource);
    expect(resources.filter((r) => r.includes('/bad/'))).toEqual([]);
  });

  test('the grant still exists on its last day and vanishes the day after', () => {
    expect(grantRoles(synthStack(awsSpec(), new Date('2027-12-11T23:00:00Z')))).toHaveLength(1);
    expect(grantRoles(synthStack(awsSpec(), new Date('2027-12-12T00:00:00Z')))).toHaveLength(0);
  });

  test('revoked and pending grants produce no access', () => {
    const spec = awsSpec('acme-retail-prod.json', (raw) => {
      raw.accessGrants[0].status = 'pending';
    });
    expect(grantRoles(synthStack(spec))).toHaveLength(0);
  });
});
