/**
 * Time-bound access grants, cloud-neutral. A grant exists in synthesized output only while it is
 * approved and not past its last day; the cloud's own IAM condition also ends it on time, so
 * access stops even when nobody re-deploys.
 */

/** Access grants that exist now: approved and not past their last day (UTC). */
export function activeGrants<G extends { status: string; expires: string }>(grants: readonly G[], now: Date): G[] {
  const today = now.toISOString().slice(0, 10);
  return grants.filter((g) => g.status === 'approved' && g.expires >= today);
}

/** The first instant after a grant's last valid day, e.g. 2026-12-11 -> 2026-12-12T00:00:00Z. */
export function grantEndInstant(expires: string): string {
  const end = new Date(`${expires}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end.toISOString().replace('.000Z', 'Z');
}
