/**
 * The upstream client (DESIGN §5): one undici keep-alive pool to the Kili GraphQL endpoint, the
 * caller's credential forwarded, per-attempt timeout, retries within a total deadline, a
 * per-credential rate limit, and failures mapped to the contract's codes.
 */
import { Pool } from 'undici';
import { BffError, BffErrorCode } from '../errors/index.js';
import { mutationBatches } from '../metrics.js';
import { authorizationHeader } from './credential.js';
import { errorForGraphQLErrors, errorForOutcome } from './errors.js';
import { nextRetryDelay, parseRetryAfter, type AttemptOutcome } from './policy.js';
import type { CredentialRateLimiter } from './rate-limit.js';
import { systemClock, type Clock } from './sleep.js';

/** The caller's credential, parsed from the request (DESIGN §4). */
export interface Credential {
  /** Forwarded upstream as `Authorization: X-API-Key: v` / `Authorization: Bearer v`. */
  scheme: 'x-api-key' | 'bearer';
  /** Never logged. */
  value: string;
  /** Keyed hash (HMAC-SHA256, hex) for cache keys, rate-limit keys and logs. */
  hash: string;
}

export interface UpstreamCall {
  /** GraphQL document (root field aliased `data:` as the SDK does). */
  query: string;
  variables?: Record<string, unknown>;
  /** e.g. 'updatePropertiesInAssets' (metrics, logs). */
  rootField: string;
  kind: 'query' | 'mutation';
  /** Mutations: true = safe to resend on an unknown outcome. Queries are always idempotent. */
  idempotent?: boolean;
}

export interface UpstreamClient {
  /**
   * Resolves with the response's `data` object, never with GraphQL `errors`. Queries and
   * idempotent mutations are retried (network errors, 429, 502, 503, 504; backoff + jitter,
   * Retry-After honoured) within UPSTREAM_DEADLINE_MS; a per-credential rate limit applies (a
   * call waits for budget that frees up within its deadline, abortable by `signal`).
   * Rejects with BffError: UNAUTHENTICATED | FORBIDDEN | RATE_LIMITED | UPSTREAM_TIMEOUT |
   * UPSTREAM_UNAVAILABLE | UPSTREAM_ERROR. A non-idempotent mutation whose outcome is unknown
   * (timeout, connection reset or 5xx after sending) fails with a `BffError` whose `outcomeUnknown` is true;
   * a GraphQL `errors` answer means "not applied".
   */
  execute<T = Record<string, unknown>>(credential: Credential, call: UpstreamCall, signal?: AbortSignal): Promise<T>;
}

/** One finished HTTP attempt, for metrics and logs (no credential, no payload). */
export interface UpstreamAttemptEvent {
  rootField: string;
  /** HTTP status, or 'timeout' / 'network'. */
  result: string;
  durationMs: number;
}

export interface UpstreamClientOptions {
  url: string;
  timeoutMs: number;
  deadlineMs: number;
  retries: number;
  backoffMs: number;
  connections: number;
  rateLimiter: CredentialRateLimiter;
  onAttempt?: (event: UpstreamAttemptEvent) => void;
  /** Deadlines and backoff waits (tests inject one). @default the system clock */
  clock?: Clock;
}

export interface PooledUpstreamClient extends UpstreamClient {
  /** Opens a keep-alive connection with one credential-less `{ __typename }` request; never rejects. */
  warmUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type AttemptResult = { ok: true; body: { data?: unknown; errors?: unknown } } | { ok: false; outcome: AttemptOutcome };

export function createUpstreamClient(options: UpstreamClientOptions): PooledUpstreamClient {
  const endpoint = new URL(options.url);
  const path = endpoint.pathname + endpoint.search;
  const pool = new Pool(endpoint.origin, { connections: options.connections, keepAliveTimeout: 30_000, pipelining: 1 });

  async function attempt(credential: Credential, body: string, timeoutMs: number, rootField: string, signal?: AbortSignal): Promise<AttemptResult> {
    // One controller per attempt, aborted by its timer or by the caller's signal (cheaper than
    // AbortSignal.timeout + AbortSignal.any on every upstream call).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The upstream attempt timed out.', 'TimeoutError'));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal!.reason);
    if (signal) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    const combined = controller.signal;
    const started = performance.now();
    let result = 'network';
    try {
      const response = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: authorizationHeader(credential) },
        body,
        signal: combined,
      });
      result = String(response.statusCode);
      const text = await response.body.text();
      const parsed = parseBody(text);
      // Like the SDK's transport: a JSON body with data/errors is read whatever the status, except
      // the statuses that mean "try again" or "not allowed".
      if (parsed && response.statusCode < 500 && ![401, 403, 429].includes(response.statusCode)) return { ok: true, body: parsed };
      const retryAfter = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return { ok: false, outcome: { kind: 'status', status: response.statusCode, retryAfterMs } };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut) return (result = 'timeout'), { ok: false, outcome: { kind: 'timeout' } };
      return { ok: false, outcome: { kind: 'network', sent: !isConnectError(error) } };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      options.onAttempt?.({ rootField, result, durationMs: performance.now() - started });
    }
  }

  return {
    async execute<T>(credential: Credential, call: UpstreamCall, signal?: AbortSignal): Promise<T> {
      const idempotent = call.kind === 'query' || call.idempotent === true;
      const body = JSON.stringify(call.variables ? { query: call.query, variables: call.variables } : { query: call.query });
      const clock = options.clock ?? systemClock;
      const deadline = clock.now() + options.deadlineMs;
      for (let retriesDone = 0; ; retriesDone++) {
        // A caller that went away (client disconnect) gets no further attempt.
        signal?.throwIfAborted();
        // Waits for the credential's budget when it frees up before the deadline (leaving at least
        // 1 ms for the attempt); otherwise RATE_LIMITED.
        await options.rateLimiter.consume(credential.hash, { maxWaitMs: Math.max(0, deadline - clock.now() - 1), signal });
        // One upstream mutation call is one mutation batch (its retries are not new batches).
        if (retriesDone === 0 && call.kind === 'mutation') mutationBatches.inc({ root_field: call.rootField });
        const remaining = deadline - clock.now();
        const result = await attempt(credential, body, Math.max(1, Math.min(options.timeoutMs, remaining)), call.rootField, signal);
        if (result.ok) return dataOf<T>(result.body, call.rootField);
        const delay = nextRetryDelay({
          outcome: result.outcome,
          idempotent,
          retriesDone,
          maxRetries: options.retries,
          baseMs: options.backoffMs,
          remainingMs: deadline - clock.now(),
        });
        if (delay === null) throw errorForOutcome(result.outcome, call.rootField, !idempotent && outcomeUnknownAfter(result.outcome));
        await clock.sleep(delay, signal);
      }
    },
    async warmUp(timeoutMs = 2000) {
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: '{"query":"{ __typename }"}',
          signal: AbortSignal.timeout(timeoutMs),
        });
        parseBody(await response.body.text());
      } catch {
        // an unreachable upstream is reported by /readyz, not at start
      }
    },
    close: () => pool.close(),
  };
}

function parseBody(text: string): { data?: unknown; errors?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && ('data' in value || 'errors' in value)) return value as { data?: unknown; errors?: unknown };
  } catch {
    // not JSON
  }
  return null;
}

function dataOf<T>(body: { data?: unknown; errors?: unknown }, rootField: string): T {
  if (Array.isArray(body.errors) && body.errors.length > 0) throw errorForGraphQLErrors(body.errors, rootField);
  if (!body.data || typeof body.data !== 'object') {
    throw new BffError(BffErrorCode.UPSTREAM_ERROR, `The Kili API returned no data for ${rootField}.`);
  }
  return body.data as T;
}

/** True when a failed attempt may have reached the upstream and been applied (sent, then no answer or a 5xx). */
function outcomeUnknownAfter(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'status') return outcome.status >= 500;
  if (outcome.kind === 'network') return outcome.sent;
  return true;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function isConnectError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECT_ERRORS.has(code);
}
