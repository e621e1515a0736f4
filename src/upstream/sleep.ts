/**
 * Internal. Time for waits and deadlines: an abortable sleep, and the clock that upstream calls
 * read, injectable so that tests need no real waiting.
 *
 * An abortable sleep: resolves after `ms`, or rejects with the signal's own reason
 * (e.g. the client-disconnect error) as soon as the signal aborts, leaving no listener behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Time source of deadlines and waits. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };
