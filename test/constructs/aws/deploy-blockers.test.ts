import { customerSchema } from '../../../customers/schema';
import { awsSpec, exampleJson, resources, rolePolicy, synthStack } from '../../support/specs';

const json = synthStack(awsSpec());
const parsed = JSON.parse(json);

describe('AWS deploy blockers', () => {
  test('every KCL role may use the lease-table key through DynamoDB only, and the key is the one the table uses', () => {
    const tables = resources(json, 'aws_dynamodb_table');
    const keys = new Set(tables.map((t) => t.server_side_encryption.kms_key_arn));
    expect(keys.size).toBe(1);
    for (const role of ['enrich-vm', 's3-loader-enriched-vm', 's3-loader-bad-vm', 'snowflake-streaming-loader-vm']) {
      const kms = rolePolicy(json, role).Statement.find((s) => s.Sid === 'UseLeaseTableKeyThroughDynamoDb')!;
      expect(kms.Resource).toEqual([...keys]);
      expect(kms.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey']));
      expect(kms.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } });
    }
    // A role that keeps no leases gets no DynamoDB key grant.
    expect(rolePolicy(json, 'collector-vm').Statement.some((s) => s.Sid === 'UseLeaseTableKeyThroughDynamoDb')).toBe(false);
  });

  test('the schema refuses one private subnet when the Iglu Server runs, naming the field', () => {
    const raw = exampleJson('acme-retail-prod.json') as any;
    raw.network.privateSubnetIds = raw.network.privateSubnetIds.slice(0, 1);
    const result = customerSchema.safeParse(raw);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === 'network.privateSubnetIds')!;
    expect(JSON.parse(issue.message).expected).toMatch(/two private subnets/);
    // Without Iglu one private subnet stays allowed (globex-games-dev).
    expect(customerSchema.safeParse(exampleJson('globex-games-dev.json')).success).toBe(true);
  });

  test('the Iglu construct itself refuses a single private subnet (two AZs for the ALB and DB subnet group)', () => {
    const spec = awsSpec();
    const one = { ...spec, network: { ...spec.network, privateSubnetIds: [spec.network.privateSubnetIds[0]] } };
    expect(() => synthStack(one)).toThrow(/two availability zones/);
    const [group] = resources(json, 'aws_db_subnet_group');
    expect(group.subnet_ids.length).toBeGreaterThanOrEqual(2);
  });

  test('Iglu clients may send to the internal load balancer on the port it listens on, and only to it', () => {
    const [listener] = resources(json, 'aws_lb_listener').filter((l) => String(l.load_balancer_arn).includes('iglu'));
    const egress = resources(json, 'aws_vpc_security_group_egress_rule').filter((r) => r.from_port === listener.port);
    const clients = egress.filter((r) => String(r.referenced_security_group_id).includes('iglu-server_lb-sg'));
    expect(clients.map((r) => String(r.security_group_id).match(/pipeline_([\w-]+?)_service/)![1]).sort()).toEqual(['enrich', 'snowflake-streaming-loader']);
    for (const r of clients) expect(r.cidr_ipv4).toBeUndefined();
    const ingress = resources(json, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.security_group_id).includes('iglu-server_lb-sg'));
    expect(new Set(ingress.map((r) => r.from_port))).toEqual(new Set([listener.port]));
  });

  test('the RDB transformer and loader are Iglu clients too', () => {
    const spec = awsSpec('nordic-news-prod.json', (raw) => {
      raw.components['iglu-server'] = { version: '0.14.0', sizing: { instanceType: 't3.small', minSize: 1, maxSize: 1 } };
    });
    const egress = resources(synthStack(spec), 'aws_vpc_security_group_egress_rule').filter((r) => String(r.referenced_security_group_id).includes('lb-sg') && r.from_port === 80);
    expect(egress.map((r) => String(r.security_group_id).match(/pipeline_([\w-]+?)_(service|transformer)_sg/)![0]).sort()).toEqual([
      expect.stringContaining('enrich_service'),
      expect.stringContaining('rdb-loader_service'),
      expect.stringContaining('rdb-loader_transformer'),
    ]);
  });

  test('the network prerequisites are a stack output: internet hosts on 443 and the VPC endpoints that replace NAT for AWS APIs', () => {
    const out = Object.entries(parsed.output as Record<string, any>).find(([k]) => k.includes('network-prerequisites'))![1];
    expect(out.value.internetHostsOn443).toEqual(expect.arrayContaining(['registry-1.docker.io', 'iglucentral.com']));
    expect(out.value.awsServiceEndpointsIfNoNat).toEqual(expect.arrayContaining(['com.amazonaws.eu-west-1.kinesis-streams', 'com.amazonaws.eu-west-1.secretsmanager', 'com.amazonaws.eu-west-1.dynamodb']));
    // Every app security group allows 443 out, which those hosts and APIs need.
    const groups = resources(json, 'aws_security_group').filter((g) => String(g.name).endsWith('-vm'));
    const egress443 = resources(json, 'aws_vpc_security_group_egress_rule').filter((r) => r.from_port === 443 && r.cidr_ipv4 === '0.0.0.0/0');
    expect(egress443).toHaveLength(groups.length);
  });
});

test('every depends_on names a bare resource address, as terraform requires (an interpolation there fails init)', () => {
  let seen = 0;
  for (const stack of [parsed, JSON.parse(synthStack(awsSpec('nordic-news-prod.json', (raw) => (raw.components['iglu-server'] = { version: '0.14.0', sizing: { instanceType: 't3.small', minSize: 1, maxSize: 1 } }))))]) {
    for (const byName of Object.values(stack.resource as Record<string, Record<string, any>>)) {
      for (const r of Object.values(byName)) {
        for (const d of r.depends_on ?? []) {
          seen++;
          expect(d).toMatch(/^[a-z0-9_]+\.[\w-]+$/);
        }
      }
    }
  }
  expect(seen).toBeGreaterThan(0);
});
