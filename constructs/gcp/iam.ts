/**
 * Resource-level IAM on GCP. Every binding the pipeline makes goes through `grantRole`, so a
 * binding names the exact topic, subscription, dataset, bucket, secret or log view it is for, and
 * project-level bindings are a visible, deliberate choice (`kind: 'project'`) for the few roles
 * that have no narrower resource (log and metric writers, viewers of monitoring data).
 */
import type { Construct } from 'constructs';
import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member';
import { LoggingLogViewIamMember } from '@cdktf/provider-google/lib/logging-log-view-iam-member';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { grantEndInstant } from '../access-grants';
import { PRIMITIVE_ROLES, PUBLIC_IAM_MEMBERS } from '../../customers/schema';

/** What a role is granted on. Topic, subscription and secret take the resource's id or name. */
export type IamTarget =
  | { readonly kind: 'project'; readonly project: string }
  | { readonly kind: 'topic'; readonly topic: string }
  | { readonly kind: 'subscription'; readonly subscription: string }
  | { readonly kind: 'dataset'; readonly project: string; readonly datasetId: string }
  | { readonly kind: 'secret'; readonly secretId: string }
  | { readonly kind: 'bucket'; readonly bucket: string }
  | { readonly kind: 'log-view'; readonly parent: string; readonly location: string; readonly bucket: string; readonly name: string };

export interface IamCondition {
  readonly title: string;
  readonly description?: string;
  readonly expression: string;
}

export type IamMemberResource =
  | ProjectIamMember
  | PubsubTopicIamMember
  | PubsubSubscriptionIamMember
  | BigqueryDatasetIamMember
  | SecretManagerSecretIamMember
  | StorageBucketIamMember
  | LoggingLogViewIamMember;

/**
 * Grants `role` to `member` on `target`. Refuses basic roles and public members up front: the
 * policy rules would fail the synth anyway, but here the message names the binding being made.
 */
export function grantRole(scope: Construct, id: string, target: IamTarget, role: string, member: string, condition?: IamCondition): IamMemberResource {
  if (PRIMITIVE_ROLES.includes(role)) {
    throw new Error(`grantRole ${id}: ${role} is a basic role covering every service; grant a predefined role on the resource instead`);
  }
  if (PUBLIC_IAM_MEMBERS.includes(member)) {
    throw new Error(`grantRole ${id}: ${member} is public; name a user, group or service account`);
  }
  if (condition !== undefined && !acceptsConditions(target)) {
    throw new Error(
      `grantRole ${id}: a ${target.kind} binding takes no IAM condition (GCP refuses it); bind at project level with a resource.name condition, or through a service account the member impersonates under the condition`,
    );
  }
  const common = { role, member, condition };
  switch (target.kind) {
    case 'project':
      return new ProjectIamMember(scope, id, { project: target.project, ...common });
    case 'topic':
      return new PubsubTopicIamMember(scope, id, { topic: target.topic, ...common });
    case 'subscription':
      return new PubsubSubscriptionIamMember(scope, id, { subscription: target.subscription, ...common });
    case 'dataset':
      return new BigqueryDatasetIamMember(scope, id, { project: target.project, datasetId: target.datasetId, ...common });
    case 'secret':
      return new SecretManagerSecretIamMember(scope, id, { secretId: target.secretId, ...common });
    case 'bucket':
      return new StorageBucketIamMember(scope, id, { bucket: target.bucket, ...common });
    case 'log-view':
      return new LoggingLogViewIamMember(scope, id, { parent: target.parent, location: target.location, bucket: target.bucket, name: target.name, ...common });
  }
}

/**
 * Whether GCP accepts a conditional binding on the target. BigQuery refuses conditions on dataset
 * bindings (they live in the dataset's ACL) and Pub/Sub topics and subscriptions take no
 * conditional bindings at all.
 */
export function acceptsConditions(target: IamTarget): boolean {
  return target.kind !== 'dataset' && target.kind !== 'topic' && target.kind !== 'subscription';
}

/**
 * A condition limiting a project-level binding to one BigQuery dataset and its tables, views and
 * routines (names projects/<p>/datasets/<d>[/...]), not datasets whose name merely starts alike.
 */
export function datasetCondition(project: string, datasetId: string): string {
  const name = `projects/${project}/datasets/${datasetId}`;
  return `(resource.name == "${name}" || resource.name.startsWith("${name}/"))`;
}

/** The IAM condition that ends an access grant at the end of its last day (UTC). */
export function grantCondition(grant: { readonly id: string; readonly expires: string; readonly ticket: string; readonly approvedBy: string }): IamCondition {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(grant.expires)) {
    throw new Error(`access grant ${grant.id}: expires "${grant.expires}" is not YYYY-MM-DD`);
  }
  return {
    title: `grant-${grant.id}`.slice(0, 100),
    description: `${grant.ticket}, approved by ${grant.approvedBy}, last day ${grant.expires}`,
    expression: `request.time < timestamp("${grantEndInstant(grant.expires)}")`,
  };
}
