import { Construct } from 'constructs';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { grantRole, type IamTarget } from './iam';
import type { GcpPipelineSecrets } from './secrets';

export interface GcpOperatorAccessProps {
  readonly namePrefix: string;
  readonly projectId: string;
  readonly region: string;
  /** The managing team's IAM members. */
  readonly principals: readonly string[];
  /** Topics and subscriptions whose configuration and backlog the operators watch. */
  readonly pubsub: readonly IamTarget[];
  /** The events dataset: operators see its tables' metadata, not their rows. */
  readonly dataset: Extract<IamTarget, { kind: 'dataset' }>;
  readonly secrets: GcpPipelineSecrets;
}

/** Roles whose resources are the project itself: monitoring data, log entries, compute configuration. */
export const OPERATOR_PROJECT_ROLES = ['roles/monitoring.viewer', 'roles/logging.viewer', 'roles/compute.viewer'] as const;

/** A member string made safe for a construct id. */
export function memberId(member: string): string {
  return member.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Custom role ids allow letters, digits, underscores and dots only. */
export function customRoleId(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 64);
}

/**
 * What the managing team needs to run and monitor the pipeline: read metrics, logs and compute
 * configuration, watch the Pub/Sub resources, see the dataset's schema, roll the pipeline's
 * instance groups (a custom role limited by condition to groups named after the pipeline), and
 * add secret versions without being able to read them. Data access is not here: it comes only
 * through time-bound access grants.
 */
export class GcpOperatorAccess extends Construct {
  constructor(scope: Construct, id: string, props: GcpOperatorAccessProps) {
    super(scope, id);
    if (props.principals.length === 0) throw new Error(`GcpOperatorAccess ${props.namePrefix}: principals is empty; name the managing team's group`);
    const project: IamTarget = { kind: 'project', project: props.projectId };
    const rollGroups = new ProjectIamCustomRole(this, 'roll-groups-role', {
      project: props.projectId,
      roleId: customRoleId('fleet', props.namePrefix, 'operator'),
      title: `Roll ${props.namePrefix} instance groups`,
      description: 'Restart or replace the pipeline instances (rolling actions on its managed instance groups)',
      permissions: ['compute.instanceGroupManagers.get', 'compute.instanceGroupManagers.update'],
    });
    const groupsCondition = {
      title: 'pipeline-instance-groups-only',
      description: `Instance groups named ${props.namePrefix}-*`,
      expression: `resource.name.startsWith("projects/${props.projectId}/regions/${props.region}/instanceGroupManagers/${props.namePrefix}-")`,
    };
    for (const principal of [...new Set(props.principals)].sort()) {
      const scope = new Construct(this, memberId(principal));
      for (const role of OPERATOR_PROJECT_ROLES) grantRole(scope, role.split('/')[1], project, role, principal);
      grantRole(scope, 'roll-groups', project, rollGroups.name, principal, groupsCondition);
      props.pubsub.forEach((target, i) => grantRole(scope, `pubsub-viewer-${i}`, target, 'roles/pubsub.viewer', principal));
      grantRole(scope, 'dataset-metadata', props.dataset, 'roles/bigquery.metadataViewer', principal);
      props.secrets.grantAddVersions(scope, 'secret-versions', principal);
    }
  }
}
