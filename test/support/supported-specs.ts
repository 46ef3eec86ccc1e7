/**
 * Customer specs that pin every component at the newest release of each line the service
 * supports, so the tests see every contract a customer can be on. "Supported" is the policy's
 * support window (upgrades/policy.json: the latest and the preceding major line, as the Statement
 * of Support says) over the release catalog, and also over the upstream release list
 * (../shared/reference/releases.tsv, 2026-11-27) where it knows a newer release of a line than the
 * catalog does: a customer may pin those too.
 */
import { join } from 'node:path';
import semver from 'semver';
import { customerSchema, type CustomerSpec } from '../../customers/schema';
import { loadCatalog } from '../../upgrades/catalog/load';
import { loadPolicy } from '../../upgrades/policy';
import { utcDay } from '../../upgrades/planner/dates';
import { supportedLines } from '../../upgrades/planner/support';
import { indexCatalog, majorLineOf } from '../../upgrades/planner/versions';
import { exampleJson, NOW } from './specs';

/** Newest release per major line in releases.tsv (2026-11-27) for the lines the policy supports. */
const UPSTREAM_LINE_LATEST: Readonly<Record<string, readonly string[]>> = {
  collector: ['3.7.0', '2.10.0'],
  enrich: ['6.13.1', '5.4.0'],
  's3-loader': ['3.2.0', '2.3.0'],
  'snowflake-streaming-loader': ['0.6.1', '0.5.1'],
  'rdb-loader': ['6.7.2', '5.8.2'],
  'elasticsearch-loader': ['3.0.1', '2.1.3'],
  'bigquery-loader': ['2.2.1', '1.7.2'],
  'iglu-server': ['0.14.2', '0.13.1'],
};

const ROOT = join(__dirname, '..', '..');

/** Per component: the versions to test, newest line first (catalog and upstream, deduplicated). */
export function supportedLineReleases(now: Date = NOW): Record<string, string[]> {
  const catalog = loadCatalog(join(ROOT, 'upgrades', 'catalog'));
  const policy = loadPolicy(join(ROOT, 'upgrades', 'policy.json'));
  if (!catalog.catalog || !policy.policy) throw new Error('the catalog or the policy does not load; run `fleet validate`');
  const today = utcDay(now.getTime());
  const out: Record<string, string[]> = {};
  for (const [component, ci] of indexCatalog(catalog.catalog)) {
    const lines = supportedLines(ci, policy.policy, today);
    const versions = new Set<string>();
    for (const line of lines) {
      const released = ci.releases.filter((r) => r.majorLine === line && !r.release.withdrawn && r.day <= today);
      if (released.length > 0) versions.add(released[released.length - 1].version);
      for (const v of UPSTREAM_LINE_LATEST[component] ?? []) if (majorLineOf(new semver.SemVer(v)) === line) versions.add(v);
    }
    out[component] = [...versions].sort(semver.rcompare);
  }
  return out;
}

export interface GeneratedSpec {
  readonly label: string;
  readonly spec: CustomerSpec;
}

const AWS_LOADERS = {
  'snowflake-streaming-loader': { from: 'acme-retail-prod.json' },
  'rdb-loader': { from: 'nordic-news-prod.json' },
  'elasticsearch-loader': { from: 'globex-games-dev.json' },
} as const;

/**
 * Version set i pins each component to its i-th supported release (the last one when it has
 * fewer). The first two sets (the newest release of the latest and of the preceding line) get one
 * AWS spec per warehouse loader and one GCP spec; further sets (an older head of a line that the
 * catalog and upstream disagree on) get one AWS and one GCP spec, which is enough to run each
 * such version once.
 */
export function supportedSpecs(now: Date = NOW): GeneratedSpec[] {
  const releases = supportedLineReleases(now);
  const sets = Math.max(...Object.values(releases).map((v) => v.length));
  const pick = (component: string, i: number) => {
    const v = releases[component];
    return v[Math.min(i, v.length - 1)];
  };
  const out: GeneratedSpec[] = [];
  for (let i = 0; i < sets; i++) {
    const all = Object.entries(AWS_LOADERS);
    const own = all.filter(([loader]) => releases[loader].length > i);
    const loaders = i < 2 ? all : [own[0] ?? all[0]];
    for (const [loader, { from }] of loaders) {
      const raw = exampleJson('acme-retail-prod.json') as any;
      const donor = exampleJson(from) as any;
      for (const l of Object.keys(AWS_LOADERS)) delete raw.components[l];
      raw.components[loader] = donor.components[loader];
      for (const c of Object.keys(raw.components)) raw.components[c].version = pick(c, i);
      const label = `aws set ${i + 1} with ${loader}: ${Object.keys(raw.components).map((c) => `${c} ${raw.components[c].version}`).join(', ')}`;
      out.push({ label, spec: customerSchema.parse(raw) });
    }
    const raw = exampleJson('helios-media-prod.json') as any;
    for (const c of Object.keys(raw.components)) raw.components[c].version = pick(c, i);
    out.push({ label: `gcp set ${i + 1}: ${Object.keys(raw.components).map((c) => `${c} ${raw.components[c].version}`).join(', ')}`, spec: customerSchema.parse(raw) });
  }
  return out;
}
