/**
 * Stage 4, dispatch (internal): sends batches with bounded concurrency (p-limit,
 * MUTATION_CONCURRENCY) and, like DataLoader, gives every batch its own outcome. The first failure
 * stops batches that have not started yet (the SDK stops at the first error too, reference §6.1);
 * batches already in flight finish and count as applied when they succeed. Never rejects: failures
 * are data, turned into `PARTIAL_FAILURE` (or the upstream error when nothing was applied) by
 * `reportFailure` (report.ts). `onApplied` hears of each batch as soon as it is applied (streamed
 * verification). After a failure, `recheckUnknown` checks the batches whose outcome is unknown.
 */
import pLimit from 'p-limit';
import type { Batch } from './batch.js';
import { BffErrorCode, isBffError } from '../errors/index.js';

export type { Batch };

/** What a successful batch reports: the project it touched when upstream says so. */
export interface BatchAck {
  projectId: string | null;
}

export type BatchOutcome =
  | { kind: 'applied'; ack: BatchAck }
  | { kind: 'failed'; error: unknown; appliedIds: string[]; unknownIds: string[] }
  | { kind: 'notSent' };

/**
 * Thrown by a batch sender that knows more than "the batch failed": the ids known to be applied
 * (e.g. an append batch whose resend failed after `filterExistingAssets` found some of its assets
 * stored), and the ids whose outcome stays unknown (a check that could not run).
 */
export class BatchFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly appliedIds: string[],
    readonly unknownIds: string[] = [],
  ) {
    super('batch failed');
    this.name = 'BatchFailure';
  }
}

export interface DispatchReport {
  /** Batches actually sent upstream. */
  sent: number;
  outcomes: BatchOutcome[];
  applied: string[];
  failed: string[];
  /** Batches not sent because `control.shouldStop` said so (cancel), with no failure: their ids. */
  notSent: string[];
  /** True when `control.shouldStop` stopped the dispatch. */
  halted: boolean;
  /** Index of the first failed batch, or null when every batch was applied. */
  failedBatch: number | null;
  /** The error of `failedBatch`. */
  error: unknown;
  /**
   * Of `failed`, the ids whose batch failed with an unknown outcome (timeout or 5xx after sending)
   * and that a check afterwards did not show as changed: they may have been applied.
   */
  unknown: string[];
}

/**
 * Hooks of a dispatch that runs as a bulk operation (all optional; a plain mutation passes none).
 */
export interface DispatchControl {
  /** Batches applied by an earlier run of the same operation (checkpoint): not sent again, counted as applied. */
  done?: ReadonlySet<number>;
  /** Asked before each batch is sent; true stops it and every later batch (cancel). */
  shouldStop?: () => boolean | Promise<boolean>;
  /** Hears each batch once it is applied or failed (checkpoint, progress); awaited before the next outcome counts. */
  onSettled?: (index: number, outcome: BatchOutcome) => void | Promise<void>;
}

export async function dispatchBatches<P>(
  batches: readonly Batch<P>[],
  concurrency: number,
  send: (batch: Batch<P>) => Promise<BatchAck>,
  onApplied?: (batch: Batch<P>, ack: BatchAck) => void,
  control: DispatchControl = {},
): Promise<DispatchReport> {
  const limit = pLimit(Math.max(1, concurrency));
  let stopped = false;
  let halted = false;
  let sent = 0;
  const settle = async (index: number, outcome: BatchOutcome): Promise<BatchOutcome> => {
    await control.onSettled?.(index, outcome);
    return outcome;
  };
  const outcomes = await Promise.all(
    batches.map((batch) =>
      limit(async (): Promise<BatchOutcome> => {
        if (control.done?.has(batch.index)) {
          onApplied?.(batch, { projectId: null });
          return { kind: 'applied', ack: { projectId: null } };
        }
        if (stopped || halted) return { kind: 'notSent' };
        if (control.shouldStop && (await control.shouldStop())) {
          halted = true;
          return { kind: 'notSent' };
        }
        sent += 1;
        let ack: BatchAck;
        try {
          ack = await send(batch);
        } catch (error) {
          stopped = true;
          if (error instanceof BatchFailure) return settle(batch.index, { kind: 'failed', error: error.error, appliedIds: error.appliedIds, unknownIds: error.unknownIds });
          return settle(batch.index, { kind: 'failed', error, appliedIds: [], unknownIds: [] });
        }
        onApplied?.(batch, ack);
        return settle(batch.index, { kind: 'applied', ack });
      }),
    ),
  );
  const report: DispatchReport = { sent, outcomes, applied: [], failed: [], notSent: [], halted, failedBatch: null, error: undefined, unknown: [] };
  outcomes.forEach((outcome, i) => {
    const ids = batches[i]?.ids ?? [];
    switch (outcome.kind) {
      case 'applied':
        report.applied.push(...ids);
        break;
      case 'failed': {
        if (report.failedBatch === null) {
          report.failedBatch = i;
          report.error = outcome.error;
        }
        const applied = new Set(outcome.appliedIds);
        const unknown = new Set(outcome.unknownIds);
        report.applied.push(...ids.filter((id) => applied.has(id)));
        report.failed.push(...ids.filter((id) => !applied.has(id)));
        report.unknown.push(...ids.filter((id) => unknown.has(id) && !applied.has(id)));
        break;
      }
      case 'notSent':
        // Stopped by a cancel: not a failure, just not done. Stopped by a failure: failed.
        if (halted && report.failedBatch === null && !outcomes.some((o) => o.kind === 'failed')) report.notSent.push(...ids);
        else report.failed.push(...ids);
        break;
      default:
        outcome satisfies never;
    }
  });
  return report;
}

/**
 * True for an upstream error that says its mutation may or may not have been applied (the
 * error's `outcomeUnknown`: the upstream client sets it on any mutation that failed after it was
 * sent: timeout, connection reset, or an HTTP 5xx answer, 500 included).
 */
export function isOutcomeUnknown(error: unknown): boolean {
  return isBffError(error) && error.outcomeUnknown;
}

/**
 * True when a failed idempotent mutation batch may have been applied: the error says so
 * (`isOutcomeUnknown`), or it is a timeout / unavailable upstream after retries. A GraphQL error
 * answer (UPSTREAM_ERROR without `outcomeUnknown`) or a local refusal (RATE_LIMITED,
 * BAD_USER_INPUT…) means nothing was applied.
 */
export function batchMayHaveBeenApplied(error: unknown): boolean {
  if (!isBffError(error)) return false;
  if (isOutcomeUnknown(error)) return true;
  return error.code === BffErrorCode.UPSTREAM_UNAVAILABLE || error.code === BffErrorCode.UPSTREAM_TIMEOUT;
}

/**
 * After a failed dispatch: checks once (with `probe`) the ids of every batch that failed with an
 * unknown outcome; confirmed ones move to `applied` (kept in input order), the others are listed
 * in `unknown` (and stay in `failed`), after any the senders already reported unknown. A check
 * that fails leaves all of them unknown.
 */
export async function recheckUnknown<P>(
  report: DispatchReport,
  batches: readonly Batch<P>[],
  probe: (ids: string[]) => Promise<{ confirmed: string[] }>,
): Promise<void> {
  const applied = new Set(report.applied);
  const candidates: string[] = [];
  report.outcomes.forEach((outcome, i) => {
    if (outcome.kind === 'failed' && batchMayHaveBeenApplied(outcome.error)) {
      candidates.push(...(batches[i]?.ids ?? []).filter((id) => !applied.has(id)));
    }
  });
  if (candidates.length === 0) return;
  let confirmed = new Set<string>();
  try {
    confirmed = new Set((await probe(candidates)).confirmed);
  } catch {
    // Unknown stays unknown.
  }
  for (const id of confirmed) applied.add(id);
  const order = batches.flatMap((b) => b.ids);
  report.applied = order.filter((id) => applied.has(id));
  report.failed = report.failed.filter((id) => !confirmed.has(id));
  const stillUnknown = new Set(candidates.filter((id) => !confirmed.has(id)));
  for (const id of report.unknown) stillUnknown.add(id);
  report.unknown = order.filter((id) => stillUnknown.has(id) && !applied.has(id));
}
