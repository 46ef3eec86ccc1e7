import { Construct } from 'constructs';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { physicalName } from '../naming';
import { acceptsConditions, datasetCondition, grantCondition, grantRole, type IamCondition, type IamTarget } from './iam';
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
  /** Project the grant's reader service account lives in (the pipeline project). */
  readonly projectId: string;
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
 * customer's approval. Access ends at the end of the grant's last day even if nobody re-deploys,
 * on every resource kind:
 * - where GCP takes conditional bindings (project, log view), the binding carries the condition;
 * - a BigQuery dataset refuses conditions, so the role is bound at project level with the time
 *   condition and a resource.name condition naming that dataset and its tables only;
 * - Pub/Sub takes no conditional bindings at all, so the grant's own subscriptions are bound to a
 *   reader service account made for the grant, and the grantee may impersonate it only under the
 *   time condition (tokens already minted live at most an hour).
 * The next synth after expiry removes the bindings, the service account and the subscriptions.
 */
export class GcpAccessGrant extends Construct {
  public readonly readerServiceAccount?: ServiceAccount;

  constructor(scope: Construct, id: string, props: GcpAccessGrantProps) {
    super(scope, id);
    const { grant } = props;
    const condition = grantCondition(grant);
    const readTopics = props.readTopics ?? [];
    if (readTopics.length > 0 && props.topics === undefined) throw new Error(`GcpAccessGrant ${grant.id}: readTopics needs topics`);
    if (props.bindings.length === 0 && readTopics.length === 0) throw new Error(`GcpAccessGrant ${grant.id}: grants nothing; give bindings or readTopics`);
    props.bindings.forEach((b, i) => {
      if (b.target.kind === 'dataset') {
        const scoped: IamCondition = { ...condition, expression: `${condition.expression} && ${datasetCondition(b.target.project, b.target.datasetId)}` };
        grantRole(this, `binding-${i}`, { kind: 'project', project: b.target.project }, b.role, grant.principal, scoped);
      } else if (acceptsConditions(b.target)) {
        grantRole(this, `binding-${i}`, b.target, b.role, grant.principal, condition);
      } else {
        throw new Error(`GcpAccessGrant ${grant.id}: binding ${i} is on a ${b.target.kind}, which takes no condition; read topics through readTopics`);
      }
    });
    if (readTopics.length === 0) return;

    const reader = new ServiceAccount(this, 'reader', {
      project: props.projectId,
      accountId: physicalName(['grant', grant.id], 30),
      displayName: `Access grant ${grant.id} (${grant.ticket}), until ${grant.expires}`,
      description: `Reads the grant's Pub/Sub subscriptions; ${grant.principal} may impersonate it until the end of ${grant.expires}`,
    });
    this.readerServiceAccount = reader;
    new ServiceAccountIamMember(this, 'impersonate', {
      serviceAccountId: reader.name,
      role: 'roles/iam.serviceAccountTokenCreator',
      member: grant.principal,
      condition,
    });
    for (const topic of readTopics) {
      // A day of retention limits the copy this subscription keeps; it lives only as long as the grant.
      const subscription = props.topics!.subscribe(this, `${topic}-subscription`, topic, `grant-${grant.id}`, { messageRetentionDuration: '86400s' });
      const target: IamTarget = { kind: 'subscription', subscription: subscription.id };
      grantRole(this, `${topic}-subscriber`, target, 'roles/pubsub.subscriber', reader.member);
      grantRole(this, `${topic}-viewer`, target, 'roles/pubsub.viewer', reader.member);
    }
  }
}
