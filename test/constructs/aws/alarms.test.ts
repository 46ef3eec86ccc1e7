import { readdirSync } from 'node:fs';
import { awsSpec, CUSTOMERS_DIR, exampleJson, resources, synthStack } from '../../support/specs';

// Every AWS example, plus the RDB loader next to an Iglu Server and the second certificate phase.
const stacks: [string, string][] = [
  ...readdirSync(CUSTOMERS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'customer.schema.json' && exampleJson(f).cloud === 'aws')
    .map((f): [string, string] => [f, synthStack(awsSpec(f))]),
  ['nordic-news-prod.json + iglu', synthStack(awsSpec('nordic-news-prod.json', (raw) => (raw.components['iglu-server'] = { version: '0.14.0', sizing: { instanceType: 't3.small', minSize: 1, maxSize: 1 } })))],
  ['globex-games-dev.json validated', synthStack(awsSpec('globex-games-dev.json', (raw) => (raw.collector.ssl.validationRecordCreated = true)))],
];

describe.each(stacks)('alarms that see an app die: %s', (_name, json) => {
  const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
  const find = (namespace: string, metric: string, dims: Record<string, string>) =>
    alarms.filter((a) => a.namespace === namespace && a.metric_name === metric && Object.entries(dims).every(([k, v]) => a.dimensions[k] === v));

  test('every lease table (one per KCL consumer) has a heartbeat alarm on its own writes, with missing data breaching', () => {
    const tables = resources(json, 'aws_dynamodb_table');
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const t of tables) {
      const [alarm] = find('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', { TableName: t.name });
      expect(alarm).toMatchObject({ comparison_operator: 'LessThanThreshold', threshold: 1, treat_missing_data: 'breaching' });
    }
  });

  test('every queue has an oldest-message alarm', () => {
    for (const q of resources(json, 'aws_sqs_queue')) expect(find('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: q.name })).toHaveLength(1);
  });

  test('every target group a listener forwards to has a healthy-host alarm, with missing data breaching', () => {
    const groups = Object.entries(JSON.parse(json).resource.aws_lb_target_group as Record<string, any>);
    const listeners = resources(json, 'aws_lb_listener');
    for (const [key] of groups) {
      const forwarded = listeners.some((l) => l.default_action.some((a: any) => String(a.target_group_arn).includes(`aws_lb_target_group.${key}.`)));
      const alarm = alarms.filter((a) => a.metric_name === 'HealthyHostCount' && String(a.dimensions.TargetGroup).includes(`aws_lb_target_group.${key}.arn_suffix`));
      expect(alarm).toHaveLength(forwarded ? 1 : 0);
      if (forwarded) expect(alarm[0].treat_missing_data).toBe('breaching');
    }
  });

  test('every certificate a listener serves, imported or managed, has an expiry alarm', () => {
    const served = [
      ...resources(json, 'aws_lb_listener').flatMap((l) => (l.certificate_arn ? [l.certificate_arn] : [])),
      ...resources(json, 'aws_lb_listener_certificate').map((c) => c.certificate_arn),
    ];
    const watched = find('AWS/CertificateManager', 'DaysToExpiry', {}).map((a) => a.dimensions.CertificateArn);
    const validations = JSON.parse(json).resource.aws_acm_certificate_validation ?? {};
    for (const arn of served) {
      // A managed certificate is served through its validation resource; the alarm names the certificate itself.
      const validation = /^\$\{aws_acm_certificate_validation\.([\w-]+)\.certificate_arn\}$/.exec(String(arn));
      const expected = validation ? validations[validation[1]].certificate_arn.replace(/\.arn\}$/, '.arn}') : arn;
      expect(watched).toContain(expected);
    }
    // Only a certificate still waiting for its DNS record is served nowhere (no :443 listener yet).
    expect(served.length > 0 || !resources(json, 'aws_lb_listener').some((l) => l.port === 443)).toBe(true);
  });

  test('stream lag alarms treat no reader as failure', () => {
    const lag = alarms.filter((a) => a.metric_name === 'GetRecords.IteratorAgeMilliseconds');
    expect(lag).toHaveLength(3);
    for (const a of lag) expect(a.treat_missing_data).toBe('breaching');
  });
});
