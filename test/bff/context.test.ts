/** The per-request context: loaders are created once, on first use, also across Apollo Server's per-operation copy of it. */
import { describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/loaders/index.js', () => ({
  createLoaders: () => {
    created.count += 1;
    return { id: created.count };
  },
}));

const { createContext } = await import('../../src/context.js');
const { createCache } = await import('../../src/cache/index.js');
const { loadConfig } = await import('../../src/config.js');

describe('createContext', () => {
  it('creates no loaders when copied as Apollo Server copies it, and one set shared by the copy and the original on use', async () => {
    const context = createContext({
      requestId: 'r',
      credential: null,
      upstream: { execute: async () => ({}) as never },
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      cache: await createCache(null),
      idempotencyKey: null,
    });
    // Apollo Server's cloneObject (ApolloServer.ts): same prototype, own properties copied.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(context) as object), context) as typeof context;
    expect(created.count).toBe(0);
    expect(copy.loaders).toEqual({ id: 1 });
    expect(context.loaders).toBe(copy.loaders);
    expect(created.count).toBe(1);
  });
});
