/**
 * Internal. A keyv 5 store over an ioredis connection, written for this BFF because no maintained
 * package pairs keyv 5 with ioredis. It stores what `@keyv/redis` 5 stored, so that replicas of
 * the previous and the current version share entries during a rolling deploy:
 * - key: `<namespace>::<key>`, where keyv sets `namespace` (e.g. `bff:apq`) and hands over keys it
 *   already prefixed with `<namespace>:` — so `bff:apq::bff:apq:<key>`;
 * - value: keyv's serialised text (`{"value":…,"expires":…}`) as a Redis string, written with
 *   `SET key value PX ttl` when a TTL is given (plain `SET` otherwise), read with `GET`, deleted
 *   with `UNLINK`.
 *
 * Never rejects, and never waits long: while the connection is not ready a read misses and a
 * write or delete is dropped at once (nothing queues up in memory for a Redis that is down); a
 * command without a reply within `timeoutMs` is given up the same way (its reply, should it come,
 * is ignored). Command failures and timeouts go to `onError`.
 */
import type { Redis } from 'ioredis';

/** Between keyv's namespace and the key, as `@keyv/redis` wrote it. */
export const KEY_PREFIX_SEPARATOR = '::';
/** Longest wait for a cache command's reply, ms. */
export const CACHE_COMMAND_TIMEOUT_MS = 2_000;
/** Keys deleted per round by `clear()`. */
const CLEAR_BATCH = 1_000;

export interface KeyvIoredisOptions {
  /** @default CACHE_COMMAND_TIMEOUT_MS */
  timeoutMs?: number;
  /** Hears each failed or timed-out command. */
  onError?: (error: Error) => void;
}

export class KeyvIoredis {
  /** Set by keyv (its own namespace). */
  namespace: string | undefined;
  /** Read by keyv; this store has no iterator. */
  readonly opts: { dialect: 'ioredis' } = { dialect: 'ioredis' };
  readonly #client: Redis;
  readonly #timeoutMs: number;
  readonly #onError: (error: Error) => void;

  constructor(client: Redis, { timeoutMs = CACHE_COMMAND_TIMEOUT_MS, onError = () => {} }: KeyvIoredisOptions = {}) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#onError = onError;
  }

  /** The Redis key of a keyv key. */
  redisKey(key: string): string {
    return this.namespace ? `${this.namespace}${KEY_PREFIX_SEPARATOR}${key}` : key;
  }

  /** keyv's serialised text, or undefined when absent or unreadable. */
  async get(key: string): Promise<string | undefined> {
    const value = await this.#bounded(() => this.#client.get(this.redisKey(key)), null);
    return value ?? undefined;
  }

  /** Stores keyv's serialised text for `ttl` ms (none, 0 or undefined: no expiry). */
  async set(key: string, value: string, ttl?: number): Promise<void> {
    const redisKey = this.redisKey(key);
    await this.#bounded(() => (ttl ? this.#client.set(redisKey, value, 'PX', ttl) : this.#client.set(redisKey, value)), null);
  }

  /** true when a key was deleted. */
  async delete(key: string): Promise<boolean> {
    return (await this.#bounded(() => this.#client.unlink(this.redisKey(key)), 0)) > 0;
  }

  /**
   * Deletes every key of this namespace (SCAN and UNLINK, CLEAR_BATCH at a time); without a
   * namespace, nothing (it never empties a shared database). Not bounded in time. Never rejects.
   */
  async clear(): Promise<void> {
    if (!this.namespace || this.#client.status !== 'ready') return;
    const match = `${this.namespace.replace(/[*?[\]\\]/g, '\\$&')}${KEY_PREFIX_SEPARATOR}*`;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.#client.scan(cursor, 'MATCH', match, 'COUNT', CLEAR_BATCH, 'TYPE', 'string');
        if (keys.length > 0) await this.#client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (error) {
      this.#onError(error as Error);
    }
  }

  /** `run()`'s result, or `fallback` when the connection is not ready, the command fails or takes longer than the timeout. */
  #bounded<T>(run: () => Promise<T>, fallback: T): Promise<T> {
    if (this.#client.status !== 'ready') return Promise.resolve(fallback);
    return new Promise<T>((resolve) => {
      let settled = false;
      const settle = (value: T, error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) this.#onError(error);
        resolve(value);
      };
      const timer = setTimeout(() => {
        // After the I/O callbacks of this loop turn: a reply that arrived while the event loop was
        // busy for longer than the timeout still counts.
        setImmediate(() => settle(fallback, new Error(`Redis cache command had no reply within ${this.#timeoutMs} ms`)));
      }, this.#timeoutMs);
      timer.unref();
      run().then(
        (value) => settle(value),
        (error: unknown) => settle(fallback, error instanceof Error ? error : new Error(String(error))),
      );
    });
  }
}
