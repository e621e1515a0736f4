/**
 * Reads by id over the port (internal), for the id check and the verification probes: counts and read-backs by `idIn`, with bounded
 * concurrency. One `countAssets` covers `countChunkSize` ids; one `assets` page covers
 * `readChunkSize` ids (the page size equals the chunk, so each chunk is exactly one call).
 */
import type { AssetWhere, MutationUpstream, Selection, UpstreamAsset } from './upstream-port.js';
import type { MutationSettings } from './types.js';
import { chunk, mapLimited } from './lists.js';

/** `where` for a set of ids, scoped to the project when it is known. */
export function idsWhere(ids: readonly string[], projectId: string | null, extra: AssetWhere = {}): AssetWhere {
  return { ...(projectId ? { project: { id: projectId } } : {}), idIn: [...ids], ...extra };
}

/** Reads `ids` (selecting `id` + `selection`), returning those that exist, by id. */
export async function readByIds(
  upstream: MutationUpstream,
  ids: readonly string[],
  selection: Selection,
  projectId: string | null,
  settings: MutationSettings,
  extra: AssetWhere = {},
): Promise<Map<string, UpstreamAsset>> {
  const pages = await mapLimited(chunk(ids, settings.readChunkSize), settings.concurrency, (part) =>
    upstream.readAssets(idsWhere(part, projectId, extra), selection, part.length, 0),
  );
  const found = new Map<string, UpstreamAsset>();
  for (const page of pages) for (const asset of page) found.set(asset.id, asset);
  return found;
}

/**
 * Splits `ids` into those matching `extra` and the rest: one count per chunk (`concurrency` at
 * once), and a read-back of `id` only for chunks whose count falls short. `matched` +
 * `unmatched` = `ids`.
 */
export async function partitionByCount(
  upstream: MutationUpstream,
  ids: readonly string[],
  projectId: string | null,
  settings: MutationSettings,
  extra: AssetWhere = {},
  concurrency = settings.concurrency,
): Promise<{ matched: string[]; unmatched: string[] }> {
  const parts = await mapLimited(chunk(ids, settings.countChunkSize), concurrency, async (part) => {
    const count = await upstream.countAssets(idsWhere(part, projectId, extra));
    if (count === part.length) return { matched: part, unmatched: [] as string[] };
    if (count === 0) return { matched: [] as string[], unmatched: part };
    const found = await readByIds(upstream, part, {}, projectId, settings, extra);
    return { matched: part.filter((id) => found.has(id)), unmatched: part.filter((id) => !found.has(id)) };
  });
  return { matched: parts.flatMap((p) => p.matched), unmatched: parts.flatMap((p) => p.unmatched) };
}
