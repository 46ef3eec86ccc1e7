/**
 * The resources of a synthesized stack that an app's config must name: streams, lease tables,
 * queues, buckets, topics, subscriptions, datasets, and which inbound ports reach each VM.
 */
import type { StackJson } from '../extract';

export interface StackFacts {
  readonly kinesisStreams: ReadonlySet<string>;
  readonly leaseTables: ReadonlySet<string>;
  /** SQS queue name -> FIFO. */
  readonly queues: ReadonlyMap<string, boolean>;
  readonly buckets: ReadonlySet<string>;
  /** Full ids: projects/<p>/topics/<t>. */
  readonly topics: ReadonlySet<string>;
  readonly subscriptions: ReadonlySet<string>;
  readonly datasets: ReadonlySet<string>;
  readonly hasIglu: boolean;
  /** TCP ports that VPC firewall rules let in to the VMs running as a service account (reference string of its email). */
  inboundPorts(serviceAccountEmailRef: string): number[];
  /** Listener ports of the AWS load balancer with this name; undefined when the stack has no such load balancer. */
  listenerPorts(lbName: string): number[] | undefined;
  /** Whether security groups (references as in a launch template) let TCP out on a port. */
  egressAllows(securityGroupRefs: readonly string[], port: number): boolean;
}

const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');

function names(stack: StackJson, type: string, attr = 'name'): Set<string> {
  return new Set(Object.values(stack.resource[type] ?? {}).map((r) => r[attr]).filter(literal));
}

export function stackFacts(stack: StackJson, gcpProject: string): StackFacts {
  const r = stack.resource;
  const queues = new Map<string, boolean>();
  for (const q of Object.values(r.aws_sqs_queue ?? {})) if (literal(q.name)) queues.set(q.name, q.fifo_queue === true);
  const full = (type: string, kind: string) =>
    new Set(Object.values(r[type] ?? {}).filter((t) => literal(t.name)).map((t) => `projects/${literal(t.project) ? t.project : gcpProject}/${kind}/${t.name}`));
  const firewalls = Object.values(r.google_compute_firewall ?? {}).filter((f) => (f.direction ?? 'INGRESS') === 'INGRESS');
  return {
    kinesisStreams: names(stack, 'aws_kinesis_stream'),
    leaseTables: names(stack, 'aws_dynamodb_table'),
    queues,
    buckets: new Set([...names(stack, 'aws_s3_bucket', 'bucket'), ...names(stack, 'google_storage_bucket')]),
    topics: full('google_pubsub_topic', 'topics'),
    subscriptions: full('google_pubsub_subscription', 'subscriptions'),
    datasets: names(stack, 'google_bigquery_dataset', 'dataset_id'),
    hasIglu: Object.keys(r).some((t) => Object.keys(r[t]).some((k) => k.includes('iglu'))),
    listenerPorts(lbName: string) {
      const entry = Object.entries(r.aws_lb ?? {}).find(([, lb]) => lb.name === lbName);
      if (!entry) return undefined;
      const arn = `\${aws_lb.${entry[0]}.arn}`;
      return Object.values(r.aws_lb_listener ?? {}).filter((l) => l.load_balancer_arn === arn).map((l) => Number(l.port));
    },
    egressAllows(groups: readonly string[], port: number) {
      const rules = Object.values(r.aws_vpc_security_group_egress_rule ?? {});
      return rules.some((e) => groups.includes(e.security_group_id) && (e.ip_protocol === '-1' || (Number(e.from_port) <= port && port <= Number(e.to_port))));
    },
    inboundPorts(email: string) {
      const ports = new Set<number>();
      for (const f of firewalls) {
        const targets: string[] = f.target_service_accounts ?? [];
        if (!targets.includes(email)) continue;
        for (const a of f.allow ?? []) if (a.protocol === 'tcp') for (const p of a.ports ?? []) ports.add(Number(String(p).split('-')[0]));
      }
      return [...ports].sort((a, b) => a - b);
    },
  };
}
