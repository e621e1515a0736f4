/**
 * Internal, pure. Checks of individual filter values: dates and `metadataWhere`.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;

/** Whether `value` is `YYYY-MM-DD` or an ISO-8601 date-time naming a real calendar day and time. */
export function isDateInput(value: string): boolean {
  const match = DATE.exec(value) ?? DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return false;
  if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59)) return false;
  return !Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value));
}

/** Milliseconds since the epoch of a valid date input; a bare date is its UTC day's first (or, with 'end', last) millisecond. */
export function dateInputTime(value: string, edge: 'start' | 'end' = 'start'): number {
  if (value.length !== 10) return Date.parse(value);
  return Date.parse(`${value}T00:00:00Z`) + (edge === 'end' ? 86_399_999 : 0);
}

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
