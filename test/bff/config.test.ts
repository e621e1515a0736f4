import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 4000, KILI_API_URL: null, CACHE_URL: null, MAX_PAGE_SIZE: 10_000, QUERY_BATCH_SIZE: 100,
      RATE_LIMIT_PER_MINUTE: 500, MUTATION_CONCURRENCY: 12, PAGE_CONCURRENCY: 32, COUNT_HINT_TTL_MS: 300_000, UPSTREAM_CONNECTIONS: 64, VERIFY_DEADLINE_MS: 30_000, INTROSPECTION: true,
      LOG_LEVEL: 'info', CORS_ORIGINS: [], VERIFY_BACKOFF_MIN_MS: 1000, VERIFY_BACKOFF_MAX_MS: 8000, RESPONSE_CACHE_TTL_MS: 0,
      BODY_LIMIT: '10mb', SYNC_BUDGET_MS: 25_000, BULK_MAX_RUNNING_PER_CREDENTIAL: 2, BULK_RETENTION_HOURS: 168, BULK_WORKER_CONCURRENCY: 8,
      BULK_LOCK_MS: 30_000, BULK_REDIS_PREFIX: 'bff:bulk',
    });
    expect(config.JOB_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(config.HASH_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('never echoes a URL setting that does not parse: it may carry a password', () => {
    let message = '';
    try {
      loadConfig({ CACHE_URL: 'redis://user:hunter2@bad host:6379' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Config CACHE_URL must be a URL (the value given does not parse as one)');
  });

  it('parses values', () => {
    const config = loadConfig({
      PORT: '0', KILI_API_URL: 'https://cloud.kili-technology.com/api/label/v2/graphql', CACHE_URL: 'redis://localhost:6379',
      INTROSPECTION: 'false', CORS_ORIGINS: 'https://a.example, https://b.example', LOG_LEVEL: 'debug', HASH_SECRET: 's',
      JOB_SECRET: 'job-secret-0123456789', SYNC_BUDGET_MS: '1000', BULK_MAX_RUNNING_PER_CREDENTIAL: '3', BULK_RETENTION_HOURS: '24',
    });
    expect(config).toMatchObject({ JOB_SECRET: 'job-secret-0123456789', SYNC_BUDGET_MS: 1000, BULK_MAX_RUNNING_PER_CREDENTIAL: 3, BULK_RETENTION_HOURS: 24 });
    expect(config).toMatchObject({ PORT: 0, INTROSPECTION: false, CORS_ORIGINS: ['https://a.example', 'https://b.example'], LOG_LEVEL: 'debug', HASH_SECRET: 's' });
  });

  it('applies the documented defaults of the hardening limits', () => {
    expect(loadConfig({})).toMatchObject({
      RESPONSE_CACHE_MAX_BYTES: 64 * 1024 * 1024, DOCUMENT_CACHE_MAX_BYTES: 32 * 1024 * 1024, APQ_TTL_SECONDS: 86_400, APQ_MAX_DOCUMENT_BYTES: 65_536,
      APQ_CACHE_MAX_BYTES: 16 * 1024 * 1024, AUTH_FAILURES_PER_MINUTE: 30, AUTH_NEGATIVE_TTL_MS: 10_000, METRICS_PORT: null, METRICS_TOKEN: null, TRUST_PROXY: false,
    });
  });

  it.each([
    ['2', 2], ['loopback', ['loopback']], ['10.0.0.0/8, 192.168.1.1', ['10.0.0.0/8', '192.168.1.1']], ['false', false],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('rejects a TRUST_PROXY that is not hops, addresses or subnets', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(
      'Config TRUST_PROXY must be false, a number of proxy hops, or comma-separated addresses/subnets (or loopback, linklocal, uniquelocal), got "everyone"',
    );
  });

  it('requires HASH_SECRET with a Redis CACHE_URL (replicas and restarts must hash credentials alike)', () => {
    for (const CACHE_URL of ['redis://localhost:6379', 'rediss://cache.example:6380']) {
      expect(() => loadConfig({ CACHE_URL, JOB_SECRET: 'job-secret-0123456789' })).toThrow(TypeError);
      expect(() => loadConfig({ CACHE_URL, HASH_SECRET: '  ', JOB_SECRET: 'job-secret-0123456789' })).toThrow(/^Config HASH_SECRET /);
      expect(loadConfig({ CACHE_URL, HASH_SECRET: 'shared', JOB_SECRET: 'job-secret-0123456789' }).HASH_SECRET).toBe('shared');
    }
    expect(loadConfig({ CACHE_URL: 'memory://' }).HASH_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({}).HASH_SECRET).not.toBe(loadConfig({}).HASH_SECRET);
  });

  it('requires JOB_SECRET (16 characters or more) with a Redis CACHE_URL: replicas open each other\'s sealed job credentials', () => {
    expect(() => loadConfig({ CACHE_URL: 'redis://localhost:6379', HASH_SECRET: 'shared' })).toThrow(/^Config JOB_SECRET must be set when CACHE_URL is a Redis URL/);
    expect(() => loadConfig({ JOB_SECRET: 'short' })).toThrow(/^Config JOB_SECRET must be at least 16 characters/);
    expect(loadConfig({ CACHE_URL: 'memory://' }).JOB_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({}).JOB_SECRET).not.toBe(loadConfig({}).JOB_SECRET);
  });

  it.each([
    ['PORT', 'abc'],
    ['SYNC_BUDGET_MS', '0'],
    ['BULK_MAX_RUNNING_PER_CREDENTIAL', '0'],
    ['BULK_RETENTION_HOURS', '-1'],
    ['BULK_REDIS_PREFIX', 'has space'],
    ['PORT', '70000'],
    ['MAX_PAGE_SIZE', '0'],
    ['KILI_API_URL', 'not a url'],
    ['KILI_API_URL', 'ftp://x'],
    ['CACHE_URL', 'http://x'],
    ['INTROSPECTION', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['UPSTREAM_RETRIES', '-1'],
    ['BODY_LIMIT', 'lots'],
    ['VERIFY_BACKOFF_MIN_MS', '-5'],
    ['VERIFY_BACKOFF_MAX_MS', '1.5'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['CORS_ORIGINS', 'https://app.example.com/'],
    ['CORS_ORIGINS', 'https://app.example.com/graphql'],
    ['CORS_ORIGINS', 'https://a.example, ftp://b.example'],
    ['CORS_ORIGINS', 'https://*.example.com'],
    ['CORS_ALLOW_HEADERS', 'x-tenant id'],
  ])('throws a TypeError naming %s for %j', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(TypeError);
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`^Config ${key} `));
  });

  it('reads CORS origins (exact origins or *) and extra allowed headers, lower-cased', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
    expect(loadConfig({ CORS_ALLOW_HEADERS: 'X-Tenant-Id, x-feature-flags' }).CORS_ALLOW_HEADERS).toEqual(['x-tenant-id', 'x-feature-flags']);
    expect(loadConfig({}).CORS_ALLOW_HEADERS).toEqual([]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/' })).toThrow(
      'Config CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com or http://localhost:5173 (scheme, host, optional port; no path, trailing slash or wildcard), got "https://app.example.com/"',
    );
  });

  it('rejects a deadline shorter than one attempt', () => {
    expect(() => loadConfig({ UPSTREAM_TIMEOUT_MS: '5000', UPSTREAM_DEADLINE_MS: '1000' })).toThrow(/UPSTREAM_DEADLINE_MS/);
  });

  it('reads the verification backoff bounds, min ≤ max, and the mutation settings use them', () => {
    const config = loadConfig({ VERIFY_BACKOFF_MIN_MS: '20', VERIFY_BACKOFF_MAX_MS: '80' });
    expect(config).toMatchObject({ VERIFY_BACKOFF_MIN_MS: 20, VERIFY_BACKOFF_MAX_MS: 80 });
    expect(config.mutations).toMatchObject({ verifyBackoffMinMs: 20, verifyBackoffMaxMs: 80 });
    expect(loadConfig({}).mutations).toMatchObject({ verifyBackoffMinMs: 1000, verifyBackoffMaxMs: 8000 });
    expect(() => loadConfig({ VERIFY_BACKOFF_MIN_MS: '500', VERIFY_BACKOFF_MAX_MS: '100' })).toThrow(/^Config VERIFY_BACKOFF_MAX_MS/);
  });
});
