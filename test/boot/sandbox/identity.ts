/**
 * Who the VM is and what the stubbed secret stores hold. The values are chosen to break careless
 * handling: a multi-line PEM, a password with shell and HOCON metacharacters, a UUID where the
 * app insists on one, and the JSON an RDS-managed master secret holds.
 */

export interface Identity {
  readonly instanceId: string;
  readonly hostname: string;
  readonly ip: string;
  readonly awsRegion: string;
  readonly awsAccount: string;
  readonly gcpProject: string;
  readonly gcpZone: string;
}

export interface SecretValues {
  /** Which value file a secret id gets: first matching glob wins. */
  readonly kinds: readonly { readonly glob: string; readonly file: string }[];
  readonly files: Readonly<Record<string, string>>;
}

export function identityFor(cloud: 'aws' | 'gcp', region: string, account: string, n = 1): Identity {
  return cloud === 'aws'
    ? {
        instanceId: n === 1 ? 'i-0a1b2c3d4e5f60718' : 'i-0f9e8d7c6b5a40392',
        hostname: n === 1 ? `ip-10-0-1-23.${region}.compute.internal` : `ip-10-0-2-47.${region}.compute.internal`,
        ip: n === 1 ? '10.0.1.23' : '10.0.2.47',
        awsRegion: region,
        awsAccount: account,
        gcpProject: 'not-on-gcp',
        gcpZone: 'none',
      }
    : {
        instanceId: n === 1 ? '4567890123456789012' : '4567890123456789099',
        hostname: n === 1 ? `pipeline-vm-x7k2.c.${account}.internal` : `pipeline-vm-q9p4.c.${account}.internal`,
        ip: n === 1 ? '10.10.0.7' : '10.10.0.9',
        awsRegion: 'not-on-aws',
        awsAccount: '000000000000',
        gcpProject: account,
        gcpZone: `${region}-b`,
      };
}

export const TEST_PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  '-----END PRIVATE KEY-----',
].join('\n');
export const TEST_UUID = '3f2c1b0a-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
/** Spaces, quotes, $, backslash, # and = : whatever quoting a script forgets shows up. */
export const TEST_PASSWORD = `p@ss w0rd'"$HOME\\#=;|&x`;
export const TEST_DB_PASSWORD = 'Rds-Generated+Pa55/word=';

export const SECRET_VALUES: SecretValues = {
  kinds: [
    { glob: '*private-key*', file: 'pem' },
    { glob: '*PRIVATE_KEY*', file: 'pem' },
    { glob: '*api-key*', file: 'uuid' },
    { glob: '*API_KEY*', file: 'uuid' },
    { glob: '*rds!*', file: 'rds-json' },
    { glob: '*db-password*', file: 'db-password' },
    { glob: '*', file: 'password' },
  ],
  files: {
    pem: TEST_PEM,
    uuid: TEST_UUID,
    password: TEST_PASSWORD,
    'db-password': TEST_DB_PASSWORD,
    'rds-json': JSON.stringify({ username: 'iglu', password: TEST_DB_PASSWORD }),
  },
};

/** The values a container may legitimately receive for a secret (the RDS JSON yields its password). */
export function secretPlainValues(raw: string): string[] {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { password?: unknown }).password === 'string') return [raw, (parsed as { password: string }).password];
  } catch {
    /* not JSON */
  }
  return [raw];
}
