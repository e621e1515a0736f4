/** The BullMQ engine reports its connection errors (it reconnects on its own) instead of dropping them. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bullQueue } from '../../src/bulk/queue-bullmq.js';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('BullMQ engine errors', () => {
  it('passes connection errors to onError', async () => {
    const errors: Error[] = [];
    let seen!: () => void;
    const first = new Promise<void>((resolve) => (seen = resolve));
    const queue = await bullQueue({
      url: `redis://127.0.0.1:${await closedPort()}`,
      prefix: 'test:queue-errors',
      lockMs: 1000,
      onError: (error) => {
        errors.push(error);
        seen();
      },
    });
    await first;
    await queue.close();
    expect(errors[0]?.message).toMatch(/ECONNREFUSED/);
  });
});
