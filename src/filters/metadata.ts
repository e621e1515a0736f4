/**
 * Internal, pure. The check of a `metadataWhere` value. (Date values: src/plugins/date-time-input.)
 */

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * null when `value` is a valid `metadataWhere` (an object whose values are scalars, lists of
 * scalars, or `[min, max]` number ranges), else the offending key ('' for the whole value) and why.
 */
export function checkMetadataWhere(value: unknown): { key: string; message: string } | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { key: '', message: 'must be an object keyed by metadata key' };
  }
  for (const [key, condition] of Object.entries(value)) {
    if (isScalar(condition)) continue;
    if (Array.isArray(condition) && condition.every(isScalar)) {
      const numbers = condition.length === 2 && condition.every((v) => typeof v === 'number');
      if (numbers && (condition[0] as number) > (condition[1] as number)) {
        return { key, message: `range [${condition[0]}, ${condition[1]}] has its minimum above its maximum` };
      }
      continue;
    }
    return { key, message: 'must be a scalar, a list of scalars, or a [min, max] number range' };
  }
  return null;
}
