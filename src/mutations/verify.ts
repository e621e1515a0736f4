/**
 * Stage 5, verify (internal): confirms every asset of every batch (DESIGN §7), not only the last
 * one as the SDK does, under a bounded exponential backoff (1 s → 8 s by default) and an overall
 * deadline (VERIFY_DEADLINE_MS), so upstream eventual consistency is absorbed and a stuck upstream
 * ends in `VERIFICATION_FAILED` instead of hanging (reference §9.2).
 *
 * Verification is streamed: dispatch hands each applied batch to `add`, and as soon as a group of
 * `groupSize` ids (one upstream check: 500 for read-backs, 1000 for counts) is queued, its first
 * probe runs, while later batches are still being sent. `finish` probes the queued rest once the
 * last batch is applied, then re-probes only the assets still pending, all groups together, with
 * the backoff until the deadline (counted from `finish`, i.e. from the end of dispatch, as when
 * verification ran after it). A probe that fails (upstream error) counts as "still pending".
 */
import type { MutationSettings } from './types.js';
import { BffError, BffErrorCode, isBffError } from '../errors/index.js';
import { systemClock, type Clock } from '../upstream/sleep.js';

export { systemClock, type Clock };

/** What one probe learnt about the ids it was given (every id in exactly one list). */
export interface ProbeResult {
  confirmed: string[];
  /** Upstream ignores these by design (e.g. unlabeled assets sent to review): not an error. */
  skipped: string[];
  pending: string[];
}

export type Probe = (ids: string[]) => Promise<ProbeResult>;

export interface VerifyResult {
  confirmed: string[];
  skipped: string[];
  /** Probe rounds run (1 when the upstream was consistent at once). */
  rounds: number;
}

export interface StreamingVerifier {
  /** Queues ids whose change was applied; every full group is probed at once (first round). */
  add(ids: readonly string[]): void;
  /** Resolves once the first-round probes in flight are done (before failing the mutation). */
  settle(): Promise<void>;
  /**
   * Probes what is still queued, waits for the first round, then re-probes the pending assets
   * with backoff. Rejects with `VERIFICATION_FAILED` (listing `unverifiedAssetIds`) when the
   * deadline passes first. Call once, after the last `add`.
   */
  finish(): Promise<VerifyResult>;
}

/** A verifier whose first probes start as batches are applied (see the module comment). */
export function streamingVerifier(probe: Probe, settings: MutationSettings, groupSize: number, clock: Clock = systemClock): StreamingVerifier {
  const size = Math.max(1, groupSize);
  const confirmed: string[] = [];
  const skipped: string[] = [];
  let pending: string[] = [];
  let queue: string[] = [];
  /** Position of each id in `add` order, so the error lists the unverified assets in that order. */
  const order = new Map<string, number>();
  let lastError: unknown;
  const inFlight = new Set<Promise<void>>();

  const firstRound = (group: string[]): void => {
    const run = probe(group).then(
      (result) => {
        confirmed.push(...result.confirmed);
        skipped.push(...result.skipped);
        pending.push(...result.pending);
      },
      (error: unknown) => {
        pending.push(...group);
        lastError = error;
      },
    );
    const tracked = run.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const settle = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.all(inFlight);
  };

  return {
    add(ids) {
      for (const id of ids) order.set(id, order.size);
      queue.push(...ids);
      while (queue.length >= size) firstRound(queue.splice(0, size));
    },
    settle,
    async finish() {
      if (queue.length > 0) firstRound(queue);
      queue = [];
      await settle();
      const deadline = clock.now() + settings.verifyDeadlineMs;
      let delay = settings.verifyBackoffMinMs;
      let rounds = order.size > 0 ? 1 : 0;
      while (pending.length > 0) {
        const remaining = deadline - clock.now();
        if (remaining <= 0) {
          const unverified = [...pending].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
          throw verificationFailed(order.size, unverified, settings.verifyDeadlineMs, lastError);
        }
        await clock.sleep(Math.min(delay, remaining));
        delay = Math.min(delay * 2, settings.verifyBackoffMaxMs);
        rounds += 1;
        try {
          const result = await probe(pending);
          confirmed.push(...result.confirmed);
          skipped.push(...result.skipped);
          pending = result.pending;
          lastError = undefined;
        } catch (error) {
          lastError = error;
        }
      }
      return { confirmed, skipped, rounds };
    },
  };
}

/**
 * Probes `ids` (all at once, then the pending ones with backoff) until none is pending; the
 * non-streamed form of `streamingVerifier`. The first probe runs at once.
 */
export function verifyAll(ids: readonly string[], probe: Probe, settings: MutationSettings, clock: Clock = systemClock): Promise<VerifyResult> {
  const verifier = streamingVerifier(probe, settings, Number.POSITIVE_INFINITY, clock);
  verifier.add(ids);
  return verifier.finish();
}

function verificationFailed(total: number, pending: string[], deadlineMs: number, lastError: unknown): BffError {
  const cause = isBffError(lastError) ? ` (last check failed: ${lastError.code})` : '';
  return new BffError(
    BffErrorCode.VERIFICATION_FAILED,
    `The upstream accepted the change, but ${pending.length} of ${total} assets did not show it within ${deadlineMs} ms${cause}.`,
    { unverifiedAssetIds: pending, deadlineMs },
  );
}
