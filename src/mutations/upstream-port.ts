/**
 * The narrow upstream port of the mutation pipeline (internal).
 *
 * Every stage talks to Kili only through this interface, so stages are tested with in-memory
 * fakes; `createMutationUpstream(ctx)` (upstream-adapter.ts) implements it with the BFF's upstream
 * client, the read model of src/upstream/ and the loaders. Methods reject with `BffError` (codes
 * of src/errors); a mutation whose outcome is unknown rejects with a `BffError` whose
 * `outcomeUnknown` is true.
 */
import type { AppendManyAssetsData, AssetData, AssetWhere, InputType } from '../__generated__/kili-upstream.js';
import type { UpstreamAsset } from '../upstream/assets.js';
import type { Selection } from '../upstream/selection.js';

export type { AppendManyAssetsData, AssetData, AssetWhere, InputType, Selection, UpstreamAsset };

export interface MutationUpstream {
  /** `updatePropertiesInAssets`, one batch (≤100, positions matched). Idempotent. Resolves the ids. */
  updatePropertiesInAssets(ids: readonly string[], data: readonly AssetData[]): Promise<string[]>;
  /** `deleteManyFromDataset(where: {idIn})`. Idempotent. Resolves the project id (or null). */
  deleteManyFromDataset(ids: readonly string[]): Promise<string | null>;
  /** `addAllLabeledAssetsToReview(where: {idIn})`. Idempotent. Null when nothing changed status. */
  addAllLabeledAssetsToReview(ids: readonly string[]): Promise<string | null>;
  /** `sendBackAssetsToQueue(where: {idIn})`. Idempotent. */
  sendBackAssetsToQueue(ids: readonly string[]): Promise<string | null>;
  /** `appendManyAssets`, one batch. NOT idempotent (a resend would duplicate). Resolves created ids. */
  appendManyAssets(projectId: string, data: AppendManyAssetsData): Promise<string[]>;
  /** `filterExistingAssets`: the given external ids (≤1000) that already exist in the project. */
  filterExistingAssets(projectId: string, externalIds: readonly string[]): Promise<string[]>;
  /** `createUploadBucketSignedUrls` (≤30 paths): signed URLs in input order. */
  createUploadBucketSignedUrls(paths: readonly string[]): Promise<string[]>;
  /** PUTs `body` to a signed URL as the SDK does (URL cut at `&id=`). Resolves once stored. */
  upload(signedUrl: string, body: string, contentType: string): Promise<void>;
  /** `countAssets(where)`. */
  countAssets(where: AssetWhere): Promise<number>;
  /** One page of `assets(where, first, skip)` selecting `id` plus `selection`; JSON fields parsed. */
  readAssets(where: AssetWhere, selection: Selection, first: number, skip: number): Promise<UpstreamAsset[]>;
  /** For each external id, every asset id carrying it in the project ([] when none). Batched. */
  resolveExternalIds(projectId: string, externalIds: readonly string[]): Promise<string[][]>;
  /** The project's `inputType`, or null when the project is not visible to the caller. */
  projectInputType(projectId: string): Promise<InputType | null>;
}
