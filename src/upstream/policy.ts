/**
 * Internal. Pure retry policy of the upstream client (DESIGN §5): which outcomes are retried,
 * exponential backoff with full jitter, `Retry-After`, and the total deadline.
 */

/** What one HTTP attempt produced, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'network'; sent: boolean }
  | { kind: 'timeout' }
  | { kind: 'status'; status: number; retryAfterMs: number | null };

/** Statuses retried for queries (as the SDK's transport does). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Whether an attempt may be repeated. Queries and idempotent mutations: network errors, timeouts
 * and 429/502/503/504. Other mutations: only when the request surely was not applied (the
 * connection was never made, or 429 — rejected before processing).
 */
export function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
  switch (outcome.kind) {
    case 'network':
      return idempotent || !outcome.sent;
    case 'timeout':
      return idempotent;
    case 'status':
      return idempotent ? RETRYABLE_STATUSES.has(outcome.status) : outcome.status === 429;
  }
}

/** `Retry-After` (seconds or HTTP date) in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Full-jitter exponential backoff: uniform in [0, base·2^attempt], capped at `capMs`. `attempt` is 0-based. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random, capMs = 8000): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export interface RetryDecisionInput {
  outcome: AttemptOutcome;
  idempotent: boolean;
  /** Retries already made (0 after the first attempt). */
  retriesDone: number;
  maxRetries: number;
  baseMs: number;
  /** Time left before the total deadline, ms. */
  remainingMs: number;
  random?: () => number;
}

/**
 * The delay before the next attempt, or null to give up. `Retry-After` is honoured exactly (it is
 * a floor, so it replaces the jittered delay when longer); if it does not fit in the remaining
 * deadline the call gives up at once rather than sleeping in vain.
 */
export function nextRetryDelay(input: RetryDecisionInput): number | null {
  const { outcome, idempotent, retriesDone, maxRetries, baseMs, remainingMs } = input;
  if (retriesDone >= maxRetries || !isRetryable(outcome, idempotent)) return null;
  const jittered = backoffDelay(retriesDone, baseMs, input.random);
  const retryAfter = outcome.kind === 'status' ? outcome.retryAfterMs : null;
  const delay = retryAfter === null ? jittered : Math.max(retryAfter, jittered);
  return delay < remainingMs ? delay : null;
}
