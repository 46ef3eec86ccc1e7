import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Pipeline parts that are not one component's. */
const SHARED = new Set(['shared', 'access', 'monitoring']);

/** Google resources whose `labels` argument configures the resource rather than labelling it. */
const LABELS_ARE_CONFIG = new Set(['google_monitoring_notification_channel']);

/**
 * Tags every taggable AWS resource, and labels every labelled Google resource, with the component
 * it belongs to, read from the construct tree (PipelineStack/pipeline/<component>/...), so the
 * provider's default tags or labels plus this one give customer, environment, component and
 * managed-by on everything.
 */
export class ComponentTags implements IAspect {
  constructor(private readonly pipelineId: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    // Google resources have a `tags` argument too (network tags, resource-manager tags): never touch it.
    const key = type.startsWith('aws_') && 'tags' in node ? 'tags' : type.startsWith('google_') && 'labels' in node && !LABELS_ARE_CONFIG.has(type) ? 'labels' : undefined;
    if (key === undefined) return;
    const path = node.node.scopes.map((s) => s.node.id);
    const at = path.indexOf(this.pipelineId);
    const top = at >= 0 ? path[at + 1] : undefined;
    if (top === undefined) return;
    const component = SHARED.has(top) ? 'pipeline' : top;
    const resource = node as unknown as Record<string, Record<string, string> | undefined>;
    const current = resource[`${key}Input`] ?? {};
    resource[key] = { ...current, component: current.component ?? component };
  }
}
