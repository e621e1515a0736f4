/**
 * Stage 6, report (internal, pure): what the client hears. A success is a `MutationOutcome` (the
 * stored part of `AssetMutationResult`); a failed dispatch becomes one error that says, per
 * asset, what was applied, what was not and what may have been.
 */
import type { DispatchReport } from './dispatch.js';
import type { MutationOutcome } from './types.js';
import { BffError, BffErrorCode, isBffError, withDetails } from '../errors/index.js';

/** `projectId` and `projectIds` of an outcome whose affected assets are in `projects`. */
export function projectsReport(projects: readonly string[], scope: string | null): Pick<MutationOutcome, 'projectId' | 'projectIds'> {
  return { projectId: projects.length === 1 ? (projects[0] as string) : projects.length === 0 ? scope : null, projectIds: [...projects] };
}

/** What the client may do about assets whose outcome is unknown. */
const RETRY_ADVICE = {
  /** update, external-id change, delete, review, queue. */
  idempotent: 'retrying is safe: the operation is idempotent',
  /** append: a retry creates them again unless it can recognise them. */
  append: 'a retry with the same Idempotency-Key, or with the same external ids, skips those that were created',
} as const;

export type RetryAdvice = keyof typeof RETRY_ADVICE;

/**
 * The error for a report with a failed batch: `PARTIAL_FAILURE` when some assets were applied,
 * otherwise the upstream error itself (nothing changed, so the client may simply retry). Assets
 * whose outcome is unknown are never reported as not applied: they are `unknownOutcomeAssetIds`.
 */
export function reportFailure(report: DispatchReport, retry: RetryAdvice = 'idempotent'): BffError {
  const advice = RETRY_ADVICE[retry];
  const cause = report.error;
  const causeCode = isBffError(cause) ? cause.code : BffErrorCode.UPSTREAM_ERROR;
  if (report.applied.length === 0) {
    if (report.unknown.length > 0 && isBffError(cause)) {
      // Nothing confirmed, but the outcome of some batches is unknown: never claim "not applied".
      return withDetails(
        cause,
        `${cause.message} ${report.unknown.length} asset(s) may have been changed (outcome unknown, listed in unknownOutcomeAssetIds); ${advice}.`,
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
        ? `the other ${unknown} may have been applied (outcome unknown, listed in unknownOutcomeAssetIds); ${advice}`
        : `${unknown} of the others may have been applied (outcome unknown, listed in unknownOutcomeAssetIds; ${advice}) and the rest was not applied`;
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
