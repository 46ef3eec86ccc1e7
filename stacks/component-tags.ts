import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Pipeline parts that are not one component's. */
const SHARED = new Set(['shared', 'access', 'monitoring']);

/**
 * Tags every taggable resource with the component it belongs to, read from the construct tree
 * (PipelineStack/pipeline/<component>/...), so the provider's default tags plus this one give
 * customer, environment, component and managed-by on everything.
 */
export class ComponentTags implements IAspect {
  constructor(private readonly pipelineId: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !('tags' in node)) return;
    const path = node.node.scopes.map((s) => s.node.id);
    const at = path.indexOf(this.pipelineId);
    const top = at >= 0 ? path[at + 1] : undefined;
    if (top === undefined) return;
    const component = SHARED.has(top) ? 'pipeline' : top;
    const taggable = node as TerraformResource & { tags?: Record<string, string>; tagsInput?: Record<string, string> };
    taggable.tags = { ...(taggable.tagsInput ?? {}), component: taggable.tagsInput?.component ?? component };
  }
}
