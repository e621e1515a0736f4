/**
 * The append pipeline (internal): validate → classify → skip existing external ids
 * (`filterExistingAssets`, 1000 per call) → assign client ids → batches of 100 (uploads, then
 * `appendManyAssets`), each batch's ids checked to exist as soon as it is applied → report.
 *
 * Retry safety (DESIGN §7): `appendManyAssets` is not idempotent, so the upstream client never
 * resends it. When a batch's outcome is unknown (the error's `outcomeUnknown`), this stage asks
 * `filterExistingAssets` which of the batch's external ids are stored and resends only the others
 * (same client ids), at most `appendResends` times.
 */
import type { MutationUpstream } from './upstream-port.js';
import type { AppendArgs, MutationOutcome, MutationSettings } from './types.js';
import type { AppendRow } from './append-prepare.js';
import type { PipelineDeps } from './pipeline.js';
import { BffError, BffErrorCode } from '../errors/index.js';
import { BatchFailure, isOutcomeUnknown } from './dispatch.js';
import { appendData } from './append-prepare.js';
import { executePlan } from './execute.js';
import { planAppend } from './plan.js';
import { settled } from './pipeline.js';

/** Plans then executes an append in one go (a synchronous mutation); rejects as the report says. */
export async function runAppend(args: AppendArgs, deps: PipelineDeps): Promise<MutationOutcome> {
  return settled(await executePlan(await planAppend(args, deps), deps));
}

/**
 * Sends one batch; on an unknown outcome, resends only the rows not found upstream. Rejects with
 * `BatchFailure` carrying the ids known to be stored when the batch ends half-applied.
 */
export async function sendAppendBatch(
  upstream: MutationUpstream,
  projectId: string,
  rows: readonly AppendRow[],
  settings: MutationSettings,
  options: { outcomeUnknown?: boolean } = {},
): Promise<void> {
  let pending = [...rows];
  const stored: string[] = [];
  for (let attempt = 0; ; attempt += 1) {
    try {
      // `outcomeUnknown`: an earlier run sent this batch and never heard back (a resumed bulk
      // operation): check which rows are stored before the first send, as after a failure.
      if (attempt === 0 && options.outcomeUnknown) throw OUTCOME_UNKNOWN;
      await upstream.appendManyAssets(projectId, appendData(pending));
      return;
    } catch (error) {
      // A resend may fail because the previous attempt landed after all: re-check then too.
      if (!isOutcomeUnknown(error) && attempt === 0) throw new BatchFailure(error, stored);
      let found: Set<string>;
      try {
        found = new Set(await upstream.filterExistingAssets(projectId, pending.map((r) => r.externalId)));
      } catch (checkError) {
        // The check could not run: what this attempt sent may be stored, so its ids are unknown
        // (never "not applied"); after a plain failure of a resend, the earlier attempt's are too.
        throw new BatchFailure(error === OUTCOME_UNKNOWN ? checkError : error, stored, pending.map((r) => r.id));
      }
      stored.push(...pending.filter((r) => found.has(r.externalId)).map((r) => r.id));
      pending = pending.filter((r) => !found.has(r.externalId));
      if (pending.length === 0) return;
      if (!isOutcomeUnknown(error) || attempt >= settings.appendResends) throw new BatchFailure(error, stored);
    }
  }
}

/** Stands for "an earlier run's attempt whose outcome is unknown" (never leaves this module). */
const OUTCOME_UNKNOWN = new BffError(BffErrorCode.UPSTREAM_TIMEOUT, 'An earlier run sent this batch and did not hear back.', {}, { outcomeUnknown: true });
