/**
 * Shared types of the batched mutation pipeline (internal to src/mutations/).
 *
 * The pipeline turns one public mutation into `validate → resolve ids → chunk → dispatch → verify
 * → report` (DESIGN §7). Each stage is a small function over these plain, JSON-serialisable values
 * so that results can be stored for `Idempotency-Key` replays.
 */

import type {
  AssetInput,
  MutationAppendManyToDatasetArgs,
  MutationChangeAssetExternalIdsArgs,
  MutationDeleteManyFromDatasetArgs,
  MutationUpdatePropertiesInAssetsArgs,
} from '../__generated__/bff.js';
import type { BffWarning } from '../errors/index.js';

export type { MutationSettings } from '../config.js';

/** Arguments of the public mutations, as generated from schema/bff.graphql. */
export type AppendArgs = MutationAppendManyToDatasetArgs;
export type UpdateArgs = MutationUpdatePropertiesInAssetsArgs;
export type ChangeExternalIdsArgs = MutationChangeAssetExternalIdsArgs;
/** deleteManyFromDataset, addToReview and sendBackToQueue take the same arguments. */
export type IdListArgs = MutationDeleteManyFromDatasetArgs;
export type { AssetInput };

/** How the client named one asset. */
export type AssetRef = { kind: 'id'; id: string } | { kind: 'externalId'; externalId: string };

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

/** The parent value of `AssetMutationResult`: the stored outcome plus the mutation it came from. */
export type AssetMutationResultParent = MutationOutcome & { kind: MutationKind };
