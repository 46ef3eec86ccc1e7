import { gcpSpec, Synth } from './gcp-support';

// Both GCP examples, one with the BigQuery loader 1.x (three apps, four subscriptions) and an Iglu Server.
const stacks: [string, Synth][] = [
  ['helios-media-prod', Synth.of(gcpSpec('helios-media-prod.json'), new Date('2026-12-01T00:00:00Z'))],
  ['helios-media-staging', Synth.of(gcpSpec('helios-media-staging.json'), new Date('2026-12-01T00:00:00Z'))],
];

describe.each(stacks)('GCP alerts that see an app die: %s', (_name, s) => {
  const policies = s.all('google_monitoring_alert_policy');

  test("every pipeline subscription has an alert on its oldest unacked message age (Pub/Sub computes it, so a dead consumer cannot silence it)", () => {
    const subscriptions = s.all('google_pubsub_subscription').filter((sub) => !String(sub.name).includes('-grant-'));
    expect(subscriptions.length).toBeGreaterThanOrEqual(2);
    for (const sub of subscriptions) {
      const matching = policies.filter((p) =>
        p.conditions.some((c: any) => String(c.condition_threshold?.filter ?? '').includes(`subscription/oldest_unacked_message_age`) && String(c.condition_threshold.filter).includes(`resource.label.subscription_id = "${sub.name}"`)),
      );
      expect(matching).toHaveLength(1);
    }
  });

  test('the collector is watched from outside (uptime check) and the Iglu Server, when it runs, by its health check log', () => {
    expect(s.all('google_monitoring_uptime_check_config')).toHaveLength(1);
    const iglu = s.all('google_sql_database_instance').length > 0;
    expect(policies.some((p) => p.display_name.endsWith('iglu-server-unhealthy'))).toBe(iglu);
  });

  test('every alert notifies every contact on open and close', () => {
    const channels = s.all('google_monitoring_notification_channel').length;
    for (const p of policies) expect(p.notification_channels).toHaveLength(channels);
  });
});
