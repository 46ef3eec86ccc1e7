/**
 * The boot scripts a synthesized stack would give its VMs: AWS user data decoded from each launch
 * template, GCP startup scripts from each instance template's metadata. Terraform renders the
 * GCP script as a template string, so escapes are undone and each reference is replaced with the
 * value the provider would fill in (a literal attribute of the referenced resource, or a value of
 * the shape the API returns).
 */

export interface BootScript {
  readonly cloud: 'aws' | 'gcp';
  /** Terraform address of the template, e.g. aws_launch_template.pipeline_enrich_service_template_0EB6CE67. */
  readonly address: string;
  /** The component tag or label of the template. */
  readonly component: string;
  readonly script: string;
  /** References that had to be filled with a placeholder (no literal and no known shape). */
  readonly placeholders: readonly string[];
  /** The template resource as synthesized. */
  readonly resource: Record<string, any>;
  /** The OS image the VM boots. */
  readonly image: string;
}

type Resources = Record<string, Record<string, Record<string, any>>>;

export interface StackJson {
  readonly resource: Resources;
  readonly data?: Resources;
}

/** Finds the resource behind `<type>.<name>`. */
function lookup(stack: StackJson, type: string, name: string): Record<string, any> | undefined {
  return stack.resource[type]?.[name] ?? stack.data?.[type.replace(/^data\./, '')]?.[name];
}

const COMPUTED: Record<string, (r: Record<string, any> | undefined, project: string) => string | undefined> = {
  ip_address: () => '10.20.0.5',
  private_ip_address: () => '10.30.0.3',
  public_ip_address: () => '34.120.0.10',
  address: () => '10.20.0.6',
  dns_name: (r) => (r?.name ? `${r.internal === false ? '' : 'internal-'}${r.name}-1234567890.elb.amazonaws.com` : undefined),
  email: (r, project) => (r?.account_id ? `${r.account_id}@${r.project ?? project}.iam.gserviceaccount.com` : undefined),
  member: (r, project) => (r?.account_id ? `serviceAccount:${r.account_id}@${r.project ?? project}.iam.gserviceaccount.com` : undefined),
  connection_name: (r, project) => (r?.name ? `${r.project ?? project}:${r.region ?? 'region'}:${r.name}` : undefined),
};

function resolveReference(stack: StackJson, ref: string, project: string): string | undefined {
  const parts = ref.split('.');
  const isData = parts[0] === 'data';
  const [type, name, attr, ...rest] = isData ? parts.slice(1) : parts;
  if (rest.length > 0 || attr === undefined) return undefined;
  const r = isData ? stack.data?.[type]?.[name] : lookup(stack, type, name);
  const literal = r?.[attr];
  if (typeof literal === 'string' && !literal.includes('${')) return literal;
  if (typeof literal === 'number') return String(literal);
  const p = (r?.project as string | undefined) ?? project;
  if (attr === 'id' && r?.name && !String(r.name).includes('${')) {
    if (type === 'google_pubsub_topic') return `projects/${p}/topics/${r.name}`;
    if (type === 'google_pubsub_subscription') return `projects/${p}/subscriptions/${r.name}`;
    if (type === 'google_secret_manager_secret') return `projects/${p}/secrets/${r.secret_id}`;
  }
  if (attr === 'name' && type === 'google_secret_manager_secret' && r?.secret_id) return `projects/${p}/secrets/${r.secret_id}`;
  return COMPUTED[attr]?.(r, p);
}

/** Renders a Terraform template string the way `terraform apply` would hand it to the VM. */
export function renderTerraformString(stack: StackJson, text: string, project: string): { text: string; placeholders: string[] } {
  const placeholders: string[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 2;
    } else if (text.startsWith('%%{', i)) {
      out += '%{';
      i += 2;
    } else if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i);
      const ref = text.slice(i + 2, end).trim();
      const value = resolveReference(stack, ref, project);
      if (value === undefined) placeholders.push(ref);
      out += value ?? `tf-computed-${ref.replace(/[^A-Za-z0-9]+/g, '-')}`;
      i = end;
    } else {
      out += text[i];
    }
  }
  return { text: out, placeholders };
}

function decodeUserData(userData: string): string {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(userData)) throw new Error('user data is not a literal base64 string');
  return Buffer.from(userData, 'base64').toString('utf8');
}

function componentOf(r: Record<string, any>): string {
  const tags = (r.tag_specifications as { tags?: Record<string, string> }[] | undefined)?.find((t) => t.tags?.component)?.tags;
  return tags?.component ?? r.tags?.component ?? r.labels?.component ?? 'unknown';
}

export function bootScripts(stack: StackJson, gcpProject = ''): BootScript[] {
  const out: BootScript[] = [];
  for (const [name, r] of Object.entries(stack.resource.aws_launch_template ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (r.user_data === undefined) continue;
    out.push({
      cloud: 'aws',
      address: `aws_launch_template.${name}`,
      component: componentOf(r),
      script: decodeUserData(String(r.user_data)),
      placeholders: [],
      resource: r,
      image: String(r.image_id ?? ''),
    });
  }
  for (const [name, r] of Object.entries(stack.resource.google_compute_instance_template ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const raw = r.metadata?.['startup-script'] ?? r.metadata_startup_script;
    if (raw === undefined) continue;
    const rendered = renderTerraformString(stack, String(raw), String(r.project ?? gcpProject));
    const disks = (r.disk as { boot?: boolean; source_image?: string }[] | undefined) ?? [];
    out.push({
      cloud: 'gcp',
      address: `google_compute_instance_template.${name}`,
      component: componentOf(r),
      script: rendered.text,
      placeholders: rendered.placeholders,
      resource: r,
      image: String(disks.find((d) => d.boot)?.source_image ?? disks[0]?.source_image ?? ''),
    });
  }
  return out;
}
