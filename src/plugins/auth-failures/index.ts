/**
 * Failed authentications, one feature: a key costs the upstream one call to be found invalid, so
 * invalid keys are not free. `createAuthFailureGuard` wraps a request's upstream client:
 * - a key the upstream rejected is answered UNAUTHENTICATED without asking again for
 *   AUTH_NEGATIVE_TTL_MS (in memory at most NEGATIVE_CACHE_ENTRIES keys, by their HMAC hash);
 * - a client address whose keys were rejected AUTH_FAILURES_PER_MINUTE times within a minute is
 *   answered RATE_LIMITED (`retryAfterMs`) without any upstream call until the minute is over
 *   (shared through Redis when the cache is Redis).
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LruMap } from '../../cache/lru.js';
import type { Redis } from '../../cache/redis.js';
import { BffError, BffErrorCode, isBffError } from '../../errors/index.js';
import type { UpstreamClient } from '../../upstream/client.js';

/** Rejected keys remembered at once (least recently used forgotten first). */
export const NEGATIVE_CACHE_ENTRIES = 10_000;

export interface AuthFailureOptions {
  /** AUTH_FAILURES_PER_MINUTE */
  failuresPerMinute: number;
  /** AUTH_NEGATIVE_TTL_MS (0: no negative cache) */
  negativeTtlMs: number;
  /** A Redis connection (ioredis) to share the per-address budget between replicas. */
  redisClient?: Redis | null;
  /** @default Date.now */
  now?: () => number;
}

export interface AuthFailureGuard {
  /** `upstream` for one request from `clientAddress`. */
  guard(upstream: UpstreamClient, clientAddress: string): UpstreamClient;
}

export function createAuthFailureGuard({ failuresPerMinute, negativeTtlMs, redisClient, now = Date.now }: AuthFailureOptions): AuthFailureGuard {
  const limiterOptions = { points: failuresPerMinute, duration: 60, keyPrefix: 'bff:authfail' };
  const failures: RateLimiterAbstract = redisClient
    ? new RateLimiterRedis({ ...limiterOptions, storeClient: redisClient })
    : new RateLimiterMemory(limiterOptions);
  // credential hash → time until which the upstream's rejection stands
  const rejected = new LruMap({ maxEntries: NEGATIVE_CACHE_ENTRIES });

  const rejectedKey = () => new BffError(BffErrorCode.UNAUTHENTICATED, 'The Kili API rejected the credential.');

  return {
    guard: (upstream, clientAddress) => ({
      async execute(credential, call, signal) {
        const until = rejected.get(credential.hash) as number | undefined;
        if (until !== undefined && until > now()) throw rejectedKey();
        const spent = await failures.get(clientAddress).catch(() => null);
        if (spent && spent.consumedPoints >= failuresPerMinute) {
          throw new BffError(BffErrorCode.RATE_LIMITED, `Too many rejected API keys from this address: at most ${failuresPerMinute} a minute.`, {
            retryAfterMs: Math.max(1, Math.ceil(spent.msBeforeNext)),
          });
        }
        try {
          return await upstream.execute(credential, call, signal);
        } catch (error) {
          if (isBffError(error) && error.code === BffErrorCode.UNAUTHENTICATED) {
            if (negativeTtlMs > 0) rejected.set(credential.hash, now() + negativeTtlMs);
            await failures.penalty(clientAddress, 1).catch(() => undefined);
          }
          throw error;
        }
      },
    }),
  };
}
