/**
 * Emulator internals: API-key authentication. Accepted headers: `Authorization: X-API-Key: KEY`
 * (what the SDK sends), `Authorization: Bearer KEY` and `X-API-Key: KEY`; the token is looked up
 * as an API key. Keys never reach the logs: the request log keeps `credentialHash` only.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from './db.js';
import type { UserRow } from './context.js';

export function extractKey(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization?.trim();
  if (auth) {
    const m = /^(?:x-api-key:|bearer)\s*(.+)$/i.exec(auth);
    return (m ? m[1]! : auth).trim() || null;
  }
  const x = headers['x-api-key'];
  const key = (Array.isArray(x) ? x[0] : x)?.trim();
  return key || null;
}

/** sha256(key), hex, first 16 characters. */
export function credentialHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function authenticate(store: Store, key: string): UserRow | null {
  return store.get<UserRow>('SELECT u.id, u.email, u.firstname, u.lastname, u.organization_id FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key = ?', key) ?? null;
}

export function unauthenticatedBody(message: string): string {
  return JSON.stringify({ data: null, errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}
