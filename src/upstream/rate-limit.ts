/**
 * Internal. Per-credential limit on upstream calls (DESIGN §5): the SDK stays under 500 calls a
 * minute, and one caller must not exhaust the upstream for everyone. Keyed by the credential's
 * HMAC hash. In memory by default; shared through Redis (ioredis) when a Redis connection is given.
 *
 * Like the SDK, which blocks until its budget frees up, a call that finds the budget empty waits
 * for the next window when that fits within its own deadline (`maxWaitMs`), so a mutation is not
 * failed part-way by the BFF's own throttle. It fails with RATE_LIMITED only when the wait would
 * outlast the call's deadline.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { BffError, BffErrorCode } from '../errors/index.js';
import type { Redis } from '../cache/redis.js';
import { systemClock, type Clock } from './sleep.js';

export interface ConsumeOptions {
  /** Longest wait for budget before giving up with RATE_LIMITED (default 0: reject at once). */
  maxWaitMs?: number;
  /** Aborts the wait (client disconnect); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CredentialRateLimiter {
  /**
   * Takes one call from the credential's budget, waiting up to `maxWaitMs` for it. Rejects with
   * RATE_LIMITED (`retryAfterMs`) when the budget frees up only after that.
   */
  consume(credentialHash: string, options?: ConsumeOptions): Promise<void>;
}

/**
 * `windowSeconds` is the length of the budget window (60 in production; shorter in tests); `clock`
 * times the waits for budget (the budget itself is kept by rate-limiter-flexible, in real time).
 */
export function createRateLimiter(perMinute: number, redisClient?: Redis | null, windowSeconds = 60, clock: Clock = systemClock): CredentialRateLimiter {
  const options = { points: perMinute, duration: windowSeconds, keyPrefix: 'bff:rl' };
  const limiter = redisClient
    ? new RateLimiterRedis({ ...options, storeClient: redisClient })
    : new RateLimiterMemory(options);
  return {
    async consume(credentialHash, { maxWaitMs = 0, signal } = {}) {
      const giveUpAt = clock.now() + maxWaitMs;
      for (;;) {
        signal?.throwIfAborted();
        let waitMs: number;
        try {
          await limiter.consume(credentialHash);
          return;
        } catch (error) {
          // The store failed (e.g. Redis down): do not turn an infrastructure problem into a client error.
          if (!(error instanceof RateLimiterRes)) return;
          waitMs = Math.max(1, Math.ceil(error.msBeforeNext));
        }
        if (clock.now() + waitMs > giveUpAt) {
          throw new BffError(BffErrorCode.RATE_LIMITED, `Too many calls for this credential: at most ${perMinute} upstream calls per minute.`, {
            retryAfterMs: waitMs,
          });
        }
        await clock.sleep(waitMs, signal);
      }
    },
  };
}
