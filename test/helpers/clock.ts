/**
 * A clock for tests (the `Clock` that upstream calls and the mutation pipeline read): it records
 * every wait asked of it. Virtual by default: a wait returns at once and moves `now` on, as does
 * `advance`. `real`: waits really happen (for the rate limiter, whose budget rate-limiter-flexible
 * keeps in real time), and are still recorded.
 */
import { sleep, type Clock } from '../../src/upstream/sleep.js';

export interface RecordingClock extends Clock {
  /** Every `sleep(ms)` asked, in order. */
  readonly sleeps: number[];
  /** Moves virtual time on by `ms`. */
  advance(ms: number): void;
}

export function recordingClock(mode: 'virtual' | 'real' = 'virtual'): RecordingClock {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => (mode === 'real' ? Date.now() : now),
    advance: (ms) => void (now += ms),
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (mode === 'real') await sleep(ms, signal);
      else now += ms;
    },
  };
}
