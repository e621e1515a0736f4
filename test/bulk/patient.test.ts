/**
 * Bulk operations wait for the rate limit instead of failing: a call refused with RATE_LIMITED is
 * tried again after `retryAfterMs`; other errors, and a wait past the bound, go through.
 */
import { describe, expect, it } from 'vitest';
import { patientUpstream } from '../../src/bulk/patient.js';
import { BffError, BffErrorCode } from '../../src/errors/index.js';
import type { UpstreamClient } from '../../src/upstream/client.js';

const credential = { scheme: 'x-api-key' as const, value: 'k', hash: 'h' };
const call = { query: '{ x }', rootField: 'x', kind: 'query' as const };

function failing(errors: BffError[]): UpstreamClient & { calls: number } {
  const fake = {
    calls: 0,
    async execute<T>(): Promise<T> {
      const error = errors[fake.calls];
      fake.calls += 1;
      if (error) throw error;
      return { ok: true } as T;
    },
  };
  return fake;
}

const limited = (retryAfterMs: number) => new BffError(BffErrorCode.RATE_LIMITED, 'limited', { retryAfterMs });

describe('patientUpstream', () => {
  it('retries RATE_LIMITED after retryAfterMs until the call goes through', async () => {
    const upstream = failing([limited(5), limited(5)]);
    expect(await patientUpstream(upstream).execute(credential, call)).toEqual({ ok: true });
    expect(upstream.calls).toBe(3);
  });

  it('lets other errors through at once', async () => {
    const upstream = failing([new BffError(BffErrorCode.UPSTREAM_ERROR, 'no')]);
    await expect(patientUpstream(upstream).execute(credential, call)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_ERROR' } });
    expect(upstream.calls).toBe(1);
  });

  it('gives up with RATE_LIMITED once its wait bound is spent', async () => {
    const upstream = failing(Array.from({ length: 100 }, () => limited(20)));
    await expect(patientUpstream(upstream, 30).execute(credential, call)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(upstream.calls).toBeLessThan(100);
  });

  it('stops waiting when its signal aborts', async () => {
    const upstream = failing(Array.from({ length: 100 }, () => limited(10_000)));
    const controller = new AbortController();
    const pending = patientUpstream(upstream).execute(credential, call, controller.signal);
    controller.abort(new Error('canceled'));
    await expect(pending).rejects.toThrow('canceled');
  });
});
