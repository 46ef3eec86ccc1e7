import { AnnotationMetadataEntryType, Annotations, Aspects, TerraformResource, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
// Not re-exported by the package index; cdktf's own assets use it. cdktf 0.21 is the final release.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { SynthesizedElements, takePreparedJson } from './synthesized';

export { SynthesizedElements } from './synthesized';

/**
 * A policy rule in the cdk-nag style: one rule a file, each looking at one construct at a time
 * and returning what is wrong with it. PolicyChecks reports violations as error annotations, so
 * `app.synth()` (and `cdktf synth`) fails and names the construct path and the rule.
 */
export interface PolicyRule {
  /** Short stable id, e.g. "FLEET-IAM1". */
  readonly id: string;
  readonly description: string;
  /**
   * Messages for each violation found on this construct; empty when compliant. `synthesized`
   * gives any element's synthesized JSON, resolved once for all rules.
   */
  check(node: IConstruct, synthesized: SynthesizedElements): string[];
}

/** Thrown when a policy rule fails; the message lists every violation with its fix. */
export class PolicyViolationError extends Error {}

/**
 * Runs the rules on every construct, and makes a violation fail synth whatever the environment
 * says. cdktf skips its own error check when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set
 * (and `cdktf synth` sets it), so the stack also gets a check of its own that runs after the
 * aspects and before anything is written.
 */
export class PolicyChecks implements IAspect {
  /** One view per stack and pass: aspects visit the stack before anything in it. */
  private readonly views = new WeakMap<TerraformStack, SynthesizedElements>();

  constructor(private readonly rules: readonly PolicyRule[]) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformStack) {
      guard(node);
      const prepared = takePreparedJson(node);
      this.views.set(node, new SynthesizedElements(prepared && isFirstAspect(node, this) ? prepared : undefined));
    }
    const synthesized = this.viewOf(node);
    for (const rule of this.rules) {
      let messages: string[];
      try {
        messages = rule.check(node, synthesized);
      } catch (e) {
        // A rule that cannot read a resource fails closed, naming itself (cdk-nag does the same).
        messages = [`could not check this resource: ${(e as Error).message}`];
      }
      for (const message of messages) Annotations.of(node).addError(`[${rule.id}] ${message}`);
    }
  }

  private viewOf(node: IConstruct): SynthesizedElements {
    const stack = TerraformStack.of(node);
    let view = this.views.get(stack);
    if (!view) this.views.set(stack, (view = new SynthesizedElements()));
    return view;
  }
}

/** No other aspect (on the stack or above it) has visited, so no element has changed since the stack was prepared. */
function isFirstAspect(stack: TerraformStack, aspect: IAspect): boolean {
  const above = stack.node.scopes.slice(0, -1);
  return Aspects.of(stack).all[0] === aspect && above.every((scope) => Aspects.of(scope).all.length === 0);
}


const guarded = new WeakSet<TerraformStack>();

/** The rule errors on a stack's constructs, as "[path] [RULE] message" lines. */
export function policyViolations(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((n) =>
    n.node.metadata
      .filter((m) => m.type === AnnotationMetadataEntryType.ERROR && typeof m.data === 'string' && /^\[[A-Z0-9-]+\] /.test(m.data))
      .map((m) => `[${n.node.path}] ${m.data as string}`),
  );
}

/** Runs once per stack, after the aspects and before cdktf's own (switchable) check and any write. */
function guard(stack: TerraformStack): void {
  if (guarded.has(stack)) return;
  guarded.add(stack);
  addCustomSynthesis(stack, {
    onSynthesize: () => {
      const found = policyViolations(stack);
      if (found.length === 0) return;
      throw new PolicyViolationError(
        `${found.length} policy rule violation(s) in stack ${stack.node.id}; nothing was written for it:\n${found.join('\n')}\n` +
          'Fix each resource as its message says; policy rules cannot be switched off.',
      );
    },
  });
}

export function isResourceOfType(node: IConstruct, type: string): node is TerraformResource {
  return node instanceof TerraformResource && node.terraformResourceType === type;
}
