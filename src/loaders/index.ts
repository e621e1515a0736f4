/**
 * Per-request DataLoaders (DESIGN §6), created by the context factory and never shared between
 * requests or credentials. The fields fetched for assets are the union of what the batched
 * callers asked for (`wantAssetFields`), so one upstream call serves aliases with different
 * selections.
 */
import DataLoader from 'dataloader';
import type { Credential, UpstreamClient } from '../upstream/client.js';
import { fetchAssetPage, type UpstreamAsset, type UpstreamScope } from '../upstream/assets.js';
import { coversSelection, FULL_ASSET_SELECTION, mergeSelections, type Selection } from '../upstream/selection.js';

export interface ExternalIdKey {
  projectId: string;
  externalId: string;
}

export interface Loaders {
  /** Asset by id (null when not found or not visible); at most `batchSize` ids per upstream call. */
  assetById: DataLoader<string, UpstreamAsset | null>;
  /** EVERY asset id carrying that external id in the project ([] when none); one project per upstream call. */
  assetIdByExternalId: DataLoader<ExternalIdKey, string[], string>;
  /**
   * Adds fields that `assetById` must fetch from now on. Ids already fetched (or in flight) with a
   * selection that does not cover them are forgotten so that later loads fetch them again; ids still
   * queued in the pending batch are fetched with the union. With no call at all, every field is fetched.
   */
  wantAssetFields(selection: Selection): void;
  /** `wantAssetFields(selection)` then `assetById.load(id)`. */
  loadAsset(id: string, selection?: Selection): Promise<UpstreamAsset | null>;
}

export interface LoaderScope {
  upstream: UpstreamClient;
  /** The caller's credential; throws UNAUTHENTICATED when there is none (the context's check). */
  credential: () => Credential;
  signal?: AbortSignal;
}

/** Upstream `PageSize` maximum. */
const MAX_UPSTREAM_PAGE = 500;

/**
 * Rows asked for per external-id lookup: twice the key count (room for shared external ids),
 * capped at the upstream's largest page. A page that comes back short is the last one.
 */
export function externalIdPageSize(keyCount: number): number {
  return Math.min(MAX_UPSTREAM_PAGE, Math.max(1, 2 * keyCount));
}

export function createLoaders(scope: LoaderScope, batchSize = 100): Loaders {
  let wanted: Selection | null = null;
  /**
   * The selection each id was (or is being) fetched with. Ids still queued in the pending batch are
   * absent: the batch reads `wanted` when it is dispatched, so it already serves every caller.
   */
  const fetchedWith = new Map<string, Selection>();
  const upstreamScope = (): UpstreamScope => ({ upstream: scope.upstream, credential: scope.credential(), signal: scope.signal });

  const assetById = new DataLoader<string, UpstreamAsset | null>(
    async (ids) => {
      const selection = wanted ?? FULL_ASSET_SELECTION;
      for (const id of ids) fetchedWith.set(id, selection);
      const rows = await fetchAssetPage(upstreamScope(), { idIn: [...ids] }, selection, ids.length, 0);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatchSize: batchSize },
  );

  const assetIdByExternalId = new DataLoader<ExternalIdKey, string[], string>(
    async (keys) => {
      const byProject = new Map<string, Set<string>>();
      for (const key of keys) byProject.set(key.projectId, (byProject.get(key.projectId) ?? new Set()).add(key.externalId));
      const found = new Map<string, string[]>();
      await Promise.all(
        [...byProject].map(async ([projectId, externalIds]) => {
          const where = { project: { id: projectId }, externalIdStrictlyIn: [...externalIds], label: {}, issue: {} };
          // Several assets may share an external id, so ask for more rows than keys (one call in
          // practice) and page again only when a page comes back full.
          const first = externalIdPageSize(externalIds.size);
          for (let skip = 0; ; skip += first) {
            const rows = await fetchAssetPage(upstreamScope(), where, { id: true, externalId: true }, first, skip);
            for (const row of rows) {
              const key = `${projectId}\u0000${String(row.externalId)}`;
              found.set(key, [...(found.get(key) ?? []), row.id]);
            }
            if (rows.length < first) break;
          }
        }),
      );
      return keys.map((key) => found.get(`${key.projectId}\u0000${key.externalId}`) ?? []);
    },
    { maxBatchSize: batchSize, cacheKeyFn: (key) => `${key.projectId}\u0000${key.externalId}` },
  );

  const wantAssetFields = (selection: Selection) => {
    if (wanted && coversSelection(wanted, selection)) return;
    wanted = wanted ? mergeSelections(wanted, selection) : mergeSelections({ id: true }, selection);
    // Forget only ids already dispatched with a narrower selection; pending keys need nothing.
    for (const [id, fetched] of fetchedWith) {
      if (coversSelection(fetched, wanted)) continue;
      fetchedWith.delete(id);
      assetById.clear(id);
    }
  };

  return {
    assetById,
    assetIdByExternalId,
    wantAssetFields,
    loadAsset: (id, selection) => {
      if (selection) wantAssetFields(selection);
      return assetById.load(id);
    },
  };
}
