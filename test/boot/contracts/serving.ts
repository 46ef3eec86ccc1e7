/**
 * Where the cloud sends traffic and health checks for a VM, read from the stack: AWS target
 * groups of its auto scaling group and the ingress rules of its security groups; GCP named ports,
 * auto-healing and backend-service health checks of its instance group and the VPC firewall.
 * The app must listen on that port and serve that health path (app-contracts.md §2.5, §1.4, §9,
 * checker rule 9).
 */
import type { BootScript, StackJson } from '../extract';
import type { StackFacts } from './stack-facts';

export interface Probe {
  readonly what: string;
  readonly port: number;
  readonly path?: string;
}

export interface Serving {
  /** Ports and health paths the cloud targets on this VM. */
  readonly probes: readonly Probe[];
  /** Whether the network lets a port in to the VM (security group ingress or VPC firewall). */
  readonly admits: (port: number) => boolean;
}

function ref(type: string, name: string, attr: string): string {
  return `\${${type}.${name}.${attr}}`;
}

function awsServing(stack: StackJson, name: string, securityGroups: readonly string[]): Serving {
  const r = stack.resource;
  const probes: Probe[] = [];
  for (const asg of Object.values(r.aws_autoscaling_group ?? {})) {
    if (asg.launch_template?.id !== ref('aws_launch_template', name, 'id')) continue;
    for (const arn of (asg.target_group_arns as string[] | undefined) ?? []) {
      const tgName = /^\$\{aws_lb_target_group\.([^.]+)\.arn\}$/.exec(arn)?.[1];
      const tg = tgName ? r.aws_lb_target_group?.[tgName] : undefined;
      if (!tg) continue;
      probes.push({ what: `target group ${tg.name ?? tgName}`, port: Number(tg.port) });
      const hc = tg.health_check ?? {};
      const hcPort = hc.port === undefined || hc.port === 'traffic-port' ? Number(tg.port) : Number(hc.port);
      if (hc.enabled !== false) probes.push({ what: `target group ${tg.name ?? tgName} health check`, port: hcPort, path: hc.path ?? '/' });
    }
  }
  const ingress = Object.values(r.aws_vpc_security_group_ingress_rule ?? {}).filter((i) => securityGroups.includes(i.security_group_id));
  return { probes, admits: (port) => ingress.some((i) => i.ip_protocol === '-1' || (Number(i.from_port) <= port && port <= Number(i.to_port))) };
}

function gcpServing(stack: StackJson, name: string, script: BootScript, facts: StackFacts): Serving {
  const r = stack.resource;
  const probes: Probe[] = [];
  const templateRefs = ['self_link_unique', 'self_link', 'id'].map((a) => ref('google_compute_instance_template', name, a));
  const healthCheck = (hcRef: string, what: string, namedPorts: { name: string; port: number }[]) => {
    const hcName = /^\$\{google_compute_(?:region_)?health_check\.([^.]+)\.(?:id|self_link)\}$/.exec(hcRef)?.[1];
    const hc = hcName ? (r.google_compute_health_check?.[hcName] ?? r.google_compute_region_health_check?.[hcName]) : undefined;
    const http = hc?.http_health_check ?? hc?.https_health_check;
    if (!http) return;
    const port = http.port !== undefined ? Number(http.port) : namedPorts.find((p) => p.name === (http.port_name ?? 'http'))?.port;
    if (port !== undefined) probes.push({ what: `${what} ${hc?.name ?? hcName}`, port, path: http.request_path ?? '/' });
  };
  for (const [igmName, igm] of [...Object.entries(r.google_compute_region_instance_group_manager ?? {}), ...Object.entries(r.google_compute_instance_group_manager ?? {})]) {
    const versions = (igm.version as { instance_template?: string }[] | undefined) ?? [];
    if (!versions.some((v) => templateRefs.includes(String(v.instance_template)))) continue;
    const namedPorts = ((igm.named_port as { name: string; port: number }[] | undefined) ?? []).map((p) => ({ name: p.name, port: Number(p.port) }));
    for (const p of namedPorts) probes.push({ what: `named port ${p.name}`, port: p.port });
    const healing = Array.isArray(igm.auto_healing_policies) ? igm.auto_healing_policies[0] : igm.auto_healing_policies;
    if (healing?.health_check) healthCheck(healing.health_check, 'auto-healing check', namedPorts);
    const groupRefs = ['instance_group', 'id', 'self_link'].map((a) => ref(igm.region !== undefined ? 'google_compute_region_instance_group_manager' : 'google_compute_instance_group_manager', igmName, a));
    for (const bs of [...Object.values(r.google_compute_backend_service ?? {}), ...Object.values(r.google_compute_region_backend_service ?? {})]) {
      if (!((bs.backend as { group?: string }[] | undefined) ?? []).some((b) => groupRefs.includes(String(b.group)))) continue;
      for (const hcRef of (bs.health_checks as string[] | undefined) ?? []) healthCheck(hcRef, `backend ${bs.name ?? ''} health check`, namedPorts);
    }
  }
  const sa = script.resource.service_account;
  const email = String((Array.isArray(sa) ? sa[0] : sa)?.email ?? '');
  const open = new Set(facts.inboundPorts(email));
  return { probes, admits: (port) => open.has(port) };
}

export function servingOf(stack: StackJson, script: BootScript, facts: StackFacts): Serving {
  const name = script.address.split('.')[1];
  return script.cloud === 'aws' ? awsServing(stack, name, (script.resource.vpc_security_group_ids as string[] | undefined) ?? []) : gcpServing(stack, name, script, facts);
}
