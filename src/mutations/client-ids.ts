/**
 * Client-side identifiers for appended assets (internal), as the SDK generates them
 * (reference §4.4): a cuid-like asset id (25 chars, starting with `c`) and a uuid4 hex external id.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

let counter = Math.floor(Math.random() * 36 ** 4);

/** A collision-resistant id: `c` + time (8) + counter (4) + random (12), base 36, 25 chars. */
export function newAssetId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, '0').slice(-8);
  const count = counter.toString(36).padStart(4, '0');
  const bytes = randomBytes(8);
  const random = (bytes.readBigUInt64BE() % 36n ** 12n).toString(36).padStart(12, '0');
  return `c${time}${count}${random}`;
}

/** `uuid4().hex`: 32 lowercase hex characters. */
export function newExternalId(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * A generated external id that is the same on every run of one idempotent request: 32 hex chars
 * (uuid hex shape) of sha256(seed, index). `seed` comes from the credential's hash, the client's
 * `Idempotency-Key` and the mutation's response key, so a retry with the same key generates the
 * same external ids and the existing-id check skips what an earlier run already created.
 */
export function seededExternalId(seed: string, index: number): string {
  return createHash('sha256').update(`${seed}\u0000${index}`).digest('hex').slice(0, 32);
}
