// Brings the cdktf jest matchers' types (toHaveResourceWithProperties, ...) into scope; test/setup.ts registers them.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { customerSchema, type CustomerSpec, type GcpCustomerSpec } from '../../../customers/schema';
import { exampleJson, synthStack } from '../../support/specs';

export { NOW, synthStack } from '../../support/specs';

/** A validated GCP spec from an example, after `change` edits its raw JSON. */
export function gcpSpec(file = 'helios-media-prod.json', change: (raw: any) => void = () => {}): GcpCustomerSpec {
  const raw = exampleJson(file);
  change(raw);
  const spec = customerSchema.parse(raw) as CustomerSpec;
  if (spec.cloud !== 'gcp') throw new Error(`${file} is not a GCP customer`);
  return spec;
}

type Resources = Record<string, Record<string, Record<string, any>>>;

/** Synthesized JSON of a GCP stack, parsed, with helpers that read it the way a reviewer does. */
export class Synth {
  public readonly resource: Resources;

  constructor(public readonly json: string) {
    this.resource = (JSON.parse(json) as { resource: Resources }).resource;
  }

  static of(spec: GcpCustomerSpec, now?: Date): Synth {
    return new Synth(synthStack(spec, now));
  }

  all(type: string): Record<string, any>[] {
    return Object.values(this.resource[type] ?? {});
  }

  /** The one resource of `type` matching `match`; fails when there is not exactly one. */
  one(type: string, match: (r: Record<string, any>) => boolean): Record<string, any> {
    const found = this.all(type).filter(match);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  }

  /** "${type.key.attr}" of the one resource of `type` matching `match`. */
  ref(type: string, match: (r: Record<string, any>) => boolean, attr = 'id'): string {
    const entries = Object.entries(this.resource[type] ?? {}).filter(([, r]) => match(r));
    if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
    return `\${${type}.${entries[0][0]}.${attr}}`;
  }

  /** "${google_service_account.<key>.member}" of the service account whose account_id starts with `prefix`. */
  member(accountIdPrefix: string): string {
    return this.ref('google_service_account', (r) => String(r.account_id).startsWith(accountIdPrefix), 'member');
  }

  /** Every IAM member resource (any *_iam_member type) granted to `member`, with its type. */
  bindingsOf(member: string): (Record<string, any> & { type: string })[] {
    return Object.entries(this.resource)
      .filter(([type]) => type.endsWith('_iam_member'))
      .flatMap(([type, rs]) => Object.values(rs).filter((r) => r.member === member).map((r): Record<string, any> & { type: string } => ({ ...r, type })));
  }
}
