/**
 * Internal, pure. What a DateTime input may be: `YYYY-MM-DD` or an ISO-8601 date-time naming a
 * real calendar day and time.
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
