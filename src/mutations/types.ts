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

export type { AssetMutationResultParent, IdListKind, MutationKind, MutationOutcome } from './outcome.js';
