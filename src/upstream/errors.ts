/**
 * Internal. Maps upstream failures to the contract's error codes (DESIGN §3 "Errors"). Messages
 * are fixed texts: the upstream's own messages, URLs and the credential never reach the client.
 */
import { BffError, BffErrorCode, type BffErrorOptions } from '../errors/index.js';
import type { AttemptOutcome } from './policy.js';

const UPSTREAM_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/** The error for an attempt that will not be retried. `outcomeUnknown`: a non-idempotent mutation may have been applied. */
export function errorForOutcome(outcome: AttemptOutcome, rootField: string, outcomeUnknown: boolean): BffError {
  const options: BffErrorOptions = { outcomeUnknown };
  switch (outcome.kind) {
    case 'timeout':
      return new BffError(BffErrorCode.UPSTREAM_TIMEOUT, `The Kili API did not answer ${rootField} in time.`, {}, options);
    case 'network':
      return new BffError(BffErrorCode.UPSTREAM_UNAVAILABLE, `The Kili API could not be reached for ${rootField}.`, {}, options);
    case 'status':
      return errorForStatus(outcome.status, outcome.retryAfterMs, rootField, options);
  }
}

function errorForStatus(status: number, retryAfterMs: number | null, rootField: string, options: BffErrorOptions): BffError {
  if (status === 401) return new BffError(BffErrorCode.UNAUTHENTICATED, 'The Kili API rejected the credential.');
  if (status === 403) return new BffError(BffErrorCode.FORBIDDEN, `The credential is not allowed to run ${rootField}.`);
  if (status === 429) {
    return new BffError(BffErrorCode.RATE_LIMITED, 'The Kili API is rate limiting this credential.', {
      retryAfterMs: retryAfterMs ?? 1000,
    });
  }
  if (status === 504) return new BffError(BffErrorCode.UPSTREAM_TIMEOUT, `The Kili API timed out on ${rootField}.`, { upstreamStatus: status }, options);
  if (status === 502 || status === 503) {
    return new BffError(BffErrorCode.UPSTREAM_UNAVAILABLE, `The Kili API is unavailable (HTTP ${status}).`, { upstreamStatus: status }, options);
  }
  return new BffError(BffErrorCode.UPSTREAM_ERROR, `The Kili API failed on ${rootField} (HTTP ${status}).`, { upstreamStatus: status }, options);
}

interface UpstreamGraphQLError {
  extensions?: { code?: unknown };
}

/** A GraphQL `errors` answer: the operation was not applied. Only a well-formed upstream code is passed on. */
export function errorForGraphQLErrors(errors: UpstreamGraphQLError[], rootField: string): BffError {
  const rawCode = errors[0]?.extensions?.code;
  const upstreamCode = typeof rawCode === 'string' && UPSTREAM_CODE.test(rawCode) ? rawCode : undefined;
  if (upstreamCode === 'UNAUTHENTICATED') return new BffError(BffErrorCode.UNAUTHENTICATED, 'The Kili API rejected the credential.');
  if (upstreamCode === 'FORBIDDEN') return new BffError(BffErrorCode.FORBIDDEN, `The credential is not allowed to run ${rootField}.`);
  return new BffError(BffErrorCode.UPSTREAM_ERROR, `The Kili API returned an error for ${rootField}.`, upstreamCode ? { upstreamCode } : {});
}
