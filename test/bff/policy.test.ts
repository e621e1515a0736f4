import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryable, nextRetryDelay, parseRetryAfter } from '../../src/upstream/policy.js';

describe('retry policy', () => {
  it('retries queries on network errors, timeouts and 429/502/503/504 only', () => {
    for (const status of [429, 502, 503, 504]) expect(isRetryable({ kind: 'status', status, retryAfterMs: null }, true)).toBe(true);
    for (const status of [400, 401, 403, 500]) expect(isRetryable({ kind: 'status', status, retryAfterMs: null }, true)).toBe(false);
    expect(isRetryable({ kind: 'network', sent: true }, true)).toBe(true);
    expect(isRetryable({ kind: 'timeout' }, true)).toBe(true);
  });

  it('retries a non-idempotent mutation only when it surely was not applied', () => {
    expect(isRetryable({ kind: 'status', status: 503, retryAfterMs: null }, false)).toBe(false);
    expect(isRetryable({ kind: 'status', status: 429, retryAfterMs: null }, false)).toBe(true);
    expect(isRetryable({ kind: 'network', sent: false }, false)).toBe(true);
    expect(isRetryable({ kind: 'network', sent: true }, false)).toBe(false);
    expect(isRetryable({ kind: 'timeout' }, false)).toBe(false);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, 100, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, () => 1)).toBe(800);
    expect(backoffDelay(3, 100, () => 0.5)).toBe(400);
    expect(backoffDelay(20, 100, () => 1)).toBe(8000);
  });

  it('honours Retry-After as a floor and gives up when it does not fit in the deadline', () => {
    const base = { idempotent: true, retriesDone: 0, maxRetries: 3, baseMs: 100, random: () => 1 };
    expect(nextRetryDelay({ ...base, outcome: { kind: 'status', status: 429, retryAfterMs: 1500 }, remainingMs: 5000 })).toBe(1500);
    expect(nextRetryDelay({ ...base, outcome: { kind: 'status', status: 429, retryAfterMs: 1500 }, remainingMs: 1000 })).toBeNull();
    expect(nextRetryDelay({ ...base, outcome: { kind: 'status', status: 503, retryAfterMs: null }, remainingMs: 5000 })).toBe(100);
    expect(nextRetryDelay({ ...base, retriesDone: 3, outcome: { kind: 'timeout' }, remainingMs: 5000 })).toBeNull();
  });
});
