/**
 * Internal. Reads the caller's Kili credential from request headers (DESIGN §4) and hashes it
 * with a keyed HMAC for cache keys, rate-limit keys and logs. The raw value is only ever sent
 * upstream, never logged.
 */
import { createHmac } from 'node:crypto';
import type { Credential } from './client.js';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** HMAC-SHA256 of `value` keyed with `secret`, hex. */
export function hashCredential(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex');
}

/** Recent hashes by secret and value: one HMAC per credential rather than per request. */
const recentHashes = new Map<string, string>();
const RECENT_HASHES = 1_000;

function memoHash(secret: string, value: string): string {
  const key = `${secret}\u0000${value}`;
  let hash = recentHashes.get(key);
  if (hash === undefined) {
    hash = hashCredential(secret, value);
    if (recentHashes.size >= RECENT_HASHES) recentHashes.delete(recentHashes.keys().next().value as string);
    recentHashes.set(key, hash);
  }
  return hash;
}

/**
 * `Authorization: X-API-Key: <key>` (as the Kili SDK sends it), `Authorization: Bearer <token>`
 * or `X-API-Key: <key>`; null when none is present or the value is empty.
 */
export function parseCredential(headers: Headers, secret: string): Credential | null {
  const authorization = header(headers, 'authorization')?.trim();
  let scheme: Credential['scheme'] | undefined;
  let value: string | undefined;
  if (authorization) {
    const apiKey = /^x-api-key:\s*(.+)$/i.exec(authorization);
    const bearer = /^bearer\s+(.+)$/i.exec(authorization);
    if (apiKey) [scheme, value] = ['x-api-key', apiKey[1]];
    else if (bearer) [scheme, value] = ['bearer', bearer[1]];
  }
  if (!value) {
    const apiKey = header(headers, 'x-api-key')?.trim();
    if (apiKey) [scheme, value] = ['x-api-key', apiKey];
  }
  value = value?.trim();
  if (!scheme || !value) return null;
  return { scheme, value, hash: memoHash(secret, value) };
}

/** The `Authorization` header value sent upstream for a credential. */
export function authorizationHeader(credential: Credential): string {
  return credential.scheme === 'bearer' ? `Bearer ${credential.value}` : `X-API-Key: ${credential.value}`;
}
