/**
 * A response leaves no work behind: when graphql-js answers early (a non-null field failed), the
 * upstream calls still running for sibling fields are aborted once the response is written, and
 * no new one is started. Mutations are detached from this and run to completion.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBffServer, type BffServer } from '../../src/server.js';
import type { Credential, UpstreamCall, UpstreamClient } from '../../src/upstream/client.js';
import { gqlRequest } from '../helpers/stack.js';

interface Pending {
  call: UpstreamCall;
  signal: AbortSignal | undefined;
}

/** An upstream that never answers `assets` pages: each call waits until its signal aborts. */
class StalledUpstream implements UpstreamClient {
  calls: Pending[] = [];
  execute<T>(_credential: Credential, call: UpstreamCall, signal?: AbortSignal): Promise<T> {
    this.calls.push({ call, signal });
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }
}

let bff: BffServer;
const upstream = new StalledUpstream();
beforeAll(async () => {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', KILI_API_URL: 'http://127.0.0.1:9/api/label/v2/graphql' });
  bff = await createBffServer(config, { upstream, skipWarmUp: true });
});
afterAll(async () => {
  await bff?.close();
});

describe('the end of a request', () => {
  it('aborts the upstream calls of sibling fields once an early answer has been sent', async () => {
    // `page` starts an upstream read; `count` then fails (empty projectId) and, being non-null,
    // nulls the whole answer at once while the read is still waiting.
    const query = '{ page: assets(projectId: "p", first: 5) { id } count: countAssets(projectId: "") }';
    const { body } = await gqlRequest<null>(bff.url, query, undefined, { authorization: 'X-API-Key: k' });
    expect(body.data).toBeNull();
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(upstream.calls.map((c) => c.call.rootField)).toEqual(['assets']);
    // The read still waiting when the answer was sent is aborted (not left running for nobody).
    await vi.waitFor(() => expect(upstream.calls.map((c) => c.signal?.aborted)).toEqual([true]));
    expect((upstream.calls[0]?.signal?.reason as Error).name).toBe('AbortError');
  });
});
