/**
 * The change-set contract shared by `fleet upgrades stage` (predicted changes, from comparing two
 * synthesized configurations) and `fleet review` (real changes, from `terraform show -json`).
 */

/** What happens to one resource. A replace is a delete and a create of the same address. */
export type ChangeAction = 'create' | 'update' | 'replace' | 'delete';

export interface ResourceChange {
  /** Terraform address as in plan JSON: "<type>.<name>" (e.g. aws_launch_template.pipeline_collector_service_template_51004734). */
  readonly address: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** Attribute paths that change, dotted with list indexes (e.g. "user_data", "rule.0.expiration"); sorted. */
  readonly paths: string[];
  /** For a replace: the paths that force it (replace_paths in plan JSON). */
  readonly replacePaths?: string[];
  /**
   * Paths whose new value is known only after apply (they refer to a resource that is replaced,
   * or to an attribute that moves on every update); `terraform plan` shows "(known after apply)".
   */
  readonly knownAfterApply?: string[];
  /**
   * Set when the prediction may be wrong: e.g. an update of a resource type whose force-new
   * attributes are not known to the stage, or a value only known after apply.
   */
  readonly uncertain?: string;
}

export type RiskLevel = 'blocking' | 'warning';

export interface Risk {
  readonly level: RiskLevel;
  readonly address: string;
  /** For a reviewer: what and why, e.g. "replaces a Kinesis stream: its unread records are lost". */
  readonly reason: string;
}

export interface ChangeSet {
  readonly stack: string;
  /** Sorted by address. Resources that do not change are not listed. */
  readonly changes: ResourceChange[];
  /** Blocking first, then warnings; each sorted by address. */
  readonly risks: Risk[];
}

/** A synthesized stack configuration (cdk.tf.json), the part the change set reads. */
export interface TerraformConfig {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
}
