/**
 * Administrator policies and roles: no customer role may hold one. Customer validation refuses
 * them early, and the FLEET-IAM2 policy rule refuses them in whatever a stack synthesizes.
 */

/** AWS managed policies that hand over the account, or the power to grant anything in it. */
export const ADMIN_MANAGED_POLICIES: readonly string[] = [
  'AdministratorAccess',
  'PowerUserAccess',
  'IAMFullAccess',
  'AWSOrganizationsFullAccess',
  'job-function/SystemAdministrator',
  'AdministratorAccess-Amplify',
  'AdministratorAccess-AWSElasticBeanstalk',
];

/** GCP roles that own a project or can grant themselves anything in it. */
export const ADMIN_GCP_ROLES: readonly string[] = [
  'roles/owner',
  'roles/editor',
  'roles/iam.securityAdmin',
  'roles/iam.roleAdmin',
  'roles/iam.organizationRoleAdmin',
  'roles/iam.serviceAccountAdmin',
  'roles/iam.serviceAccountKeyAdmin',
  'roles/iam.serviceAccountTokenCreator',
  'roles/resourcemanager.projectIamAdmin',
];

/** The AWS-managed administrator policy an ARN names (in any partition), or undefined. */
export function adminManagedPolicy(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn);
  return m && ADMIN_MANAGED_POLICIES.includes(m[1]) ? m[1] : undefined;
}
