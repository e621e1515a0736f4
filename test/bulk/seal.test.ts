/**
 * The sealed credential of a queued operation: AES-256-GCM under JOB_SECRET, bound to its operation.
 */
import { describe, expect, it } from 'vitest';
import { createSealer } from '../../src/bulk/seal.js';

const credential = { scheme: 'x-api-key' as const, value: 'kili-secret-key-123', hash: 'h'.repeat(64) };

describe('credential sealing', () => {
  it('opens what it sealed, for the same operation only', () => {
    const sealer = createSealer('job-secret-0123456789');
    const sealed = sealer.seal('bop_1', credential);
    expect(sealed).toMatch(/^v1\.[\w+/=]+\.[\w+/=]+\.[\w+/=]+$/);
    expect(sealed).not.toContain(credential.value);
    expect(sealer.open('bop_1', sealed)).toEqual(credential);
    expect(sealer.open('bop_2', sealed)).toBeNull();
  });

  it('uses a fresh IV each time', () => {
    const sealer = createSealer('job-secret-0123456789');
    expect(sealer.seal('bop_1', credential)).not.toBe(sealer.seal('bop_1', credential));
  });

  it('refuses another secret, a tampered body or tag, and malformed input', () => {
    const sealed = createSealer('job-secret-0123456789').seal('bop_1', credential);
    expect(createSealer('another-secret-987654').open('bop_1', sealed)).toBeNull();
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    const sealer = createSealer('job-secret-0123456789');
    expect(sealer.open('bop_1', [v, iv, tag, flip(body)].join('.'))).toBeNull();
    expect(sealer.open('bop_1', [v, iv, flip(tag), body].join('.'))).toBeNull();
    expect(sealer.open('bop_1', 'v2.a.b.c')).toBeNull();
    expect(sealer.open('bop_1', 'garbage')).toBeNull();
  });
});
