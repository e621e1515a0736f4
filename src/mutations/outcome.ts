/**
 * What a mutation produces (internal): the stored, JSON-serialisable outcome, and the parent value
 * of `AssetMutationResult` (the codegen mapper of that type). Imports no generated code, so the
 * generated resolver types can name it.
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
  /** The project of the affected assets when they all belong to one (null when several or none). */
  projectId: string | null;
  /**
   * Every project of the affected assets, in order of first appearance (absent from outcomes stored
   * by earlier versions for `Idempotency-Key` replays).
   */
  projectIds?: string[];
  /** Assets the operation actually affected, in input order. */
  assetIds: string[];
  /** Upstream mutation batches sent (resends of an unknown-outcome batch not counted). */
  batches: number;
  verified: boolean;
  warnings: BffWarning[];
}

/** The parent value of `AssetMutationResult`: the stored outcome plus the mutation it came from. */
export type AssetMutationResultParent = MutationOutcome & {
  kind: MutationKind;
  /** The bulk operation this mutation continues as (`async: true`, or handed off past SYNC_BUDGET_MS). */
  operationId?: string;
};
