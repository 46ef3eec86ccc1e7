import { Aspects, TerraformStack, Testing } from 'cdktf';
import { PolicyChecks, type PolicyRule } from '../../constructs/policy/rule';

/**
 * Builds a throwaway stack (`setup` adds the provider, `build` the constructs under test), runs
 * the given policy rules over it and returns the error annotations they left.
 */
export function violations(rules: readonly PolicyRule[], setup: (stack: TerraformStack) => void, build: (stack: TerraformStack) => void): string[] {
  const stack = new TerraformStack(Testing.app(), 'rules');
  setup(stack);
  build(stack);
  Aspects.of(stack).add(new PolicyChecks(rules));
  Testing.synth(stack);
  return stack.node
    .findAll()
    .flatMap((n) => n.node.metadata)
    .filter((m) => String(m.type).toLowerCase().includes('error'))
    .map((m) => String(m.data));
}
