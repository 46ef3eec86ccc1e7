import type { Construct } from 'constructs';
import { REDSHIFT_LOADER_CONTRACTS, TRANSFORMER_CONTRACTS } from '../apps/components/rdb-loader';
import { launch } from '../apps/launch';
import type { RdbLoaderResources } from './rdb-loader';
import { VmService, type VmServiceProps, type VmSizing } from './vm-service';

/** What every pipeline VM shares (network, key, account), as the pipeline passes it. */
export type VmDefaults = Pick<VmServiceProps, 'namePrefix' | 'vpcId' | 'subnetIds' | 'region' | 'accountId' | 'kmsKeyArn' | 'permissionsBoundaryArn' | 'logRetentionDays'>;

export interface RdbLoaderServicesProps {
  readonly resources: RdbLoaderResources;
  readonly vm: VmDefaults;
  /** The rdb-loader pin; the transformer is released with it and runs the same version. */
  readonly version: string;
  /** Sizing of each app. The loader loads one batch at a time, so more than one loader only waits. */
  readonly sizing: VmSizing;
  /** Customer settings (Redshift host, port, database, schema, user, ...), checked by the contracts. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Secrets of the rdb-loader component: full Secrets Manager names (ending in /<secret>) and ARNs. */
  readonly secrets: readonly { readonly name: string; readonly arn: string }[];
  readonly enrichedStream: string;
  readonly badStream: string;
  /** Where both apps find the pipeline's own Iglu Server. Default: none (Iglu Central only). */
  readonly igluBoot?: VmServiceProps['boot'];
}

/** Default Redshift port (the loader's `storage.port` default). */
export const REDSHIFT_PORT = 5439;

/**
 * The transformer-kinesis and Redshift loader VMs, launched from their app contracts
 * (constructs/apps/components/rdb-loader.ts) on the resources of `RdbLoaderResources`, each
 * with its own role built from that construct's statements. The loader also reaches Redshift on
 * the configured port; the transformer only needs AWS APIs (443).
 */
export function rdbLoaderServices(scope: Construct, p: RdbLoaderServicesProps): { transformer: VmService; loader: VmService } {
  const { resources: r, vm, version, settings } = p;
  const place = { cloud: 'aws', region: vm.region } as const;
  // The contracts know secrets by their short names.
  const pin = { version, settings, secrets: p.secrets.map((s) => s.name.slice(s.name.lastIndexOf('/') + 1)), sizing: p.sizing };
  const igluServer = p.igluBoot !== undefined;

  const transformer = new VmService(scope, 'transformer', {
    ...vm,
    component: 'transformer-kinesis',
    launch: launch(TRANSFORMER_CONTRACTS, place, 'transformer-kinesis', { ...pin, secrets: [] }, {
      input: p.enrichedStream,
      bad: p.badStream,
      appName: r.transformerLeases.name,
      outputPath: r.outputUri,
      queueName: r.queueName,
      igluServer,
    }),
    boot: p.igluBoot,
    sizing: p.sizing,
    statements: r.transformerStatements(),
  });

  const port = typeof settings.port === 'number' ? settings.port : REDSHIFT_PORT;
  const loader = new VmService(scope, 'service', {
    ...vm,
    component: 'rdb-loader',
    launch: launch(REDSHIFT_LOADER_CONTRACTS, place, 'rdb-loader', pin, { queueName: r.queueName, copyRoleArn: r.copyRoleArn, igluServer }),
    boot: p.igluBoot,
    sizing: p.sizing,
    secrets: p.secrets,
    egressPorts: [port],
    statements: r.loaderStatements(),
  });
  return { transformer, loader };
}
