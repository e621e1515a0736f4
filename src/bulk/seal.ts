/**
 * The caller's credential while its bulk operation lives (internal): sealed with AES-256-GCM
 * (node:crypto) under a key derived from JOB_SECRET, bound to the operation id (additional
 * authenticated data), so a stored value is useless without the secret and cannot be moved to
 * another operation. Deleted at the operation's final status; never logged.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Credential } from '../upstream/client.js';

export interface CredentialSealer {
  seal(operationId: string, credential: Credential): string;
  /** Null when the value was not sealed with this secret for this operation. */
  open(operationId: string, sealed: string): Credential | null;
}

export function createSealer(secret: string): CredentialSealer {
  const key = createHash('sha256').update(`kili-asset-bff:job-credential:v1:${secret}`).digest();
  return {
    seal(operationId, credential) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(operationId));
      const plain = JSON.stringify({ s: credential.scheme, v: credential.value, h: credential.hash });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(operationId, sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(operationId));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
        const parsed = JSON.parse(plain) as { s: Credential['scheme']; v: string; h: string };
        return { scheme: parsed.s, value: parsed.v, hash: parsed.h };
      } catch {
        return null;
      }
    },
  };
}
