/**
 * Stage 3, batch (internal, pure): the resolved ids cut into upstream batches of `batchSize`
 * (100, the SDK's MUTATION_BATCH_SIZE), each with the payload its upstream call sends.
 */
import { chunk } from './lists.js';

export interface Batch<P> {
  /** 0-based position of the batch. */
  index: number;
  /** The assets the batch acts on, in input order. */
  ids: string[];
  payload: P;
}

/** Cuts ids into batches of `size`, building each batch's payload. */
export function toBatches<P>(ids: readonly string[], size: number, payload: (ids: string[]) => P): Batch<P>[] {
  return chunk(ids, size).map((part, index) => ({ index, ids: part, payload: payload(part) }));
}
