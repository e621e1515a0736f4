/**
 * `Idempotency-Key` support (internal), DESIGN §7/§8: a mutation repeated with the same key and
 * credential within the TTL (24 h) returns the stored result instead of running again; the same
 * key with a different body is `BAD_USER_INPUT`. Keys are scoped by the credential's keyed hash,
 * the mutation's response key (alias) and a schema version, and stored in the keyv `idem`
 * namespace. Only successful results are stored (a failed mutation may be retried with its key),
 * and only once the upstream has accepted the credential (a made-up key stores nothing).
 *
 * One run per key across replicas: before running, the key is taken with a lock in the shared
 * store (Redis `SET NX PX`, renewed while the run lasts, released after the result is stored).
 * A second request with the key waits for the first's stored result, or gets
 * `IDEMPOTENCY_KEY_IN_USE` (with `retryAfterMs`) when it takes longer than its wait. Concurrent
 * duplicates in one process share one run without touching the lock.
 */
import { createHash } from 'node:crypto';
import type { MutationOutcome } from './types.js';
import { BffError, BffErrorCode, badUserInput } from '../errors/index.js';
import { stableStringify } from '../stable-stringify.js';

/** Longest accepted `Idempotency-Key` header, characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Largest stored result (serialised JSON, bytes); a larger one is not stored (a retry runs again). */
export const MAX_STORED_RESULT_BYTES = 2 * 1024 * 1024;

/** A lease on a key shared by every replica. */
export interface IdempotencyLock {
  /** Takes the key for `leaseMs`; resolves a release token, or null when someone holds it. */
  acquire(key: string, leaseMs: number): Promise<string | null>;
  /** Extends the lease when `token` still holds it. */
  renew(key: string, token: string, leaseMs: number): Promise<void>;
  /** Frees the key when `token` still holds it. */
  release(key: string, token: string): Promise<void>;
}

export interface IdempotencyOptions {
  /** Cross-replica lock (Redis); absent: the in-process sharing only. */
  lock?: IdempotencyLock;
  /** Lease of the lock, ms (renewed at a third of it). @default 30000 */
  leaseMs?: number;
  /** How long a second request waits for the first one's result, ms. @default 30000 */
  waitMs?: number;
  /** Poll period while waiting, ms. @default 100 */
  pollMs?: number;
  /** Asked after a successful run: store the result only when true (the upstream accepted the credential). */
  canStore?: () => boolean;
}

/** Checks the `Idempotency-Key` header: 1 to 255 visible ASCII characters. */
export function checkIdempotencyKey(key: string): void {
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw badUserInput('Idempotency-Key', `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (no spaces).`);
  }
}

/** The slice of the keyv `idem` namespace used here; TTL in milliseconds. */
export interface IdempotencyStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<unknown>;
}

export interface IdempotencyScope {
  /** Keyed hash of the caller's credential (never the credential itself). */
  credentialHash: string;
  /** The client's `Idempotency-Key` header. */
  key: string;
  /** The response key of the mutation field (alias or name). */
  responseKey: string;
}

interface StoredRecord {
  v: 1;
  bodyHash: string;
  outcome: MutationOutcome;
}

const VERSION = 'v1';
const inFlight = new Map<string, { hash: string; promise: Promise<unknown> }>();

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The store key: feature prefix, version, credential scope, hashed client key, response key. */
export function idempotencyStoreKey(scope: IdempotencyScope): string {
  return `mutation:${VERSION}:${scope.credentialHash}:${sha256(scope.key)}:${scope.responseKey}`;
}

/**
 * Seed of the external ids append generates under this key: a retry with the same credential, key
 * and response key generates the same ones (a failed run is not stored, so it runs again).
 */
export function idSeed(scope: IdempotencyScope): string {
  return sha256(`external-id:${VERSION}:${scope.credentialHash}:${scope.key}:${scope.responseKey}`);
}

/** Hash of what the mutation was asked to do: its field name and arguments. */
export function bodyHash(fieldName: string, args: unknown): string {
  return sha256(`${fieldName}:${stableStringify(args)}`);
}

/**
 * Runs `run` once per (scope, body); replays the stored outcome afterwards. Rejects with
 * `BAD_USER_INPUT` (field `Idempotency-Key`) when the key was used with another body.
 */
export async function withIdempotency<T extends MutationOutcome>(
  store: IdempotencyStore,
  scope: IdempotencyScope,
  hash: string,
  ttlMs: number,
  run: () => Promise<T>,
  options: IdempotencyOptions = {},
): Promise<T> {
  const storeKey = idempotencyStoreKey(scope);
  const running = inFlight.get(storeKey);
  if (running) {
    if (running.hash !== hash) throw reusedKey();
    return running.promise as Promise<T>;
  }
  const promise = (async (): Promise<T> => {
    const stored = await storedOutcome<T>(store, storeKey, hash);
    if (stored) return stored;
    const { lock } = options;
    const leaseMs = options.leaseMs ?? 30_000;
    let token: string | null = null;
    if (lock) {
      // Held elsewhere: wait for that run's stored result, or for the key to be free again (that
      // run failed, so nothing was stored) and run here.
      const deadline = Date.now() + (options.waitMs ?? 30_000);
      while ((token = await lock.acquire(`${storeKey}:lock`, leaseMs)) === null) {
        if (Date.now() >= deadline) throw keyInUse();
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
        const done = await storedOutcome<T>(store, storeKey, hash);
        if (done) return done;
      }
      // Someone may have finished between our read and our lock.
      const late = await storedOutcome<T>(store, storeKey, hash);
      if (late) {
        await lock.release(`${storeKey}:lock`, token);
        return late;
      }
    }
    const held = token;
    const renewal = lock && held ? setInterval(() => void lock.renew(`${storeKey}:lock`, held, leaseMs).catch(() => {}), Math.max(50, leaseMs / 3)) : null;
    try {
      const outcome = await run();
      const record = { v: 1, bodyHash: hash, outcome } satisfies StoredRecord;
      if ((options.canStore?.() ?? true) && JSON.stringify(record).length <= MAX_STORED_RESULT_BYTES) {
        await store.set(storeKey, record, ttlMs);
      }
      return outcome;
    } finally {
      if (renewal) clearInterval(renewal);
      if (lock && held) await lock.release(`${storeKey}:lock`, held).catch(() => {});
    }
  })();
  inFlight.set(storeKey, { hash, promise });
  try {
    return await promise;
  } finally {
    inFlight.delete(storeKey);
  }
}

async function storedOutcome<T>(store: IdempotencyStore, storeKey: string, hash: string): Promise<T | null> {
  const stored = asRecord(await store.get(storeKey));
  if (!stored) return null;
  if (stored.bodyHash !== hash) throw reusedKey();
  return stored.outcome as T;
}

function keyInUse(): BffError {
  return new BffError(
    BffErrorCode.IDEMPOTENCY_KEY_IN_USE,
    'A request with this Idempotency-Key is still running; retry later with the same key to get its result.',
    { retryAfterMs: 1000 },
  );
}

function asRecord(value: unknown): StoredRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<StoredRecord>;
  return record.v === 1 && typeof record.bodyHash === 'string' && record.outcome ? (record as StoredRecord) : null;
}

function reusedKey() {
  return badUserInput('Idempotency-Key', 'This Idempotency-Key was already used for a different mutation or different arguments.');
}
