/** Bench-internal: the BFF's settings during the bench. */

/**
 * Environment given to the BFF for the run. The bench measures the request path, so the
 * response cache is off (every request reaches the upstream) and the per-credential upstream
 * rate limit is raised above what 16 concurrent clients reach; logs are kept to warnings.
 */
export const BFF_BENCH_ENV: Readonly<Record<string, string>> = {
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  // One credential stands for many clients here; the default (500/min, the SDK's own limit)
  // would throttle scenario 4 to ~8 req/s. The SDK baselines are not throttled either.
  RATE_LIMIT_PER_MINUTE: '10000000',
  RESPONSE_CACHE_TTL_MS: '0',
  // The labeled first: 10000 read of scenario 5 (the SDK's default selection) costs 350,000 in
  // graphql-armor's estimate, above the default limit of 100,000.
  MAX_COST: '1000000',
};
