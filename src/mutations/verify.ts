/**
 * Stage 5, verify (internal): confirms every asset of every batch (DESIGN §7), not only the last
 * one as the SDK does, under a bounded exponential backoff (1 s → 8 s by default) and an overall
 * deadline (VERIFY_DEADLINE_MS), so upstream eventual consistency is absorbed and a stuck upstream
 * ends in `VERIFICATION_FAILED` instead of hanging (reference §9.2). Each round probes only the
 * assets still pending. A probe that fails (upstream error) counts as "still pending".
 */
import type { MutationSettings } from './types.js';
import { BffError, BffErrorCode, isBffError } from '../errors/index.js';

/** What one probe learnt about the ids it was given (every id in exactly one list). */
export interface ProbeResult {
  confirmed: string[];
  /** Upstream ignores these by design (e.g. unlabeled assets sent to review): not an error. */
  skipped: string[];
  pending: string[];
}

export type Probe = (ids: string[]) => Promise<ProbeResult>;

/** Time source, injectable so tests need no real waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface VerifyResult {
  confirmed: string[];
  skipped: string[];
  /** Probe rounds run (1 when the upstream was consistent at once). */
  rounds: number;
}

/**
 * Probes `ids` until none is pending. Rejects with `VERIFICATION_FAILED` (listing
 * `unverifiedAssetIds`) when the deadline passes first. The first probe runs at once.
 */
export async function verifyAll(ids: readonly string[], probe: Probe, settings: MutationSettings, clock: Clock = systemClock): Promise<VerifyResult> {
  const deadline = clock.now() + settings.verifyDeadlineMs;
  const confirmed: string[] = [];
  const skipped: string[] = [];
  let pending = [...ids];
  let delay = settings.verifyBackoffMinMs;
  let rounds = 0;
  let lastError: unknown;
  while (pending.length > 0) {
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
    if (pending.length === 0) break;
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw verificationFailed(ids.length, pending, settings.verifyDeadlineMs, lastError);
    await clock.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, settings.verifyBackoffMaxMs);
  }
  return { confirmed, skipped, rounds };
}

function verificationFailed(total: number, pending: string[], deadlineMs: number, lastError: unknown): BffError {
  const cause = isBffError(lastError) ? ` (last check failed: ${lastError.code})` : '';
  return new BffError(
    BffErrorCode.VERIFICATION_FAILED,
    `The upstream accepted the change, but ${pending.length} of ${total} assets did not show it within ${deadlineMs} ms${cause}.`,
    { unverifiedAssetIds: pending, deadlineMs },
  );
}
