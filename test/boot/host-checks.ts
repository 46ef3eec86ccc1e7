/**
 * What the boot script does to the host (checker rule 9 and the secret rules of issue item 4):
 * secrets only in memory-backed files and never in the boot log; on Container-Optimized OS no
 * writes to the read-only root and an iptables ACCEPT for every port the VPC firewall lets in.
 */
import type { StackFacts } from './contracts/stack-facts';
import type { BootScript } from './extract';
import type { RunResult } from './sandbox/sandbox';

type Os = 'al2023' | 'cos' | 'ubuntu' | 'unknown';

function osOf(script: BootScript): Os {
  if (/al2023|amazon-linux/i.test(script.image)) return 'al2023';
  if (/cos-cloud|cos-stable|cos-\d/.test(script.image)) return 'cos';
  if (/ubuntu/i.test(script.image)) return 'ubuntu';
  return 'unknown';
}

/** Directories that are memory-backed on the OS (their content is gone at power-off). /run is never overlaid, so never listed. */
const TMPFS: Record<Os, readonly string[]> = { al2023: ['/tmp'], cos: ['/tmp', '/etc'], ubuntu: [], unknown: [] };
/** COS root filesystem is read-only; only /etc, /tmp, /home, /var and /mnt/stateful_partition are writable. */
const COS_READ_ONLY = ['/opt', '/usr', '/srv', '/bin', '/sbin', '/lib', '/root'];

function iptablesAccepts(result: RunResult): number[] {
  const ports: number[] = [];
  for (const c of result.calls) {
    if (c.tool !== 'iptables') continue;
    const a = c.argv;
    const chain = a.findIndex((x) => x === '-A' || x === '-I' || x === '--append' || x === '--insert');
    if (chain < 0 || a[chain + 1] !== 'INPUT') continue;
    const target = a.indexOf('-j') >= 0 ? a[a.indexOf('-j') + 1] : a[a.indexOf('--jump') + 1];
    if (target !== 'ACCEPT') continue;
    const p = a.indexOf('-p') >= 0 ? a[a.indexOf('-p') + 1] : a[a.indexOf('--protocol') + 1];
    if (p !== 'tcp') continue;
    const one = a.indexOf('--dport');
    if (one >= 0) ports.push(Number(a[one + 1]));
    const many = a.indexOf('--dports');
    if (many >= 0) ports.push(...a[many + 1].split(',').map(Number));
  }
  return ports;
}

export function hostChecks(
  script: BootScript,
  result: RunResult,
  facts: StackFacts,
  secrets: ReadonlyMap<string, string>,
  leaks: (s: ReadonlyMap<string, string>, haystack: string) => string[],
): string[] {
  const out: string[] = [];
  const os = osOf(script);
  const inLog = leaks(secrets, result.log);
  if (inLog.length > 0) out.push(`the boot log (console output, readable without secret access) holds the value of ${inLog.join(', ')}`);
  for (const [path, content] of result.persisted) {
    const onTmpfs = TMPFS[os].some((d) => path.startsWith(`${d}/`));
    if (!onTmpfs) {
      const leaked = leaks(secrets, content.toString('utf8'));
      if (leaked.length > 0) out.push(`${path} is on a persistent disk and holds the value of ${leaked.join(', ')}; keep secrets on tmpfs (/run)`);
    }
    if (os === 'cos' && COS_READ_ONLY.some((d) => path.startsWith(`${d}/`))) out.push(`${path}: written under a read-only directory of Container-Optimized OS; the write fails there`);
  }
  for (const c of result.calls) if (c.unknown) out.push(`aws ${c.unknown}: a call the harness stub does not answer; teach test/boot/sandbox/stubs/aws what the real API returns`);
  const bypass = /(^|[\s;|&(])\/(usr\/)?s?bin\/(docker|aws|curl|gcloud|iptables|systemctl|dnf)\b/m.exec(script.script);
  if (bypass) out.push(`the script calls ${bypass[0].trim()} by absolute path; call it by name`);
  if (os === 'cos' && script.cloud === 'gcp') {
    const sa = script.resource.service_account;
    const email = String((Array.isArray(sa) ? sa[0] : sa)?.email ?? '');
    const needed = facts.inboundPorts(email);
    const open = new Set(iptablesAccepts(result));
    const closed = needed.filter((p) => !open.has(p));
    if (closed.length > 0) out.push(`Container-Optimized OS drops inbound traffic except SSH: the VPC firewall admits tcp ${closed.join(', ')} but the script adds no \`iptables -A INPUT -p tcp --dport <port> -j ACCEPT\` for it`);
  }
  return out;
}
