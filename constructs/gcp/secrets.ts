import { Construct } from 'constructs';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { physicalName } from '../naming';
import { grantRole } from './iam';
import { secretEnvVar } from './startup-script';

export interface GcpPipelineSecretsProps {
  readonly namePrefix: string;
  readonly projectId: string;
  /** Replicas are kept in this region only. */
  readonly region: string;
  /** Secret names, each with the component that reads it. */
  readonly secrets: readonly { readonly name: string; readonly component: string }[];
  /** Refuse `terraform destroy` of a secret (its value would be lost). Default: false. */
  readonly deletionProtection?: boolean;
}

interface SecretEntry {
  readonly secretId: string;
  readonly name: string;
  readonly component: string;
  readonly secret: SecretManagerSecret;
}

/**
 * One Secret Manager secret per named credential. The stack creates the container only (no
 * version): the value is added out of band (`gcloud secrets versions add`) and never passes
 * through Terraform, so it is in no plan, state or synthesized file. Read access is granted per
 * secret, to the one component that reads it.
 */
export class GcpPipelineSecrets extends Construct {
  private readonly entries = new Map<string, SecretEntry>();

  constructor(scope: Construct, id: string, props: GcpPipelineSecretsProps) {
    super(scope, id);
    const sorted = [...props.secrets].sort((a, b) => `${a.component}/${a.name}`.localeCompare(`${b.component}/${b.name}`));
    for (const s of sorted) {
      const key = `${s.component}/${s.name}`;
      if (this.entries.has(key)) continue;
      const secretId = physicalName([props.namePrefix, s.component, s.name], 255);
      const secret = new SecretManagerSecret(this, `${s.component}-${s.name}`, {
        project: props.projectId,
        secretId,
        replication: { userManaged: { replicas: [{ location: props.region }] } },
        deletionProtection: props.deletionProtection ?? false,
        labels: { component: s.component },
        annotations: { purpose: `${s.name} for ${s.component}; value set out of band by the managing team` },
      });
      this.entries.set(key, { secretId, name: s.name, component: s.component, secret });
    }
  }

  /** The secrets one component reads at boot, as the startup script wants them. */
  public forComponent(component: string): { readonly secretId: string; readonly envVar: string; readonly name: string }[] {
    return [...this.entries.values()].filter((e) => e.component === component).map((e) => ({ secretId: e.secretId, envVar: secretEnvVar(e.name), name: e.name }));
  }

  /** Lets `member` read the values of `component`'s secrets, and nothing else. */
  public grantRead(scope: Construct, component: string, member: string): void {
    for (const e of this.entries.values()) {
      if (e.component !== component) continue;
      grantRole(scope, `read-${e.name}`, { kind: 'secret', secretId: e.secret.id }, 'roles/secretmanager.secretAccessor', member);
    }
  }

  /** Lets `member` add versions (set values) to every secret without reading any. */
  public grantAddVersions(scope: Construct, idPrefix: string, member: string): void {
    for (const e of this.entries.values()) {
      grantRole(scope, `${idPrefix}-${e.component}-${e.name}`, { kind: 'secret', secretId: e.secret.id }, 'roles/secretmanager.secretVersionAdder', member);
    }
  }
}
