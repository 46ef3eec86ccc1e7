import { awsSpec, resources, synthStack } from '../../support/specs';

describe('collector SSL on AWS', () => {
  test('HTTPS :443 serves the certificate with a TLS 1.2+ policy and forwards to the /health-checked target group', () => {
    const json = synthStack(awsSpec('nordic-news-prod.json'));
    const https = resources(json, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(https.protocol).toBe('HTTPS');
    expect(https.ssl_policy).toBe('ELBSecurityPolicy-TLS-1-2-2017-01');
    expect(https.certificate_arn).toBe('arn:aws:acm:eu-north-1:345678901234:certificate/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d');
    expect(https.default_action[0].type).toBe('forward');
    const [tg] = resources(json, 'aws_lb_target_group').filter((t) => t.port === 8080 && t.health_check.path === '/health');
    expect(tg.health_check.matcher).toBe('200-399');
  });

  test(':80 redirects to HTTPS with a 301 and forwards nothing', () => {
    const json = synthStack(awsSpec());
    const http = resources(json, 'aws_lb_listener').find((l) => l.port === 80 && l.load_balancer_arn.includes('collector'))!;
    expect(http.protocol).toBe('HTTP');
    expect(http.default_action).toEqual([{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }]);
  });

  test('extra certificates kept during a rotation are attached to the HTTPS listener', () => {
    const json = synthStack(awsSpec('nordic-news-prod.json'));
    const extra = resources(json, 'aws_lb_listener_certificate');
    expect(extra.map((c) => c.certificate_arn)).toEqual(['arn:aws:acm:eu-north-1:345678901234:certificate/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e']);
    expect(extra[0].listener_arn).toMatch(/collector_load-balancer_https/);
  });

  test('a managed certificate is DNS-validated in the hosted zone and the listener waits for validation', () => {
    const json = synthStack(awsSpec());
    const [cert] = resources(json, 'aws_acm_certificate');
    expect(cert).toMatchObject({ domain_name: 'collector.acme-retail.com', validation_method: 'DNS', lifecycle: { create_before_destroy: true } });
    const [record] = resources(json, 'aws_route53_record');
    expect(record.zone_id).toBe('Z0ACMERETAIL01');
    const https = resources(json, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\..+\.certificate_arn\}$/);
    expect(resources(json, 'aws_cloudwatch_metric_alarm').some((a) => a.metric_name === 'DaysToExpiry')).toBe(true);
  });

  test('without a hosted zone, phase 1: the certificate is requested, the record and the next step are outputs, nothing uses it yet', () => {
    const json = synthStack(awsSpec('globex-games-dev.json'));
    expect(resources(json, 'aws_route53_record')).toHaveLength(0);
    expect(resources(json, 'aws_acm_certificate')).toHaveLength(1);
    expect(resources(json, 'aws_acm_certificate_validation')).toHaveLength(0);
    const outputs = JSON.parse(json).output as Record<string, { value: unknown }>;
    expect(Object.keys(outputs).some((k) => k.includes('dns-validation-record'))).toBe(true);
    const next = Object.entries(outputs).find(([k]) => k.includes('certificate-next-step'))![1];
    expect(next.value).toMatch(/validationRecordCreated/);
    const listeners = resources(json, 'aws_lb_listener');
    expect(listeners.map((l) => l.port)).toEqual([80]);
    // Nothing references the pending certificate, so the first apply cannot fail on it.
    expect(JSON.stringify(listeners)).not.toMatch(/aws_acm_certificate/);
    expect(listeners[0].default_action[0]).toMatchObject({ type: 'fixed-response', fixed_response: { status_code: '503' } });
    const collector = resources(json, 'aws_autoscaling_group').find((g) => g.name === 'globex-games-dev-collector')!;
    expect(collector.target_group_arns).toBeUndefined();
    expect(collector.health_check_type).toBe('EC2');
  });

  test('without a hosted zone, phase 2: once the record exists the stack waits for issuance and serves the validated certificate', () => {
    const json = synthStack(awsSpec('globex-games-dev.json', (raw) => (raw.collector.ssl.validationRecordCreated = true)));
    const [validation] = resources(json, 'aws_acm_certificate_validation');
    expect(validation.validation_record_fqdns).toBeUndefined();
    const https = resources(json, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\..+\.certificate_arn\}$/);
    const http = resources(json, 'aws_lb_listener').find((l) => l.port === 80)!;
    expect(http.default_action[0].type).toBe('redirect');
    const collector = resources(json, 'aws_autoscaling_group').find((g) => g.name === 'globex-games-dev-collector')!;
    expect(collector.target_group_arns).toHaveLength(1);
    expect(resources(json, 'aws_cloudwatch_metric_alarm').some((a) => a.metric_name === 'HealthyHostCount')).toBe(true);
  });

  test('collector instances admit traffic only from the load balancer security group', () => {
    const json = synthStack(awsSpec());
    const ingress = resources(json, 'aws_vpc_security_group_ingress_rule');
    const toCollector = ingress.filter((r) => r.from_port === 8080 && String(r.security_group_id).includes('collector_service'));
    expect(toCollector).toHaveLength(1);
    expect(toCollector[0].referenced_security_group_id).toMatch(/collector_load-balancer_sg/);
    expect(toCollector[0].cidr_ipv4).toBeUndefined();
    const open = ingress.filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
    expect(open.map((r) => r.from_port).sort()).toEqual([443, 80]);
  });
});
