/**
 * The BFF's one error and warning vocabulary (public contract, DESIGN §3 "Errors").
 * Every error a client sees carries a `BffErrorCode` in `extensions.code` (or one of Apollo's
 * request-error codes); every warning a `BffWarningCode`.
 */
export { BffError, BffErrorCode, badUserInput, clientClosedRequest, isBffError, withDetails } from './bff-error.js';
export type { BffErrorDetails, BffErrorDetailsByCode, BffErrorOptions } from './bff-error.js';
export { BffWarningCode, dedupeWarnings } from './warnings.js';
export { formatError, maskedCause } from './format.js';
export type { BffWarning } from './warnings.js';

/** Exhaustiveness guard for tagged unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
