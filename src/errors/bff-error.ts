/**
 * Errors raised on purpose: a string enum of codes, the details each code carries (a typed shape
 * per code, rendered next to `code` in `extensions`) and the `BffError` class.
 */
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

export const BffErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The HTTP request itself is malformed (body, method, operation type, APQ hash), not its arguments. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** A persisted-query version other than 1 (Apollo's code). */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  ASSET_NOT_FOUND: 'ASSET_NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  VERIFICATION_FAILED: 'VERIFICATION_FAILED',
  PARTIAL_FAILURE: 'PARTIAL_FAILURE',
  /**
   * The HTTP client went away before its response was written: the reason given to the upstream
   * calls aborted then. Never reaches a client (it has left); the request's log line shows it.
   */
  CLIENT_CLOSED_REQUEST: 'CLIENT_CLOSED_REQUEST',
  /** A bulk operation id that does not exist for the caller's credential (another's answers the same). */
  BULK_OPERATION_NOT_FOUND: 'BULK_OPERATION_NOT_FOUND',
  /** A request with the same Idempotency-Key is still running (on any replica): retry after `retryAfterMs`. */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type BffErrorCode = (typeof BffErrorCode)[keyof typeof BffErrorCode];

/** No details besides `code`. */
type NoDetails = Record<string, never>;

/**
 * Ids whose change may have been applied although the call failed (a timeout or 5xx on an
 * idempotent mutation, and a check afterwards did not show the change): retrying them is safe.
 */
interface UnknownOutcomeDetails {
  unknownOutcomeAssetIds?: string[];
}

interface UpstreamFailureDetails extends UnknownOutcomeDetails {
  /** The upstream's HTTP status, when it answered one. */
  upstreamStatus?: number;
}

/** The `extensions` fields each code carries besides `code`. */
export interface BffErrorDetailsByCode {
  BAD_USER_INPUT: {
    /** The input field at fault, e.g. `where.consensusMarkGte`, `assets[3].content`, `Idempotency-Key`. */
    field: string;
    /** Character position in a parsed string input (e.g. `labelCategorySearch`), 1-based. */
    position?: number;
    /** The largest value allowed (e.g. for `first`). */
    max?: number;
    /** The input bound exceeded (`INPUT_LIMITS`, src/limits/), and the measured value. */
    limit?: number;
    actual?: number;
    duplicateExternalIds?: string[];
    duplicateIds?: string[];
    ambiguousExternalIds?: string[];
    conflictingExternalIds?: string[];
  };
  BAD_REQUEST: NoDetails;
  PERSISTED_QUERY_NOT_SUPPORTED: NoDetails;
  UNAUTHENTICATED: UnknownOutcomeDetails;
  FORBIDDEN: UnknownOutcomeDetails;
  ASSET_NOT_FOUND: { missingIds: string[]; missingExternalIds: string[] };
  RATE_LIMITED: UnknownOutcomeDetails & { retryAfterMs: number };
  UPSTREAM_UNAVAILABLE: UpstreamFailureDetails;
  UPSTREAM_TIMEOUT: UpstreamFailureDetails;
  UPSTREAM_ERROR: UpstreamFailureDetails & {
    /** The upstream's own error code, when well-formed (never its message). */
    upstreamCode?: string;
  };
  VERIFICATION_FAILED: { unverifiedAssetIds: string[]; deadlineMs: number };
  PARTIAL_FAILURE: UnknownOutcomeDetails & {
    appliedAssetIds: string[];
    failedAssetIds: string[];
    /** 0-based index of the upstream batch that failed. */
    failedBatch: number;
    /** The code of the failed batch's error. */
    causeCode: BffErrorCode;
  };
  CLIENT_CLOSED_REQUEST: NoDetails;
  BULK_OPERATION_NOT_FOUND: NoDetails;
  IDEMPOTENCY_KEY_IN_USE: { retryAfterMs: number };
  INTERNAL_SERVER_ERROR: NoDetails;
}

export type BffErrorDetails<C extends BffErrorCode = BffErrorCode> = BffErrorDetailsByCode[C];

export interface BffErrorOptions extends Omit<GraphQLErrorOptions, 'extensions'> {
  /**
   * The failed upstream mutation may have been applied (a timeout, a connection reset or a 5xx
   * after the request was sent, on a call that is not safe to resend). Read by the mutation
   * pipeline to decide what to re-check; `formatError` decides what clients see of it.
   * @default false
   */
  outcomeUnknown?: boolean;
}

/** Details are optional for the codes whose details are all optional. */
type DetailsArgs<C extends BffErrorCode> = NoDetails extends BffErrorDetailsByCode[C]
  ? [details?: BffErrorDetailsByCode[C], options?: BffErrorOptions]
  : [details: BffErrorDetailsByCode[C], options?: BffErrorOptions];

const HTTP_STATUS: Partial<Record<BffErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
};

/**
 * Base class of every error the BFF raises on purpose. Messages are written for the client and
 * never contain upstream text, stack traces or credentials.
 */
export class BffError<C extends BffErrorCode = BffErrorCode> extends GraphQLError {
  readonly code: C;
  readonly details: BffErrorDetailsByCode[C];
  readonly outcomeUnknown: boolean;
  constructor(code: C, message: string, ...[details, options = {}]: DetailsArgs<C>) {
    const status = HTTP_STATUS[code];
    const { outcomeUnknown = false, ...graphqlOptions } = options;
    super(message, { ...graphqlOptions, extensions: { ...details, code, ...(status ? { http: { status } } : {}) } });
    this.name = 'BffError';
    this.code = code;
    this.details = (details ?? {}) as BffErrorDetailsByCode[C];
    this.outcomeUnknown = outcomeUnknown;
  }
}

/** `BAD_USER_INPUT` naming the input field at fault. */
export function badUserInput(field: string, message: string, details: Omit<BffErrorDetailsByCode['BAD_USER_INPUT'], 'field'> = {}): BffError<'BAD_USER_INPUT'> {
  return new BffError(BffErrorCode.BAD_USER_INPUT, message, { ...details, field });
}

/** The abort reason of a request whose HTTP client disconnected (see `CLIENT_CLOSED_REQUEST`). */
export function clientClosedRequest(): BffError<'CLIENT_CLOSED_REQUEST'> {
  return new BffError(BffErrorCode.CLIENT_CLOSED_REQUEST, 'The client closed the request.');
}

/** A copy of `error` (same code and `outcomeUnknown`) with another message and more details. */
export function withDetails<C extends BffErrorCode>(error: BffError<C>, message: string, more: Partial<BffErrorDetailsByCode[C]>): BffError<C> {
  const args = [{ ...error.details, ...more }, { outcomeUnknown: error.outcomeUnknown }] as DetailsArgs<C>;
  return new BffError(error.code, message, ...args);
}

export function isBffError(error: unknown): error is BffError {
  return error instanceof BffError;
}
