import {
  Annotations,
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformResource,
  Tokenization,
  type IAspect,
} from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * A policy rule in the cdk-nag style: one rule a file, each looking at one construct at a time
 * and returning what is wrong with it. PolicyChecks reports violations as error annotations, so
 * `app.synth()` (and `cdktf synth`) fails and names the construct path and the rule.
 */
export interface PolicyRule {
  /** Short stable id, e.g. "FLEET-IAM1". */
  readonly id: string;
  readonly description: string;
  /** Messages for each violation found on this construct; empty when compliant. */
  check(node: IConstruct): string[];
}

export class PolicyChecks implements IAspect {
  constructor(private readonly rules: readonly PolicyRule[]) {}

  visit(node: IConstruct): void {
    for (const rule of this.rules) {
      for (const message of rule.check(node)) {
        Annotations.of(node).addError(`[${rule.id}] ${message}`);
      }
    }
  }
}

/**
 * The attributes of a resource as they are synthesized (snake_case keys, references resolved to
 * "${type.name.attr}"), so rules read what a reviewer sees in cdk.tf.json.
 */
export function synthesizedJson(element: TerraformElement): unknown {
  return Tokenization.resolve(element.toTerraform(), { scope: element, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}

export function synthesizedAttributes(resource: TerraformElement): Record<string, unknown> {
  const json = synthesizedJson(resource) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
  for (const block of Object.values(json)) {
    for (const byType of Object.values(block)) {
      for (const attrs of Object.values(byType)) return attrs;
    }
  }
  return {};
}

export function isResourceOfType(node: IConstruct, type: string): node is TerraformResource {
  return node instanceof TerraformResource && node.terraformResourceType === type;
}
