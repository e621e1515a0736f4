/**
 * Shared types of the batched mutation pipeline (internal to src/mutations/).
 *
 * The pipeline turns one public mutation into `validate → resolve ids → chunk → dispatch → verify
 * → report` (DESIGN §7). Each stage is a small function over these plain, JSON-serialisable values
 * so that results can be stored for `Idempotency-Key` replays.
 */
import type { BffWarning } from '../errors/index.js';

/** The six public mutations (DESIGN §3), used as a tag everywhere. */
export type MutationKind =
  | 'appendManyToDataset'
  | 'updatePropertiesInAssets'
  | 'changeAssetExternalIds'
  | 'deleteManyFromDataset'
  | 'addToReview'
  | 'sendBackToQueue';

/** The status-moving and deleting mutations share one input shape. */
export type IdListKind = 'deleteManyFromDataset' | 'addToReview' | 'sendBackToQueue';

/**
 * The stored, JSON-serialisable part of `AssetMutationResult`; `assets` is resolved from
 * `assetIds` through the by-id loader only when selected.
 */
export interface MutationOutcome {
  projectId: string | null;
  /** Assets the operation actually affected, in input order. */
  assetIds: string[];
  /** Upstream mutation batches sent (resends of an unknown-outcome batch not counted). */
  batches: number;
  verified: boolean;
  warnings: BffWarning[];
}

/** One asset to act on: its upstream id and its position in the client's input. */
export interface Target {
  id: string;
  /** 0-based index in the input list (for error fields). */
  index: number;
}

/** Tuning of the pipeline, resolved once from config (see settings.ts). */
export interface MutationSettings {
  /** Upstream mutation batch size. @default 100 (the SDK's MUTATION_BATCH_SIZE) */
  batchSize: number;
  /** Batches in flight at once per mutation. @default 12 (MUTATION_CONCURRENCY) */
  concurrency: number;
  /** Overall verification deadline, in ms. @default 30000 (VERIFY_DEADLINE_MS) */
  verifyDeadlineMs: number;
  /** First verification backoff, in ms; doubles up to `verifyBackoffMaxMs`. @default 1000 */
  verifyBackoffMinMs: number;
  /** @default 8000 */
  verifyBackoffMaxMs: number;
  /** Ids per `countAssets(idIn)` check. @default 1000 */
  countChunkSize: number;
  /** Ids per `assets(idIn, first)` read-back, i.e. the upstream page size. @default 500 */
  readChunkSize: number;
  /** External ids per `filterExistingAssets` call. @default 1000 (the SDK's) */
  filterExistingChunkSize: number;
  /** Paths per `createUploadBucketSignedUrls` call. @default 30 (the SDK's) */
  signedUrlChunkSize: number;
  /** Attempts for one upload PUT. @default 3 (the SDK's) */
  uploadAttempts: number;
  /** Wait between upload attempts, in ms. @default 1000 */
  uploadRetryDelayMs: number;
  /** Resends of an append batch whose outcome is unknown. @default 2 */
  appendResends: number;
  /** `Idempotency-Key` retention, in ms. @default 86400000 (24 h) */
  idempotencyTtlMs: number;
}
