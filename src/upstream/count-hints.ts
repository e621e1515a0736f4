/**
 * Counts remembered from paged reads (DESIGN §5): the last `countAssets` answer seen for one
 * credential and one upstream filter, so that the next paged read of the same assets can send the
 * pages that count calls for together with its own count, instead of one round trip after it
 * (src/upstream/assets.ts `listAssets`). A hint never decides what a read returns, only which of
 * its calls go out early: a hint too high costs calls that return nothing (or are not sent, if the
 * count is in first), one too low only the round trip it would have saved.
 *
 * Bounded: at most `maxEntries` hints (keys are hashes of fixed size, whatever the filter's size),
 * the least recently used dropped first; each expires `ttlMs` after it was last set. Per process.
 */
import { createHash } from 'node:crypto';
import type { Credential } from './client.js';
import { stableStringify } from '../stable-stringify.js';

/** Hints kept at most. */
export const COUNT_HINT_ENTRIES = 10_000;

export class CountHints {
  private readonly hints = new Map<string, { count: number; expires: number }>();

  constructor(
    private readonly maxEntries = COUNT_HINT_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key of a credential's reads with `where` (a hash: the filter may be large). */
  key(credential: Credential, where: unknown): string {
    return createHash('sha256').update(credential.hash).update('\u0000').update(stableStringify(where)).digest('base64url');
  }

  /** The count remembered under `key`, unless it expired. */
  get(key: string): number | undefined {
    const hint = this.hints.get(key);
    if (!hint) return undefined;
    this.hints.delete(key);
    if (hint.expires <= this.now()) return undefined;
    this.hints.set(key, hint); // most recently used
    return hint.count;
  }

  set(key: string, count: number, ttlMs: number): void {
    this.hints.delete(key);
    if (ttlMs <= 0) return;
    this.hints.set(key, { count, expires: this.now() + ttlMs });
    if (this.hints.size > this.maxEntries) this.hints.delete(this.hints.keys().next().value as string);
  }

  get size(): number {
    return this.hints.size;
  }
}

/** The process's hints, shared by every request's paged reads. */
export const countHints = new CountHints();
