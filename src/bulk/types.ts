/**
 * Bulk operations (internal to src/bulk/), DESIGN §12: a mutation running as a job. The record is
 * small and JSON-serialisable; the asset id lists live next to it (per batch while running, whole
 * once final) so progress updates stay cheap at 100,000 assets.
 */
import type { BffWarning } from '../errors/index.js';
import type { MutationKind, MutationOutcome } from '../mutations/types.js';

export type BulkStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'PARTIAL_FAILURE' | 'FAILED' | 'CANCELING' | 'CANCELED';

/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES: ReadonlySet<BulkStatus> = new Set(['COMPLETED', 'PARTIAL_FAILURE', 'FAILED', 'CANCELED']);

export const isFinal = (status: BulkStatus): boolean => FINAL_STATUSES.has(status);

export interface BulkRecord {
  id: string;
  kind: MutationKind;
  projectId: string | null;
  /** Keyed hash of the credential that started it: the owner. Never the credential. */
  owner: string;
  /** QUEUED / RUNNING / a final status; CANCELING is derived from `cancelRequested`. */
  status: BulkStatus;
  cancelRequested: boolean;
  total: number;
  processed: number;
  appliedCount: number;
  failedCount: number;
  unknownOutcomeCount: number;
  /** Upstream batches sent. */
  batches: number;
  verified: boolean;
  /** ISO-8601. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  warnings: BffWarning[];
  error: { code: string; message: string } | null;
  /** Final outcome (assetIds are the applied ones), set with a final status. */
  outcome: MutationOutcome | null;
}

/** The id lists of an operation. */
export interface BulkLists {
  applied: string[];
  failed: string[];
  unknown: string[];
}

/** Where a run stands, as stored after each batch (resume after a worker died). */
export interface Checkpoint {
  /** Batch index → ids known applied. */
  done: Map<number, string[]>;
  /** Batches started and never settled. */
  inFlight: Set<number>;
  /** Batches sent (started) so far. */
  sent: number;
}

/** The status a client sees. */
export function visibleStatus(record: BulkRecord): BulkStatus {
  return record.cancelRequested && !isFinal(record.status) ? 'CANCELING' : record.status;
}
