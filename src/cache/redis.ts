/**
 * Internal. The BFF's Redis connections (ioredis): opening one, reporting its errors, closing it,
 * and running a MULTI that fails when one of its commands failed.
 *
 * ioredis is the only Redis client in the process (BullMQ uses it too). node-redis
 * (`@redis/client`, also behind `redis` and `@keyv/redis`) defines `class VerbatimString extends
 * String`; once any object has `String.prototype` as its prototype, V8 11.3 (Node 20) stops
 * inlining `String.prototype.charCodeAt` everywhere, and every string-scanning loop of the process
 * (graphql-js's lexer, src/json-text.ts…) runs 4–6× slower. ESLint forbids importing it
 * (eslint.config.js).
 *
 * A connection reconnects on its own. Commands sent while it is down wait for the reconnection
 * (`maxRetriesPerRequest: null`), as they did with node-redis; the caches do not wait
 * (keyv-ioredis.ts: a read misses, a write is dropped).
 */
import { Redis, type ChainableCommander } from 'ioredis';
import { clip, type Logger } from '../log.js';

export { Redis };

/** A distinct error is logged at most once in this period, ms. */
export const ERROR_LOG_PERIOD_MS = 60_000;
/** Distinct errors remembered at once (more within one period are not logged). */
const MAX_REMEMBERED_ERRORS = 100;

/**
 * An `error` listener that logs each distinct error (code and message) at most once every
 * ERROR_LOG_PERIOD_MS: a Redis that is down fails every reconnection attempt (up to one every
 * 2 s), and each attempt emits an error. `connection` names the connection in the log line.
 */
export function throttledErrorLog(logger: Logger, connection: string, now: () => number = Date.now): (error: Error) => void {
  const loggedAt = new Map<string, number>();
  return (error) => {
    const at = now();
    for (const [known, when] of loggedAt) if (at - when >= ERROR_LOG_PERIOD_MS) loggedAt.delete(known);
    const code = (error as NodeJS.ErrnoException).code;
    const message = clip(String(error.message));
    const key = `${code ?? ''} ${message}`;
    if (loggedAt.has(key) || loggedAt.size >= MAX_REMEMBERED_ERRORS) return;
    loggedAt.set(key, at);
    logger.warn({ redis: connection, code, error: message }, `Redis error on the ${connection} connection (the same error is not logged again within a minute)`);
  };
}

/**
 * Opens a connection to `url` (`redis://…` or `rediss://…`); rejects when the first attempt
 * fails (and then stops retrying). `onError` hears every error the connection reports afterwards.
 */
export async function connectRedis(url: string, onError: (error: Error) => void = () => {}): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  // ioredis rejects a failed first attempt with "Connection is closed."; the error it emitted
  // before (e.g. ECONNREFUSED, WRONGPASS) says why.
  let cause: unknown;
  const remember = (error: Error) => (cause = error);
  client.on('error', remember);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw cause ?? error;
  } finally {
    client.off('error', remember);
  }
  client.on('error', onError);
  return client;
}

/**
 * Closes a connection: when connected, after the replies of the commands already sent (QUIT);
 * otherwise at once (commands still waiting for a reconnection are rejected). Never rejects.
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => {});
  client.disconnect();
}

/**
 * Runs a MULTI and resolves its replies; rejects when the transaction was discarded or any of
 * its commands failed (ioredis resolves `[error, reply]` pairs; node-redis rejected, and the
 * callers rely on a failed write rejecting).
 */
export async function execMulti(multi: ChainableCommander): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error('Redis discarded the transaction');
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}
