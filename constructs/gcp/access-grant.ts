import { Construct } from 'constructs';
import { grantCondition, grantRole, type IamTarget } from './iam';
import type { PipelineTopics } from './pubsub';

export interface GcpAccessGrantProps {
  readonly grant: {
    readonly id: string;
    readonly principal: string;
    /** Last valid day, YYYY-MM-DD (UTC). */
    readonly expires: string;
    readonly ticket: string;
    readonly approvedBy: string;
  };
  /** Roles on existing resources. */
  readonly bindings: readonly { readonly role: string; readonly target: IamTarget }[];
  /**
   * Topics the grantee reads through subscriptions made for this grant, so reading never takes
   * messages from a pipeline app's own subscription. Default: none.
   */
  readonly readTopics?: readonly string[];
  /** Required with readTopics. */
  readonly topics?: PipelineTopics;
}

/**
 * Access beyond operating the pipeline (data access above all), granted case by case with the
 * customer's approval. Every binding carries an IAM condition that ends it at the end of the
 * grant's last day, so access stops on time even if nobody re-deploys; the next synth after expiry
 * removes the bindings (and the grant's subscriptions) altogether.
 */
export class GcpAccessGrant extends Construct {
  constructor(scope: Construct, id: string, props: GcpAccessGrantProps) {
    super(scope, id);
    const { grant } = props;
    const condition = grantCondition(grant);
    const readTopics = props.readTopics ?? [];
    if (readTopics.length > 0 && props.topics === undefined) throw new Error(`GcpAccessGrant ${grant.id}: readTopics needs topics`);
    if (props.bindings.length === 0 && readTopics.length === 0) throw new Error(`GcpAccessGrant ${grant.id}: grants nothing; give bindings or readTopics`);
    props.bindings.forEach((b, i) => grantRole(this, `binding-${i}`, b.target, b.role, grant.principal, condition));
    for (const topic of readTopics) {
      // A day of retention limits the copy this subscription keeps; it lives only as long as the grant.
      const subscription = props.topics!.subscribe(this, `${topic}-subscription`, topic, `grant-${grant.id}`, { messageRetentionDuration: '86400s' });
      const target: IamTarget = { kind: 'subscription', subscription: subscription.id };
      grantRole(this, `${topic}-subscriber`, target, 'roles/pubsub.subscriber', grant.principal, condition);
      grantRole(this, `${topic}-viewer`, target, 'roles/pubsub.viewer', grant.principal, condition);
    }
  }
}
