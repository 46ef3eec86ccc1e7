/**
 * Catalog version numbers. Upstream releases are semver (3.4.0) except Enrich's maintenance
 * backports on 3.6.0, tagged 3.6.0.1-3.6.0.3: a fourth number that sorts after its base and
 * before the next patch. semver cannot parse those, so ordering lives here, and a backport
 * answers range questions as its base does (3.6.0.2 satisfies what 3.6.0 satisfies).
 */
import { SemVer } from 'semver';

/** Up to nine digits a number: semver (and the range checks) refuse numbers past 2^53. */
export const CATALOG_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8}))?$/;

/** [major, minor, patch, maintenance]; maintenance is 0 for plain semver. */
export function versionParts(v: string): [number, number, number, number] {
  const m = CATALOG_VERSION.exec(v);
  if (!m) throw new Error(`not a catalog version: ${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[5] === undefined ? 0 : Number(m[5])];
}

export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The semver a range is tested against: a maintenance backport counts as its base release. */
export function semverOf(v: string): SemVer {
  const [major, minor, patch] = versionParts(v);
  return new SemVer(`${major}.${minor}.${patch}`);
}

/** A release's fix line for backports: "3.6" for 3.6.2, "3.6.0" for the 3.6.0.x backports. */
export function patchLineOf(v: string): string {
  const [major, minor, patch, maintenance] = versionParts(v);
  return maintenance > 0 ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
}
