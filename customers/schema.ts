/**
 * The customer file: one JSON file per customer environment under customers/.
 *
 * This schema is the single source of truth for what a customer file may hold. The JSON Schema
 * in customers/customer.schema.json is generated from it (`npx fleet schema`) so editors can
 * complete and check the files as they are typed.
 *
 * Messages are written for the person editing the file: each one says what was expected and,
 * where it helps, how to fix it (see `expect()`).
 */
import { z } from 'zod';
import { ADMIN_GCP_ROLES, adminManagedPolicy } from './admin-policies';
import { refinement } from './refine';

/** Encodes "expected" and "hint" into a zod message; customers/issues.ts decodes it. */
export function expect(expected: string, hint?: string): string {
  return JSON.stringify({ expected, hint });
}

/**
 * `$schema` only points an editor at the JSON schema beside the file: a relative path, so a URL
 * (with credentials, say) or any other value has no place there. It is secret-scanned too.
 */
export const schemaReference = z
  .string()
  .max(200)
  .regex(/^(?:\.{1,2}\/)*(?:[\w-]+\/)*[\w-]+(?:\.[\w-]+)*\.json$/, expect('a relative path to a JSON schema file, such as ./customer.schema.json', 'the field only points an editor at the schema; remove it or use that form'));

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const THIRTY_DAY_MONTHS = new Set([4, 6, 9, 11]);

/** A YYYY-MM-DD string names a day of the Gregorian calendar (by arithmetic: a fleet's files hold hundreds of thousands of dates). */
export function isCalendarDate(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : THIRTY_DAY_MONTHS.has(month) ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, expect('a date as YYYY-MM-DD', 'write e.g. 2026-12-31'))
  .refine(isCalendarDate, { message: expect('a real calendar date', 'check the month and day') });

// Up to nine digits a number: no release comes near, and semver refuses numbers past 2^53.
// A prerelease tag (refused later, but named) of at most 20 characters: a longer one is more
// likely a pasted value than a tag, and the pin is printed in plans. A fourth number is
// Enrich's maintenance backports (3.6.0.1-3.6.0.3), which the catalog lists.
export const PIN_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8})|-[0-9A-Za-z.-]{1,20})?$/;

const semverString = z
  .string()
  .regex(
    PIN_VERSION,
    expect('an exact version such as 3.4.0', 'pin an exact release (numbers of at most 9 digits, or a backport such as 3.6.0.1); ranges and "latest" are not allowed'),
  );

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, expect('an email address'));

const hostname = z
  .string()
  .regex(
    /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    expect('a lower-case DNS name such as collector.example.com', 'no scheme, no path, no trailing dot'),
  );

const awsAccountId = z.string().regex(/^\d{12}$/, expect('a 12-digit AWS account id, as a string'));
const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, expect('an AWS region such as eu-west-1'));
const iamRoleArn = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, expect('an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>'));
const iamPrincipalArn = z
  .string()
  .regex(
    /^arn:aws:(iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)|sts::\d{12}:assumed-role\/[\w+=,.@/-]+)$/,
    expect('an IAM principal ARN (account root, role or user)', 'e.g. arn:aws:iam::123456789012:role/fleet-operator'),
  );
const acmCertificateArn = z
  .string()
  .regex(
    /^arn:aws:acm:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:certificate\/[0-9a-f-]{36}$/,
    expect('an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<uuid>'),
  );
const managedPolicyArn = z
  .string()
  .regex(/^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, expect('an IAM managed policy ARN'));

/** A secret's *name*: the value is set out of band in Secrets Manager / Secret Manager. */
export const secretName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{2,62}$/,
    expect('a secret name in kebab-case such as snowflake-private-key', 'name the credential; never put its value in a customer file'),
  );

export const ELB_TLS_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
] as const;

const awsVmSizing = z
  .strictObject({
    /** EC2 instance type. */
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\d[a-z]*\.[a-z0-9]+$/, expect('an EC2 instance type such as m5.large')),
    minSize: z.number().int().min(1, expect('at least 1 instance')),
    maxSize: z.number().int().min(1).max(100),
  })
  .refine((s) => s.maxSize >= s.minSize, { message: expect('maxSize >= minSize'), path: ['maxSize'] });

/** Non-secret application settings rendered into the app's configuration. */
const appSettings = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({});

function vmComponent<S extends z.ZodTypeAny>(sizing: S) {
  return z.strictObject({
    version: semverString,
    sizing,
    /** Names of the secrets this component reads at start-up. */
    secrets: z.array(secretName).default([]),
    settings: appSettings,
  });
}

const awsComponent = vmComponent(awsVmSizing);

/**
 * Enrichments beyond the defaults (campaign attribution, event fingerprint, YAUAA), by file
 * name: each the enrichment's self-describing JSON; a default's name replaces it (set
 * data.enabled to false to turn it off). Default: the defaults only.
 */
const enrichments = z
  .record(
    z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, expect('an enrichment name such as anon_ip')),
    z.object({ schema: z.string().regex(/^iglu:[a-zA-Z0-9._-]+\/[a-zA-Z0-9_-]+\/jsonschema\/\d+-\d+-\d+$/, expect('an Iglu URI such as iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1')), data: z.record(z.string(), z.unknown()) }).strict(),
  )
  .optional();

export const WAREHOUSE_LOADERS_AWS = ['snowflake-streaming-loader', 'rdb-loader', 'elasticsearch-loader'] as const;

const awsComponents = z
  .strictObject({
    collector: awsComponent,
    enrich: awsComponent.extend({ enrichments }),
    's3-loader': awsComponent.extend({
      lifecycle: z
        .strictObject({
          /** Days before objects move to STANDARD_IA. Default: no transition. */
          transitionToInfrequentAccessDays: z.number().int().min(30).optional(),
          /** Days before objects expire. Default: kept forever. */
          expireDays: z.number().int().min(1).optional(),
        })
        .default({}),
    }),
    'snowflake-streaming-loader': awsComponent.optional(),
    'rdb-loader': awsComponent.optional(),
    'elasticsearch-loader': awsComponent.optional(),
    'iglu-server': awsComponent
      .extend({
        database: z
          .strictObject({
            instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, expect('an RDS instance class such as db.t4g.micro')),
            allocatedStorageGb: z.number().int().min(20).max(1000).default(20),
          })
          .default({ instanceClass: 'db.t4g.micro', allocatedStorageGb: 20 }),
      })
      .optional(),
  })
  .strict()
  .check(refinement((c, ctx) => {
    const loaders = WAREHOUSE_LOADERS_AWS.filter((k) => c[k] !== undefined);
    if (loaders.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: expect(
          `exactly one warehouse loader (${WAREHOUSE_LOADERS_AWS.join(', ')})`,
          loaders.length === 0 ? 'add the loader this customer uses' : `found ${loaders.join(' and ')}; keep one per environment`,
        ),
      });
    }
  }));

const streams = z
  .strictObject({
    /** Default: on-demand capacity. */
    mode: z.enum(['on-demand', 'provisioned']).default('on-demand'),
    /** Shard counts, required when mode is provisioned. */
    shards: z
      .strictObject({ raw: z.number().int().min(1), enriched: z.number().int().min(1), bad: z.number().int().min(1) })
      .optional(),
    /** Default: 24 hours. */
    retentionHours: z.number().int().min(24).max(8760).default(24),
  })
  .refine((s) => s.mode === 'on-demand' || s.shards !== undefined, {
    message: expect('shards { raw, enriched, bad } when mode is "provisioned"', 'add shard counts or use mode "on-demand"'),
    path: ['shards'],
  });

const awsSsl = z.discriminatedUnion('certificate', [
  z.strictObject({
    /** Use a certificate that already exists in ACM (e.g. imported by the customer). */
    certificate: z.literal('existing'),
    certificateArn: acmCertificateArn,
    additionalCertificateArns: z.array(acmCertificateArn).default([]),
    policy: z.enum(ELB_TLS_POLICIES).default('ELBSecurityPolicy-TLS13-1-2-2021-06'),
  }),
  z.strictObject({
    /** The stack requests a DNS-validated ACM certificate for the collector domain. */
    certificate: z.literal('managed'),
    /** Route 53 zone to write validation records into. Default: none; the records are stack outputs. */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, expect('a Route 53 hosted zone id such as Z0123456789ABC')).optional(),
    /** Without a hosted zone: true once the DNS validation record from the stack output exists; only then is HTTPS served. Default false. */
    validationRecordCreated: z.boolean().default(false),
    additionalCertificateArns: z.array(acmCertificateArn).default([]),
    policy: z.enum(ELB_TLS_POLICIES).default('ELBSecurityPolicy-TLS13-1-2-2021-06'),
  }),
]);

const iamStatement = z.strictObject({
  actions: z.array(z.string().regex(/^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$/, expect('an IAM action such as s3:GetObject'))).min(1),
  /** ARNs, or pipeline resource names: raw-stream, enriched-stream, bad-stream, bucket, bucket-objects. */
  resources: z.array(z.string().min(1)).min(1),
});

const customRole = z.strictObject({
  name: z.string().regex(/^[A-Za-z][\w+=,.@-]{0,40}$/, expect('an IAM role name (letters, digits, +=,.@_-)')),
  description: z.string().max(1000),
  assumedBy: z.array(iamPrincipalArn).min(1),
  managedPolicyArns: z
    .array(
      managedPolicyArn.refine((arn) => adminManagedPolicy(arn) === undefined, {
        message: expect('a managed policy narrower than an administrator policy', 'name the actions the role needs under "statements" instead'),
      }),
    )
    .default([]),
  statements: z.array(iamStatement).default([]),
});

export const GRANT_SCOPES = ['enriched-data-read', 'bad-data-read', 'stream-read', 'logs-read'] as const;

/** An access grant; `principal` is the cloud's identity format (an IAM ARN on AWS, an IAM member on GCP). */
function accessGrantOf<P extends z.ZodTypeAny>(principal: P) {
  return z.strictObject({
    /** Stable id; becomes part of the policy name. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, expect('a kebab-case grant id such as dq-investigation-1234')),
    /** Who receives the access. */
    principal,
    /** What the grant allows. */
    scope: z.enum(GRANT_SCOPES),
    reason: z.string().min(3),
    approvedBy: email,
    ticket: z.string().regex(/^[A-Z][A-Z0-9]+-\d+$/, expect('a ticket reference such as SUP-1234')),
    status: z.enum(['approved', 'pending', 'revoked']),
    /** Last day (UTC) the grant is valid; the IAM condition ends it at the end of that day. */
    expires: isoDate,
  });
}

const accessGrant = accessGrantOf(iamPrincipalArn);

/** An allow-list of identities (IAM ARNs on AWS, IAM members on GCP), each with the reason it is trusted. */
function trustedPrincipalsOf<P extends z.ZodTypeAny>(principal: P) {
  return z
    .array(z.strictObject({ principal, reason: z.string().min(10, expect('a reason of 10 or more characters', 'say who this is and why they may have access')) }))
    .default([]);
}

const maintenanceWindow = z.strictObject({
  days: z.array(z.enum(DAY_NAMES)).min(1),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, expect('a 24-hour time HH:MM')),
  durationHours: z.number().min(1).max(24),
});

/** Zones already checked: building an Intl.DateTimeFormat per file was a third of validating a large fleet. */
const zoneChecks = new Map<string, boolean>();

function isTimeZone(tz: string): boolean {
  let known = zoneChecks.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    if (zoneChecks.size < 10_000) zoneChecks.set(tz, known);
  }
  return known;
}

const timezone = z.string().refine(isTimeZone, { message: expect('an IANA time zone such as Europe/London') });

export const COMPONENT_IDS = [
  'collector',
  'enrich',
  's3-loader',
  'snowflake-streaming-loader',
  'rdb-loader',
  'elasticsearch-loader',
  'bigquery-loader',
  'iglu-server',
] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

/** Nominated contacts that receive failure alerts by email. */
const alertContacts = z.array(email).min(1, expect('at least one alert contact', 'the service emails failures to nominated contacts'));

/** Thresholds both clouds alert on the same way. */
const sharedAlertThresholds = {
  /** Oldest unprocessed record age, in seconds, on any stream or subscription. Default 600. */
  maxConsumerLagSeconds: z.number().int().min(30).default(600),
  /** Days before the collector certificate expires to alert. Default 30. */
  certificateExpiryDays: z.number().int().min(1).default(30),
};

const alertThresholds = {
  /** Load balancer 5xx responses per 5 minutes. Default 50. */
  http5xxPer5Min: z.number().int().min(1).default(50),
  maxConsumerLagSeconds: sharedAlertThresholds.maxConsumerLagSeconds,
  /** Minimum healthy collector instances. Default 1. */
  minHealthyCollectors: z.number().int().min(1).default(1),
  /** Days before a stack-owned certificate expires to alert. Default 30. */
  certificateExpiryDays: sharedAlertThresholds.certificateExpiryDays,
};

const baseCustomer = {
  $schema: schemaReference.optional(),
  /** Customer id: kebab-case, stable, shared by all of a customer's environments. */
  id: z.string().regex(/^[a-z][a-z0-9-]{1,28}[a-z0-9]$/, expect('a kebab-case customer id of 3-30 characters such as acme-retail')),
  name: z.string().min(2),
  environment: z.enum(['prod', 'staging', 'dev']),
  alerts: z.strictObject({
    contacts: alertContacts,
    thresholds: z
      .strictObject(alertThresholds)
      .default({ http5xxPer5Min: 50, maxConsumerLagSeconds: 600, minHealthyCollectors: 1, certificateExpiryDays: 30 }),
  }),
  maintenance: z.strictObject({
    timezone,
    windows: z.array(maintenanceWindow).min(1, expect('at least one maintenance window')),
  }),
  freezes: z
    .array(
      z
        .strictObject({ start: isoDate, end: isoDate, reason: z.string().min(3) })
        .refine((f) => f.end >= f.start, { message: expect('end on or after start'), path: ['end'] }),
    )
    .default([]),
  /** Optional pipeline features that some release requirements depend on (see upgrades/catalog `requiresWhen`). Default: none enabled. */
  features: z
    .object({
      /** Stream compression (collector raw stream from 3.6.0, enrich enriched stream from 6.11.0). Default false. */
      compression: z.boolean().default(false),
    })
    .strict()
    .optional(),
  rollout: z
    .strictObject({
      /** 0 = canary/internal, then 1, 2, 3: lower rings go first within the same environment class. Default 2. */
      ring: z.number().int().min(0).max(3).default(2),
      holds: z
        .array(
          z.strictObject({
            component: z.enum(COMPONENT_IDS),
            reason: z.string().min(3),
            /** Hold ends after this day. Default: until removed. */
            until: isoDate.optional(),
          }),
        )
        .default([]),
      /** Major upgrades the customer approved (the planner proposes majors only when approved or forced by support). */
      approvedMajors: z
        .array(
          z.strictObject({
            component: z.enum(COMPONENT_IDS),
            major: z.number().int().min(0),
            approvedBy: email,
            ticket: z.string().regex(/^[A-Z][A-Z0-9]+-\d+$/, expect('a ticket reference such as SUP-1234')),
          }),
        )
        .default([]),
    })
    .default({ ring: 2, holds: [], approvedMajors: [] }),
};

export const awsCustomerSchema = z
  .strictObject({
    ...baseCustomer,
    cloud: z.literal('aws'),
    aws: z.strictObject({
      accountId: awsAccountId,
      region: awsRegion,
      /** Role the deploy assumes in the customer's account. Default: arn:aws:iam::<accountId>:role/fleet-deploy. */
      deployRoleArn: iamRoleArn.optional(),
      /** Permissions boundary attached to every role the stack creates. Default: none. */
      permissionsBoundaryArn: managedPolicyArn.optional(),
    }),
    network: z.strictObject({
      vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, expect('a VPC id such as vpc-0a1b2c3d')),
      publicSubnetIds: z
        .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, expect('a subnet id such as subnet-0a1b2c3d')))
        .min(2, expect('at least two public subnets', 'an ALB needs subnets in two availability zones')),
      privateSubnetIds: z
        .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, expect('a subnet id such as subnet-0a1b2c3d')))
        .min(1),
    }),
    collector: z.strictObject({ domain: hostname, ssl: awsSsl }),
    streams: streams.default({ mode: 'on-demand', retentionHours: 24 }),
    components: awsComponents,
    operators: z.strictObject({
      /** Principals (the managing team's roles) allowed to assume the operator role. */
      principals: z.array(iamPrincipalArn).min(1),
      /** External id required to assume the operator role (an identifier, not a secret). */
      externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, expect('an external id (2+ characters of [A-Za-z0-9+=,.@:/-])')),
    }),
    roles: z.array(customRole).default([]),
    /**
     * The allow-list of principals any role in the stack may trust (operators, customer roles,
     * access grants), each with the reason it is trusted. Default: none.
     */
    trustedPrincipals: trustedPrincipalsOf(iamPrincipalArn),
    accessGrants: z.array(accessGrant).default([]),
    stateBackend: z.strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, expect('an S3 bucket name')),
      region: awsRegion,
      /** DynamoDB lock table. Default: S3 native locking (use_lockfile, Terraform >= 1.10). */
      dynamodbTable: z.string().regex(/^[\w.-]{3,255}$/).optional(),
    }),
  })
  .strict()
  .check(refinement((spec, ctx) => {
    // The Iglu Server's internal load balancer and its DB subnet group span two availability zones.
    if (spec.components['iglu-server'] && new Set(spec.network.privateSubnetIds).size < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'privateSubnetIds'],
        message: expect('two private subnets in different availability zones when the Iglu Server runs', 'AWS refuses a load balancer or DB subnet group in one zone; add a second private subnet'),
      });
    }
  }));

// ---------------------------------------------------------------------------------------------
// GCP
// ---------------------------------------------------------------------------------------------

const gcpName = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const gcpProjectIdPattern = '[a-z][a-z0-9-]{4,28}[a-z0-9]';
const gcpProjectId = z
  .string()
  .regex(new RegExp(`^${gcpProjectIdPattern}$`), expect('a GCP project id such as helios-media-prod (6-30 lower-case letters, digits, hyphens)', 'use the project id, not its display name or number'));
const gcpRegion = z.string().regex(/^[a-z]+-[a-z]+\d+$/, expect('a GCP region such as europe-west1', 'a region, not a zone: drop the -a/-b/-c suffix'));
const serviceAccountEmail = z
  .string()
  .regex(
    new RegExp(`^[a-z][a-z0-9-]{4,28}[a-z0-9]@${gcpProjectIdPattern}\\.iam\\.gserviceaccount\\.com$`),
    expect('a service account email such as fleet-deploy@helios-media-prod.iam.gserviceaccount.com'),
  );

/** Members that would make a binding public. */
export const PUBLIC_IAM_MEMBERS: readonly string[] = ['allUsers', 'allAuthenticatedUsers'];

const IAM_MEMBER = new RegExp(
  [
    '^(user|group|serviceAccount):[^@\\s:]+@[^@\\s]+\\.[a-z]{2,}$',
    '^domain:[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$',
    '^principal(Set)?://iam\\.googleapis\\.com/\\S+$',
  ].join('|'),
);

/** An IAM member string; a public member gets its own message because it is the dangerous mistake. */
const iamMember = z.string().check(refinement((v, ctx) => {
  if (PUBLIC_IAM_MEMBERS.includes(v)) {
    ctx.addIssue({
      code: 'custom',
      message: expect('a named identity, not a public member', `${v} would open the pipeline to anyone; name a user, group or service account`),
    });
  } else if (!IAM_MEMBER.test(v)) {
    ctx.addIssue({
      code: 'custom',
      message: expect(
        'an IAM member such as group:ops@example.com or serviceAccount:name@project.iam.gserviceaccount.com',
        'prefix the identity with user:, group:, serviceAccount: or domain:',
      ),
    });
  }
}));

/** roles/owner, roles/editor and roles/viewer span every service in a project. */
export const PRIMITIVE_ROLES: readonly string[] = ['roles/owner', 'roles/editor', 'roles/viewer'];

const predefinedRole = z.string().check(refinement((v, ctx) => {
  if (PRIMITIVE_ROLES.includes(v)) {
    ctx.addIssue({
      code: 'custom',
      message: expect('a predefined role narrower than a basic role', `${v} covers every service in the project; use e.g. roles/bigquery.dataViewer, or list permissions`),
    });
  } else if (ADMIN_GCP_ROLES.includes(v)) {
    ctx.addIssue({
      code: 'custom',
      message: expect('a role without administrator rights', `${v} lets its holder grant itself anything; use a narrower predefined role, or list permissions`),
    });
  } else if (!/^roles\/[a-z][a-zA-Z]*(\.[a-zA-Z0-9]+)+$/.test(v) && v !== 'custom') {
    ctx.addIssue({
      code: 'custom',
      message: expect('a predefined role such as roles/bigquery.dataViewer, or "custom" for the role\'s own permissions'),
    });
  }
}));

const networkLink = new RegExp(`^(https://www\\.googleapis\\.com/compute/v1/)?projects/(${gcpProjectIdPattern})/global/networks/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$`);
const subnetworkLink = new RegExp(
  `^(https://www\\.googleapis\\.com/compute/v1/)?projects/(${gcpProjectIdPattern})/regions/([a-z]+-[a-z]+\\d+)/subnetworks/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$`,
);

/** A network or subnetwork given by name, self-link or `projects/...` path, split into its parts. */
export function parseNetworkRef(ref: string): { project?: string; region?: string; name: string } | undefined {
  if (gcpName.test(ref)) return { name: ref };
  const net = networkLink.exec(ref);
  if (net) return { project: net[2], name: net[3] };
  const sub = subnetworkLink.exec(ref);
  if (sub) return { project: sub[2], region: sub[3], name: sub[4] };
  return undefined;
}

const gcpVmSizing = z
  .strictObject({
    /** Compute Engine machine type. */
    machineType: z
      .string()
      .regex(/^([a-z][a-z0-9]*-[a-z]+(-\d+)?|custom-\d+-\d+)$/, expect('a Compute Engine machine type such as e2-standard-2')),
    minSize: z.number().int().min(1, expect('at least 1 instance')),
    maxSize: z.number().int().min(1).max(100),
  })
  .refine((s) => s.maxSize >= s.minSize, { message: expect('maxSize >= minSize'), path: ['maxSize'] });

const gcpComponent = vmComponent(gcpVmSizing).strict();

const bigqueryDataset = z.strictObject({
  /** The dataset the stack creates and the loader writes to. */
  datasetId: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, expect('a BigQuery dataset id of letters, digits and underscores such as snowplow')),
  /** BigQuery location: a multi-region (EU, US) or a region. Default: the pipeline's region. */
  location: z
    .string()
    .regex(/^(EU|US|[a-z]+-[a-z]+\d+)$/, expect('a BigQuery location: EU, US or a region such as europe-west1'))
    .optional(),
  /** Events table. Default "events". */
  tableId: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,1023}$/, expect('a table name of letters, digits and underscores')).default('events'),
});

const gcpComponents = z.strictObject({
  collector: gcpComponent,
  enrich: gcpComponent.extend({ enrichments }),
  'bigquery-loader': gcpComponent.extend({ dataset: bigqueryDataset }),
  'iglu-server': gcpComponent
    .extend({
      database: z
        .strictObject({
          /** Cloud SQL tier. Default db-custom-1-3840. */
          tier: z
            .string()
            .regex(/^db-(custom-\d+-\d+|f1-micro|g1-small|perf-optimized-n-\d+)$/, expect('a Cloud SQL tier such as db-custom-1-3840'))
            .default('db-custom-1-3840'),
          /** Default 10. */
          diskSizeGb: z.number().int().min(10).max(1000).default(10),
        })
        .default({ tier: 'db-custom-1-3840', diskSizeGb: 10 }),
    })
    .optional(),
});

const certificateName = z
  .string()
  .regex(
    new RegExp(`^((projects/${gcpProjectIdPattern}/global/sslCertificates/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?)$`),
    expect('a compute SSL certificate name, or projects/<project>/global/sslCertificates/<name>'),
  );

const gcpSslFields = {
  /** Certificates served besides the main one, e.g. the next one during a rotation. Default: none. */
  additionalCertificateIds: z.array(certificateName).max(14, expect('at most 15 certificates on one proxy')).default([]),
  /** SSL policy profile; the minimum is TLS 1.2 either way. Default MODERN. */
  profile: z.enum(['MODERN', 'RESTRICTED']).default('MODERN'),
};

const gcpSsl = z.discriminatedUnion(
  'certificate',
  [
    z.strictObject({
      /** The stack creates a Google-managed certificate for the collector domain. */
      certificate: z.literal('managed'),
      ...gcpSslFields,
    }),
    z.strictObject({
      /** A certificate that already exists in the project (e.g. uploaded by the customer). */
      certificate: z.literal('existing'),
      certificateId: certificateName,
      ...gcpSslFields,
    }),
  ],
  { error: expect('certificate "managed" or "existing"', 'managed: the stack requests a Google-managed certificate; existing: name it in certificateId') },
);

/** Pipeline resources a customer role may be granted on, by alias. */
export const GCP_RESOURCE_ALIASES = ['project', 'raw-topic', 'enriched-topic', 'bad-topic', 'dataset'] as const;

const gcpCustomRole = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{2,40}$/, expect('a kebab-case role name such as analytics-readers')),
    description: z.string().min(3).max(256),
    /** Who holds the role. */
    members: z.array(iamMember).min(1, expect('at least one member')),
    /** Permissions of a custom role the stack defines, bound where a binding says role "custom". Default: none. */
    permissions: z
      .array(z.string().regex(/^[a-z][a-zA-Z0-9]*\.[a-zA-Z0-9]+\.[a-zA-Z0-9]+$/, expect('an IAM permission such as bigquery.tables.getData')))
      .default([]),
    bindings: z
      .array(
        z.strictObject({
          /** A predefined role, or "custom" for this role's own permissions. */
          role: predefinedRole,
          resources: z.array(z.enum(GCP_RESOURCE_ALIASES)).min(1),
        }),
      )
      .min(1, expect('at least one binding { role, resources }')),
  })
  .check(refinement((r, ctx) => {
    const usesCustom = r.bindings.some((b) => b.role === 'custom');
    if (usesCustom && r.permissions.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['permissions'], message: expect('permissions for the "custom" role', 'list the permissions, or bind a predefined role instead') });
    }
    if (!usesCustom && r.permissions.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['permissions'], message: expect('permissions only when a binding uses role "custom"', 'add a binding with role "custom", or remove the permissions') });
    }
  }));

const gcpAlerts = z.strictObject({
  contacts: alertContacts,
  thresholds: z
    .strictObject({
      /** Share of collector requests answered with a 5xx by the load balancer, in percent over 5 minutes. Default 5. */
      http5xxPercent: z.number().gt(0).max(100).default(5),
      ...sharedAlertThresholds,
    })
    .default({ http5xxPercent: 5, maxConsumerLagSeconds: 600, certificateExpiryDays: 30 }),
});

export const gcpCustomerSchema = z
  .strictObject({
    ...baseCustomer,
    cloud: z.literal('gcp'),
    gcp: z.strictObject({
      projectId: gcpProjectId,
      region: gcpRegion,
      /** Service account the google provider impersonates to deploy. */
      deployServiceAccount: serviceAccountEmail,
      /** Shared VPC host project that owns the network. Default: the network is in projectId. */
      networkProjectId: gcpProjectId.optional(),
    }),
    network: z.strictObject({
      /** VPC network: name, or projects/<project>/global/networks/<name>. */
      network: z.string().refine((v) => parseNetworkRef(v)?.region === undefined && parseNetworkRef(v) !== undefined, {
        message: expect('a VPC network name or projects/<project>/global/networks/<name>'),
      }),
      /** Subnetwork in the pipeline's region: name, or projects/<project>/regions/<region>/subnetworks/<name>. */
      subnetwork: z.string().refine((v) => parseNetworkRef(v) !== undefined && (gcpName.test(v) || parseNetworkRef(v)?.region !== undefined), {
        message: expect('a subnetwork name or projects/<project>/regions/<region>/subnetworks/<name>'),
      }),
    }),
    collector: z.strictObject({ domain: hostname, ssl: gcpSsl }),
    components: gcpComponents,
    alerts: gcpAlerts,
    operators: z.strictObject({
      /** The managing team's identities (IAM members). */
      principals: z.array(iamMember).min(1, expect('at least one operator principal', 'name the managing team, e.g. group:fleet-operators@example.com')),
    }),
    roles: z.array(gcpCustomRole).default([]),
    /** The allow-list of members any IAM binding of the stack may name (operators, role members, grants), with reasons. Default: none. */
    trustedPrincipals: trustedPrincipalsOf(iamMember),
    accessGrants: z.array(accessGrantOf(iamMember)).default([]),
    stateBackend: z.strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, expect('a GCS bucket name')),
      /** Folder above <customer>/<environment> in the bucket. Default: none. */
      prefix: z
        .string()
        .regex(/^[a-z0-9]([a-z0-9/_-]*[a-z0-9])?$/, expect('a path such as terraform/pipelines', 'no leading or trailing slash'))
        .optional(),
    }),
  })
  .strict()
  .check(refinement((spec, ctx) => {
    const networkProject = spec.gcp.networkProjectId ?? spec.gcp.projectId;
    for (const field of ['network', 'subnetwork'] as const) {
      const ref = parseNetworkRef(spec.network[field]);
      if (ref?.project !== undefined && ref.project !== networkProject) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', field],
          message: expect(
            `a ${field} in project ${networkProject}`,
            spec.gcp.networkProjectId ? 'the path names another project than gcp.networkProjectId' : `for a shared VPC, set gcp.networkProjectId to ${ref.project}`,
          ),
        });
      }
      if (ref?.region !== undefined && ref.region !== spec.gcp.region) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', field],
          message: expect(`a subnetwork in ${spec.gcp.region}`, `the subnetwork is in ${ref.region}; instances run in gcp.region`),
        });
      }
    }
  }));

export const customerSchema = z.discriminatedUnion('cloud', [awsCustomerSchema, gcpCustomerSchema], {
  error: expect('one of "aws" | "gcp"', 'the cloud decides which other fields the file holds'),
});

export type AwsCustomerSpec = z.infer<typeof awsCustomerSchema>;
export type GcpCustomerSpec = z.infer<typeof gcpCustomerSchema>;
export type CustomerSpec = z.infer<typeof customerSchema>;
/** What a customer file holds before defaults are applied (what a person writes). */
export type CustomerFileInput = z.input<typeof customerSchema>;

/** The stack id of a customer environment: `<customer>-<environment>`. */
export function stackId(spec: Pick<CustomerSpec, 'id' | 'environment'>): string {
  return `${spec.id}-${spec.environment}`;
}

/** Every component the environment runs, with its pinned version, in a stable order. */
export function componentPins(spec: CustomerSpec): { component: ComponentId; version: string }[] {
  const components = spec.components as Partial<Record<ComponentId, { version: string }>>;
  const pins: { component: ComponentId; version: string }[] = [];
  for (const component of COMPONENT_IDS) {
    const c = components[component];
    if (c) pins.push({ component, version: c.version });
  }
  return pins;
}
