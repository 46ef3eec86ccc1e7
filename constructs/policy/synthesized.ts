import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization } from 'cdktf';

/**
 * What the policy rules read: each element's attributes as they are synthesized (snake_case
 * keys, references resolved to "${type.name.attr}"), so rules see what a reviewer sees in
 * cdk.tf.json.
 *
 * Resolving is most of synth time (a pipeline stack has a few hundred elements), and most
 * elements are read by several rules (FLEET-SEC1 reads every one), so each element is resolved
 * at most once per policy pass and shared. A pass gets a fresh view: nothing read in one synth
 * is reused in the next, when the constructs may have changed.
 */
export class SynthesizedElements {
  private readonly resolved = new Map<TerraformElement, unknown>();

  /** `prepared`: JSON already resolved for this pass (see keepPreparedJson), used instead of resolving again. */
  constructor(private readonly prepared?: ReadonlyMap<TerraformElement, unknown>) {}

  /** The element's whole JSON fragment, e.g. `{ resource: { aws_s3_bucket: { <id>: { ... } } } }`. */
  json(element: TerraformElement): unknown {
    if (!this.resolved.has(element)) this.resolved.set(element, this.prepared?.get(element) ?? resolveElement(element, false));
    return this.resolved.get(element);
  }

  /** The attributes of a resource, data source or provider (the innermost object of its fragment). */
  attributes(element: TerraformElement): Record<string, unknown> {
    const json = this.json(element) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    for (const block of Object.values(json)) {
      for (const byType of Object.values(block)) {
        for (const attrs of Object.values(byType)) return attrs;
      }
    }
    return {};
  }
}

function resolveElement(element: TerraformElement, preparing: boolean): unknown {
  return Tokenization.resolve(element.toTerraform(), { scope: element, preparing, resolver: new DefaultTokenResolver(new StringConcat()) });
}

const preparedByStack = new WeakMap<TerraformStack, Map<TerraformElement, unknown>>();

/**
 * Does the resolve that TerraformStack.prepareStack does (every element once, `preparing` so
 * that references to other stacks are found), and keeps each result for the policy pass that
 * follows, which would otherwise resolve every element again. A stack calls this from its
 * prepareStack, after ensuring its backend. The JSON is taken before any aspect runs, so it is
 * what a rule would resolve only if no aspect changes an element before PolicyChecks reads it:
 * PolicyChecks uses it only when it is the stack's first aspect (takePreparedJson).
 */
export function keepPreparedJson(stack: TerraformStack): void {
  const prepared = new Map<TerraformElement, unknown>();
  for (const element of stackElements(stack)) prepared.set(element, resolveElement(element, true));
  preparedByStack.set(stack, prepared);
}

/** The JSON keepPreparedJson kept for this stack, once: a later synth of the same stack resolves afresh. */
export function takePreparedJson(stack: TerraformStack): ReadonlyMap<TerraformElement, unknown> | undefined {
  const prepared = preparedByStack.get(stack);
  preparedByStack.delete(stack);
  return prepared;
}

/** The stack's elements, not those of a nested stack (as cdktf walks them). */
function stackElements(stack: TerraformStack): TerraformElement[] {
  const found: TerraformElement[] = [];
  const visit = (node: TerraformStack['node']['children'][number]): void => {
    if (TerraformElement.isTerraformElement(node)) found.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return found;
}
