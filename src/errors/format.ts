/**
 * Apollo `formatError` (DESIGN §3 "Errors"), what clients see of every error: errors raised on
 * purpose keep their code and details; GraphQL request errors (syntax, validation, variables) keep
 * Apollo's codes, or the code a pipeline feature gave them (e.g. BAD_USER_INPUT naming the field
 * of a rejected DateTime value, src/plugins/date-time-input); everything else is
 * masked as INTERNAL_SERVER_ERROR with no message, stack or upstream text. Never throws. The
 * observability plugin logs the original of each masked error (`maskedCause`) with the request id.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { BffErrorCode, isBffError, type BffError } from './bff-error.js';

const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  BffErrorCode.BAD_USER_INPUT,
  BffErrorCode.BAD_REQUEST,
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

function rootCause(error: unknown): unknown {
  let current = unwrapResolverError(error);
  for (let i = 0; i < 5; i++) {
    const next = (current as { originalError?: unknown } | null)?.originalError;
    if (!next || next === current) break;
    current = next;
  }
  return current;
}

function withoutStack(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const { stacktrace: _stacktrace, exception: _exception, http: _http, ...rest } = extensions ?? {};
  return rest;
}

const MASKED_MESSAGE = 'Unexpected error.';

/**
 * What a client sees of an error raised on purpose: its code and the details of that code, plus
 * `outcomeUnknown: true` when the failed upstream mutation may have been applied (nothing says
 * which assets: a client retrying an append should use its `Idempotency-Key` or external ids).
 */
function shownExtensions(error: BffError): Record<string, unknown> {
  return { ...error.details, code: error.code, ...(error.outcomeUnknown ? { outcomeUnknown: true } : {}) };
}

/**
 * The original error behind an error that `formatError` masks as INTERNAL_SERVER_ERROR, so that it
 * can be logged for operators; undefined when the error is shown to the client as it is, or when
 * its cause is a GraphQL error raised on purpose with its own code (e.g. CLIENT_CLOSED_REQUEST,
 * which the request log line already reports).
 */
export function maskedCause(error: GraphQLError): unknown {
  const shown = formatError(error.toJSON(), error);
  if (shown.message !== MASKED_MESSAGE || shown.extensions?.code !== BffErrorCode.INTERNAL_SERVER_ERROR) return undefined;
  const cause = rootCause(error);
  return cause instanceof GraphQLError && typeof cause.extensions.code === 'string' ? undefined : cause;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  try {
    const cause = rootCause(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    const unwrapped = unwrapResolverError(error);
    if (isBffError(unwrapped)) return { ...base, message: unwrapped.message, extensions: shownExtensions(unwrapped) };
    if (isBffError(cause)) return { ...base, message: cause.message, extensions: shownExtensions(cause) };
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) return { ...base, extensions: withoutStack(formatted.extensions) };
    return { message: MASKED_MESSAGE, path: formatted.path, locations: formatted.locations, extensions: { code: BffErrorCode.INTERNAL_SERVER_ERROR } };
  } catch {
    return { message: MASKED_MESSAGE, extensions: { code: BffErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
