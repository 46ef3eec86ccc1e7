/** One app's expectations: which images are it, and what its container must get (app-contracts.md per section). */
import type { CheckContext } from './context';

export interface AppCheck {
  /** Customer component. */
  readonly component: string;
  /** Image repositories (namespace/name) of this app -> the role it plays, per cloud. */
  readonly images: Readonly<Record<string, { readonly cloud?: 'aws' | 'gcp'; readonly role: string }>>;
  // cloud: the only cloud the image is for (a Kinesis image on GCP is a bug). Default: both.
  /** Violations for one container of this app (empty when it would start with what it gets). */
  readonly check: (ctx: CheckContext, role: string) => Promise<string[]>;
  /**
   * A value that must differ between two instances running at once (e.g. the Snowflake channel);
   * the harness boots a second instance and compares. Default: none.
   */
  readonly perInstance?: (ctx: CheckContext) => Promise<{ readonly key: string; readonly value: unknown }>;
  /** The port the container serves on the host network and the paths that answer 200 when healthy. Default: serves nothing. */
  readonly listens?: (ctx: CheckContext, role: string) => Promise<Listening | undefined>;
}

export interface Listening {
  readonly port: number;
  readonly healthPaths: RegExp;
}
