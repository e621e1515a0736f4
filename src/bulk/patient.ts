/**
 * The upstream client as bulk operations use it (internal): a call refused with `RATE_LIMITED`
 * (the credential's budget is spent for longer than the call's deadline, or Kili answered 429
 * after retries) is tried again once the budget frees up, instead of failing the operation. Safe
 * for every call, append included: a refused call was not sent (429: not applied). The operation
 * thus runs at the rate limit, however long that takes; a cancel (`signal`) stops the wait.
 */
import { BffErrorCode, isBffError } from '../errors/index.js';
import type { UpstreamClient } from '../upstream/client.js';
import { sleep } from '../upstream/sleep.js';

/** Longest a single call keeps waiting for budget before its error is let through, ms. */
export const MAX_RATE_WAIT_MS = 15 * 60_000;

export function patientUpstream(upstream: UpstreamClient, maxWaitMs = MAX_RATE_WAIT_MS): UpstreamClient {
  return {
    async execute(credential, call, signal) {
      const giveUpAt = Date.now() + maxWaitMs;
      for (;;) {
        try {
          return await upstream.execute(credential, call, signal);
        } catch (error) {
          if (!isBffError(error) || error.code !== BffErrorCode.RATE_LIMITED || Date.now() >= giveUpAt) throw error;
          const retryAfter = Number((error.extensions as { retryAfterMs?: unknown }).retryAfterMs);
          await sleep(Math.min(Math.max(1, Number.isFinite(retryAfter) ? retryAfter : 1000), Math.max(1, giveUpAt - Date.now())), signal);
        }
      }
    },
  };
}
