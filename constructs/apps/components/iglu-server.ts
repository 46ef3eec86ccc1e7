/**
 * Iglu Server (§9). `setup --config <same file>` creates the tables and must finish before the
 * server starts (idempotent since 0.8.3; from 0.11 the server's start-up migration fails without
 * it). License from 0.12.0. The super API key must parse as a UUID. The database host and
 * password come from the cloud's database wiring at boot. Health: GET /api/meta/health.
 * Sources: [IGS@0.10.0, @0.14.0 Config.scala, config/config.minimal.hocon, Server.scala, MetaService.scala].
 */
import { gte } from 'semver';
import { boot, imageFor, type AppContract, type SecretSpec } from '../contract';
import { compact, inContainer, license, secretBootValues, secretValue } from '../parts';

export interface IgluServerWiring {
  readonly port: number;
  readonly dbName: string;
  readonly dbUser: string;
}

const SECRETS: Readonly<Record<string, SecretSpec>> = {
  'iglu-super-api-key': { variable: 'IGLU_SUPER_API_KEY', description: 'Super API key (a UUID) for publishing schemas' },
};

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const HOST_PATTERN = '^[A-Za-z0-9.-]+$';

function contract(label: string, range: string, licensed: boolean): AppContract<IgluServerWiring> {
  const c: AppContract<IgluServerWiring> = {
    component: 'iglu-server',
    range,
    label,
    images: { aws: ['snowplow/iglu-server'], gcp: ['snowplow/iglu-server'] },
    license: licensed ? 'config' : 'none',
    argsSummary: 'setup --config <file> (to completion), then --config <file>',
    settings: {},
    secrets: SECRETS,
    health: { port: 8080, path: '/api/meta/health' },
    needs: ['database', 'load balancer'],
    sources: 'app-contracts.md §9',
    launch: (common, w) => {
      const config = compact({
        ...license(licensed),
        repoServer: { interface: '0.0.0.0', port: w.port },
        database: {
          type: 'postgres',
          host: boot('IGLU_DB_HOST'),
          port: 5432,
          dbname: w.dbName,
          username: w.dbUser,
          password: boot('IGLU_DB_PASSWORD'),
        },
        superApiKey: secretValue(common, SECRETS, 'iglu-super-api-key'),
        debug: false,
        patchesAllowed: false,
      });
      const args = ['--config', inContainer('iglu-server.hocon')];
      const image = imageFor(c, common.cloud, common.version);
      return {
        service: common.service,
        contract: `iglu-server ${label}`,
        files: [{ path: 'iglu-server.hocon', format: 'hocon', content: config }],
        bootValues: [
          { variable: 'IGLU_DB_HOST', source: { kind: 'iglu-db-host' }, secret: false, pattern: HOST_PATTERN },
          { variable: 'IGLU_DB_PASSWORD', source: { kind: 'iglu-db-password' }, secret: true },
          ...secretBootValues(common, SECRETS).map((b) => ({ ...b, pattern: UUID_PATTERN })),
        ],
        // Before 0.8.3 setup fails on a database it already set up.
        setup: [{ name: 'iglu-server-setup', image, args: ['setup', ...args], onFailure: gte(common.version, '0.8.3') ? 'stop' : 'continue' }],
        containers: [{ name: 'iglu-server', image, args }],
        ports: [w.port],
        health: { port: w.port, path: '/api/meta/health' },
      };
    },
  };
  return c;
}

export const IGLU_SERVER_CONTRACTS: readonly AppContract<IgluServerWiring>[] = [
  contract('0.8-0.11', '>=0.8.0 <0.12.0', false),
  contract('0.12+', '>=0.12.0 <1.0.0', true),
];
