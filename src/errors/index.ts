/**
 * The BFF's one error vocabulary (public contract, DESIGN §3 "Errors").
 * Every error a client sees carries one of these codes in `extensions.code`.
 */
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

export const BffErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  ASSET_NOT_FOUND: 'ASSET_NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  VERIFICATION_FAILED: 'VERIFICATION_FAILED',
  PARTIAL_FAILURE: 'PARTIAL_FAILURE',
  /** A bulk operation id that does not exist for the caller's credential (another's looks the same). */
  BULK_OPERATION_NOT_FOUND: 'BULK_OPERATION_NOT_FOUND',
  /** The Idempotency-Key is held by a request still running (on any replica): retry after `retryAfterMs`. */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type BffErrorCode = (typeof BffErrorCode)[keyof typeof BffErrorCode];

/** Extra, code-specific fields placed next to `code` in `extensions`. */
export interface BffErrorDetails {
  /** The input field at fault (BAD_USER_INPUT), e.g. `where.consensusMarkGte`. */
  field?: string;
  /** Character position in a parsed string input (e.g. `labelCategorySearch`), 1-based. */
  position?: number;
  missingIds?: string[];
  missingExternalIds?: string[];
  retryAfterMs?: number;
  appliedAssetIds?: string[];
  failedAssetIds?: string[];
  /** 0-based index of the upstream batch that failed. */
  failedBatch?: number;
  [key: string]: unknown;
}

const HTTP_STATUS: Partial<Record<BffErrorCode, number>> = {
  UNAUTHENTICATED: 401,
};

/**
 * Base class of every error the BFF raises on purpose. Messages are written for the client and
 * never contain upstream text, stack traces or credentials.
 */
export class BffError extends GraphQLError {
  readonly code: BffErrorCode;
  constructor(code: BffErrorCode, message: string, details: BffErrorDetails = {}, options: GraphQLErrorOptions = {}) {
    const status = HTTP_STATUS[code];
    super(message, {
      ...options,
      extensions: { ...options.extensions, ...details, code, ...(status ? { http: { status } } : {}) },
    });
    this.name = 'BffError';
    this.code = code;
  }
}

/** `BAD_USER_INPUT` naming the input field at fault. */
export function badUserInput(field: string, message: string, details: Omit<BffErrorDetails, 'field'> = {}): BffError {
  return new BffError(BffErrorCode.BAD_USER_INPUT, message, { ...details, field });
}

export function isBffError(error: unknown): error is BffError {
  return error instanceof BffError;
}

/** Exhaustiveness guard for tagged unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
