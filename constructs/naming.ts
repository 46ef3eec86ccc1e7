import { createHash } from 'node:crypto';

/**
 * A physical resource name within a provider's length limit. Names that fit are kept as they
 * are, so they stay readable; longer ones are cut and end in a short hash of the full name, so two
 * long names never collide and the same input always gives the same name.
 */
export function physicalName(parts: readonly string[], maxLength: number, separator = '-'): string {
  const full = parts.filter((p) => p.length > 0).join(separator);
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, maxLength - hash.length - 1).replace(/[-_.]+$/, '')}${separator}${hash}`;
}
