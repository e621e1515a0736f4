/**
 * Client-side identifiers for appended assets (internal), as the SDK generates them
 * (reference §4.4): a cuid-like asset id (25 chars, starting with `c`) and a uuid4 hex external id.
 */
import { randomBytes, randomUUID } from 'node:crypto';

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
