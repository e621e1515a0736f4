/**
 * Internal. Per-credential limit on upstream calls (DESIGN §5): the SDK stays under 500 calls a
 * minute, and one caller must not exhaust the upstream for everyone. Keyed by the credential's
 * HMAC hash. In memory by default; shared through Redis when a Redis client is given.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { BffError, BffErrorCode } from '../errors/index.js';

export interface CredentialRateLimiter {
  /** Takes one call from the credential's budget. Rejects with RATE_LIMITED (`retryAfterMs`) when none is left. */
  consume(credentialHash: string): Promise<void>;
}

export function createRateLimiter(perMinute: number, redisClient?: unknown): CredentialRateLimiter {
  const options = { points: perMinute, duration: 60, keyPrefix: 'bff:rl' };
  const limiter = redisClient
    ? new RateLimiterRedis({ ...options, storeClient: redisClient, useRedisPackage: true })
    : new RateLimiterMemory(options);
  return {
    async consume(credentialHash) {
      try {
        await limiter.consume(credentialHash);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new BffError(BffErrorCode.RATE_LIMITED, `Too many calls for this credential: at most ${perMinute} upstream calls per minute.`, {
            retryAfterMs: Math.max(1, Math.ceil(error.msBeforeNext)),
          });
        }
        // The store failed (e.g. Redis down): do not turn an infrastructure problem into a client error.
      }
    },
  };
}
