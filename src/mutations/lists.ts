/**
 * Chunking and small list helpers of the pipeline (internal).
 */
import pLimit from 'p-limit';

/** Splits `items` into consecutive slices of at most `size` (size ≥ 1), keeping order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new TypeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Values that occur more than once, each listed once, in order of first repetition. */
export function duplicates<T>(items: readonly T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const item of items) {
    if (seen.has(item)) dup.add(item);
    else seen.add(item);
  }
  return [...dup];
}

/** Keeps the first occurrence of each value. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** At most `max` values joined for a message, with a count of the rest. */
export function listForMessage(values: readonly string[], max = 20): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results in input order. */
export function mapLimited<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(items.map((item) => limit(() => fn(item))));
}
