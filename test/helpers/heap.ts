/**
 * Heap measurement for the hostile-input suites: `heapAfterGc()` is `process.memoryUsage().heapUsed`
 * after full garbage collections. `--expose-gc` is set from inside the test process
 * (v8.setFlagsFromString), so no vitest option is needed.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes of heap in use after collecting garbage (three rounds, letting finalizers run). */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

export const MiB = 1024 * 1024;
