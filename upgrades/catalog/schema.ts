/**
 * The release catalog: one JSON file per component under upgrades/catalog/, listing every
 * release the fleet may run or move to. The planner reads nothing else about releases, so
 * everything it decides (support, fixes, requirements, majors) must be stated here.
 */
import { z } from 'zod';
import { COMPONENT_IDS, expect, isoDate, type ComponentId } from '../../customers/schema';

export const CHANGE_KINDS = ['security', 'bugfix', 'feature', 'breaking', 'deprecation'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export type Severity = (typeof SEVERITIES)[number];

/** Exact releases only: prereleases never enter a fleet. */
export const exactVersion = z
  .string()
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, expect('an exact release version such as 3.4.0', 'no ranges, prefixes ("v3.4.0") or prerelease tags'));

const advisoryId = z
  .string()
  .regex(/^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$/, expect('an advisory id such as CVE-2021-44228 or GHSA-xxxx-xxxx-xxxx'));

const change = z
  .object({
    kind: z.enum(CHANGE_KINDS),
    /** Required for security changes; the deadline and the score depend on it. */
    severity: z.enum(SEVERITIES).optional(),
    /** Advisory ids where known. Default: none. */
    advisories: z.array(advisoryId).default([]),
    summary: z.string().min(3, expect('a one-line summary of the change')),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === 'security' && c.severity === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['severity'],
        message: expect('a severity (critical | high | medium | low) for a security change', 'estimate one where the changelog gives none, and say so in the release note'),
      });
    }
    if (c.kind !== 'security' && c.severity !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['severity'], message: expect('no severity on a non-security change', 'remove it, or make the change kind "security"') });
    }
  });

const release = z
  .object({
    version: exactVersion,
    /** Release date (UTC). */
    date: isoDate,
    changes: z.array(change).min(1, expect('at least one change', 'a release with nothing in it does not need an entry')),
    /** Other components this release needs, as npm semver ranges (">=6.1.0"). Only applies where the environment runs that component. Default: none. */
    requires: z.record(z.string(), z.string()).default({}),
    /** Steps an operator takes when moving to this release. Default: none. */
    migration: z.array(z.string().min(3)).default([]),
    /** A withdrawn release is never a target; environments on it must move. Default: false. */
    withdrawn: z.boolean().default(false),
    withdrawnReason: z.string().min(3).optional(),
    /** Day after which this release is no longer supported, whatever the support window says. Default: none. */
    endOfSupport: isoDate.optional(),
    /** Where the entry came from when it is not straight from a changelog (approximations, assumptions). */
    note: z.string().optional(),
  })
  .strict()
  .refine((r) => !r.withdrawn || r.withdrawnReason !== undefined, {
    path: ['withdrawnReason'],
    message: expect('a withdrawnReason when withdrawn is true', 'say why the release was pulled; reviewers read it in the plan'),
  });

export const componentCatalogSchema = z
  .object({
    $schema: z.string().optional(),
    component: z.enum(COMPONENT_IDS),
    name: z.string().min(2),
    /** Majors whose configuration changes mean an upgrade must land on them rather than jump over. Default: none. */
    mustStepThroughMajors: z.array(z.number().int().min(1)).default([]),
    releases: z.array(release).min(1),
  })
  .strict();

export type Change = z.infer<typeof change>;
export type Release = z.infer<typeof release>;
export type ComponentCatalog = z.infer<typeof componentCatalogSchema>;

/** The validated catalog; each component's releases in ascending version order. */
export interface Catalog {
  readonly components: Partial<Record<ComponentId, ComponentCatalog>>;
}
