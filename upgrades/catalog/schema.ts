/**
 * The release catalog: one JSON file per component under upgrades/catalog/, listing every
 * release the fleet may run or move to. The planner reads nothing else about releases, so
 * everything it decides (support, fixes, requirements, majors) must be stated here.
 */
import { z } from 'zod';
import { COMPONENT_IDS, expect, isoDate, schemaReference, type ComponentId } from '../../customers/schema';
import { CATALOG_VERSION } from './version';
import { refinement } from '../../customers/refine';

/** The change kinds of releases.tsv, word for word (see ../shared/reference/releases-notes.md). */
export const CHANGE_KINDS = ['security', 'bug', 'feature', 'breaking', 'deprecation', 'license', 'internal'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/** Features a customer file can enable that some requirements depend on (`features` in customers/schema.ts). */
export const FEATURES = ['compression'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Feature = (typeof FEATURES)[number];

/** Exact releases only: prereleases never enter a fleet. Enrich's 3.6.0.x backports have a fourth number. */
export const exactVersion = z
  .string()
  .regex(CATALOG_VERSION, expect('an exact release version such as 3.4.0 (or a maintenance backport such as 3.6.0.1)', 'no ranges, prefixes ("v3.4.0") or prerelease tags'));

const advisory = z
  .object({
    /** CVE, GHSA or Snyk id. */
    id: z
      .string()
      .regex(/^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|SNYK-[A-Z]+-[A-Z0-9]+-\d+)$/, expect('an advisory id such as CVE-2021-44228, GHSA-xxxx-xxxx-xxxx or SNYK-JAVA-IONETTY-15789756')),
    /** True when inferred from a bumped library version rather than named by the project ("?" in releases.tsv). */
    inferred: z.boolean(),
  })
  .strict();

const requirements = z.record(z.string(), z.string());

const conditionalRequirement = z
  .object({
    /** The customer-file feature that makes this requirement apply. */
    feature: z.enum(FEATURES),
    /** Other components, as npm semver ranges, needed while the feature is on. */
    requires: requirements,
    /** Where the requirement is stated. */
    source: z.string().min(3),
  })
  .strict();

const release = z
  .object({
    version: exactVersion,
    /** Release date (UTC); see `source` for where it came from. */
    date: isoDate,
    /** What the release contains, in releases.tsv's words. Empty where the source records only a version number. */
    kinds: z.array(z.enum(CHANGE_KINDS)),
    /** One line on what changed (releases.tsv `summary`). Empty where the source has no details. */
    summary: z.string(),
    /** Highest severity of the security content. Present exactly when kinds has "security". */
    severity: z.enum(SEVERITIES).optional(),
    /** True when the source gave no severity and the catalog derived one; severityBasis says how. Default: false. */
    severityDerived: z.boolean().default(false),
    /** How a derived severity was reached (the advisory whose public rating was used, or the stated default). */
    severityBasis: z.string().min(3).optional(),
    /** Advisory ids where known. Default: none. */
    advisories: z.array(advisory).default([]),
    /** Where the facts came from (changelog, tag, docs), as in releases.tsv `source`. */
    source: z.string().min(3),
    /** Other components this release always needs, as npm semver ranges (">=6.1.0"). Only where the environment runs them. Default: none. */
    requires: requirements.default({}),
    /** Requirements that apply only while a customer feature is enabled. Default: none. */
    requiresWhen: z.array(conditionalRequirement).default([]),
    /** Steps an operator takes when moving to this release. Default: none. */
    migration: z.array(z.string().min(3)).default([]),
    /** A withdrawn release is never a target; environments on it must move. Default: false. */
    withdrawn: z.boolean().default(false),
    withdrawnReason: z.string().min(3).optional(),
    /** Day after which this release is no longer supported, whatever the support window says. Default: none. */
    endOfSupport: isoDate.optional(),
    /** Anything a reviewer should know that the fields above do not say. */
    note: z.string().optional(),
  })
  .strict()
  .check(refinement((r, ctx) => {
    const security = r.kinds.includes('security');
    if (security && r.severity === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['severity'],
        message: expect('a severity (critical | high | medium | low) for a security release', 'derive one where the changelog gives none: set severityDerived and severityBasis'),
      });
    }
    if (!security && r.severity !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['severity'], message: expect('no severity on a release without "security" in kinds', 'remove it, or add "security" to kinds') });
    }
    if (r.severityDerived && r.severityBasis === undefined) {
      ctx.addIssue({ code: 'custom', path: ['severityBasis'], message: expect('a severityBasis when severityDerived is true', 'say which advisory rating or default the severity comes from') });
    }
    if (new Set(r.kinds).size !== r.kinds.length) {
      ctx.addIssue({ code: 'custom', path: ['kinds'], message: expect('each kind listed once') });
    }
    if (r.withdrawn && r.withdrawnReason === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['withdrawnReason'],
        message: expect('a withdrawnReason when withdrawn is true', 'say why the release was pulled; reviewers read it in the plan'),
      });
    }
  }));

export const componentCatalogSchema = z
  .object({
    $schema: schemaReference.optional(),
    component: z.enum(COMPONENT_IDS),
    name: z.string().min(2),
    /** Majors whose configuration changes mean an upgrade must land on them rather than jump over. Default: none. */
    mustStepThroughMajors: z.array(z.number().int().min(1)).default([]),
    releases: z.array(release).min(1),
  })
  .strict();

export type Advisory = z.infer<typeof advisory>;
export type ConditionalRequirement = z.infer<typeof conditionalRequirement>;
export type Release = z.infer<typeof release>;
export type ComponentCatalog = z.infer<typeof componentCatalogSchema>;

/** The validated catalog; each component's releases in ascending version order. */
export interface Catalog {
  readonly components: Partial<Record<ComponentId, ComponentCatalog>>;
}
