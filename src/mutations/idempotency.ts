/**
 * `Idempotency-Key` support (internal), DESIGN §7/§8: a mutation repeated with the same key and
 * credential within the TTL (24 h) returns the stored result instead of running again; the same
 * key with a different body is `BAD_USER_INPUT`. Keys are scoped by the credential's keyed hash,
 * the mutation's response key (alias) and a schema version, and stored in the keyv `idem`
 * namespace. Only successful results are stored (a failed mutation may be retried with its key).
 * Concurrent duplicates in one process share one run.
 */
import { createHash } from 'node:crypto';
import type { MutationOutcome } from './types.js';
import { badUserInput } from '../errors/index.js';
import { stableStringify } from '../stable-stringify.js';

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
const inFlight = new Map<string, { hash: string; promise: Promise<MutationOutcome> }>();

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
export async function withIdempotency(
  store: IdempotencyStore,
  scope: IdempotencyScope,
  hash: string,
  ttlMs: number,
  run: () => Promise<MutationOutcome>,
): Promise<MutationOutcome> {
  const storeKey = idempotencyStoreKey(scope);
  const running = inFlight.get(storeKey);
  if (running) {
    if (running.hash !== hash) throw reusedKey();
    return running.promise;
  }
  const promise = (async () => {
    const stored = asRecord(await store.get(storeKey));
    if (stored) {
      if (stored.bodyHash !== hash) throw reusedKey();
      return stored.outcome;
    }
    const outcome = await run();
    await store.set(storeKey, { v: 1, bodyHash: hash, outcome } satisfies StoredRecord, ttlMs);
    return outcome;
  })();
  inFlight.set(storeKey, { hash, promise });
  try {
    return await promise;
  } finally {
    inFlight.delete(storeKey);
  }
}

function asRecord(value: unknown): StoredRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<StoredRecord>;
  return record.v === 1 && typeof record.bodyHash === 'string' && record.outcome ? (record as StoredRecord) : null;
}

function reusedKey() {
  return badUserInput('Idempotency-Key', 'This Idempotency-Key was already used for a different mutation or different arguments.');
}
