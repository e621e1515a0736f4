/**
 * Stage 6, report (internal, pure): what the client hears. A success is a `MutationOutcome` (the
 * stored part of `AssetMutationResult`); a failed dispatch becomes one error that says, per
 * asset, what was applied, what was not and what may have been.
 */
import type { DispatchReport } from './dispatch.js';
import type { MutationOutcome } from './types.js';
import { BffError, BffErrorCode, isBffError, withDetails, type BffWarning } from '../errors/index.js';

/** The outcome of a mutation that had nothing to do (empty input, everything skipped). */
export function emptyOutcome(projectId: string | null, warnings: BffWarning[]): MutationOutcome {
  return { projectId, assetIds: [], batches: 0, verified: true, warnings };
}

/**
 * The error for a report with a failed batch: `PARTIAL_FAILURE` when some assets were applied,
 * otherwise the upstream error itself (nothing changed, so the client may simply retry).
 */
export function reportFailure(report: DispatchReport): BffError {
  const cause = report.error;
  const causeCode = isBffError(cause) ? cause.code : BffErrorCode.UPSTREAM_ERROR;
  if (report.applied.length === 0) {
    if (report.unknown.length > 0 && isBffError(cause)) {
      // Nothing confirmed, but the outcome of some batches is unknown: never claim "not applied".
      return withDetails(
        cause,
        `${cause.message} ${report.unknown.length} asset(s) may have been changed (outcome unknown, listed in unknownOutcomeAssetIds); retrying is safe: the operation is idempotent.`,
        { unknownOutcomeAssetIds: report.unknown },
      );
    }
    return isBffError(cause) ? cause : new BffError(BffErrorCode.UPSTREAM_ERROR, 'The upstream API failed; nothing was changed.');
  }
  const total = report.applied.length + report.failed.length;
  const unknown = report.unknown.length;
  const rest =
    unknown === 0
      ? 'the rest was not applied'
      : unknown === report.failed.length
        ? `the other ${unknown} may have been applied (outcome unknown, listed in unknownOutcomeAssetIds); retrying them is safe: the operation is idempotent`
        : `${unknown} of the others may have been applied (outcome unknown, listed in unknownOutcomeAssetIds; retrying them is safe: the operation is idempotent) and the rest was not applied`;
  return new BffError(
    BffErrorCode.PARTIAL_FAILURE,
    `${report.applied.length} of ${total} assets were changed; batch ${report.failedBatch} failed (${causeCode}) and ${rest}.`,
    {
      appliedAssetIds: report.applied,
      failedAssetIds: report.failed,
      ...(unknown > 0 ? { unknownOutcomeAssetIds: report.unknown } : {}),
      failedBatch: report.failedBatch ?? 0,
      causeCode,
    },
  );
}
