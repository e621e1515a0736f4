import { Client } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack | undefined;
afterAll(() => stack?.close());

describe('shutdown', () => {
  it('closes idle keep-alive connections at once instead of waiting out the grace period', async () => {
    // A grace period far longer than the test's timeout: only a close that does not wait for the
    // idle connection can finish in time.
    stack = await startStack({ env: { SHUTDOWN_GRACE_MS: '600000' } });
    const client = new Client(stack.bff.origin, { keepAliveTimeout: 600_000 });
    const res = await client.request({ path: '/healthz', method: 'GET' });
    expect(res.statusCode).toBe(200);
    await res.body.dump(); // the connection stays open, idle
    const closedByServer = new Promise<void>((resolve) => client.once('disconnect', () => resolve()));
    await stack.bff.close();
    await closedByServer;
    await client.close();
  }, 20_000);
});
