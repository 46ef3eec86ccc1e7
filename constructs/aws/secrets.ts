import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';

export interface PipelineSecretsProps {
  readonly namePrefix: string;
  readonly kmsKeyArn: string;
  /** Secret names, each with the component that reads it. */
  readonly secrets: readonly { readonly name: string; readonly component: string }[];
}

/**
 * One Secrets Manager secret per named credential, encrypted with the customer key. The stack
 * creates the container only: the value is set out of band (`aws secretsmanager put-secret-value`)
 * and never passes through Terraform, so it is in no plan, state or synthesized file.
 */
export class PipelineSecrets extends Construct {
  private readonly byName = new Map<string, { readonly name: string; readonly arn: string; readonly component: string }>();

  constructor(scope: Construct, id: string, props: PipelineSecretsProps) {
    super(scope, id);
    const sorted = [...props.secrets].sort((a, b) => (a.component + a.name).localeCompare(b.component + b.name));
    for (const s of sorted) {
      const fullName = `${props.namePrefix}/${s.component}/${s.name}`;
      if (this.byName.has(`${s.component}/${s.name}`)) continue;
      const secret = new SecretsmanagerSecret(this, `${s.component}-${s.name}`, {
        name: fullName,
        description: `${s.name} for ${s.component}; value set out of band by the managing team`,
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays: 30,
        tags: { component: s.component },
      });
      this.byName.set(`${s.component}/${s.name}`, { name: fullName, arn: secret.arn, component: s.component });
    }
  }

  /** The secrets one component may read. */
  public forComponent(component: string): { readonly name: string; readonly arn: string }[] {
    return [...this.byName.values()].filter((s) => s.component === component).map(({ name, arn }) => ({ name, arn }));
  }

  /** Every secret's ARN, for the operator's write-only access. */
  public get arns(): string[] {
    return [...this.byName.values()].map((s) => s.arn);
  }
}
