/**
 * Stage 2, resolve ids (internal): turns the client's asset references into upstream ids before
 * anything is changed. External ids go through the batched by-external-id loader (≤100 per
 * upstream call); plain ids are checked to exist with one `countAssets` per 1000 ids, up to twice
 * MUTATION_CONCURRENCY at once (a count covers ten batches and nothing is sent until every
 * count is back, so this gate stays short: 10,000 ids → one round of 10 counts). Missing
 * assets → `ASSET_NOT_FOUND` (listing them); an external id carried by several assets →
 * `BAD_USER_INPUT` naming it (the SDK silently picks one, reference §6.3).
 */
import type { MutationUpstream } from './upstream-port.js';
import type { AssetRef } from './types.js';
import type { MutationSettings } from './types.js';
import { BffError, BffErrorCode, badUserInput } from '../errors/index.js';
import { listForMessage, unique } from './lists.js';
import { partitionByCount, readByIds } from './read-by-ids.js';

/** Resolves `refs` to ids, aligned with `refs`. Rejects when any is missing or ambiguous. */
export async function resolveRefs(
  upstream: MutationUpstream,
  projectId: string | null,
  refs: readonly AssetRef[],
  settings: MutationSettings,
): Promise<string[]> {
  const ids = unique(refs.flatMap((r) => (r.kind === 'id' ? [r.id] : [])));
  const externalIds = unique(refs.flatMap((r) => (r.kind === 'externalId' ? [r.externalId] : [])));
  const [idCheck, byExternal] = await Promise.all([
    ids.length > 0 ? partitionByCount(upstream, ids, projectId, settings, {}, settings.concurrency * 2) : { matched: [], unmatched: [] },
    externalIds.length > 0 ? upstream.resolveExternalIds(projectId as string, externalIds) : [],
  ]);
  const resolved = new Map<string, string>();
  const missingExternalIds: string[] = [];
  const ambiguous: string[] = [];
  externalIds.forEach((externalId, i) => {
    const found = unique(byExternal[i] ?? []);
    if (found.length === 0) missingExternalIds.push(externalId);
    else if (found.length > 1) ambiguous.push(externalId);
    else resolved.set(externalId, found[0] as string);
  });
  const missingIds = idCheck.unmatched;
  if (missingIds.length > 0 || missingExternalIds.length > 0) {
    const named = [...missingIds, ...missingExternalIds];
    throw new BffError(
      BffErrorCode.ASSET_NOT_FOUND,
      `${named.length} asset(s) not found${projectId ? ` in project ${projectId}` : ''}: ${listForMessage(named)}. Nothing was changed.`,
      { missingIds, missingExternalIds },
    );
  }
  if (ambiguous.length > 0) {
    throw badUserInput('externalIds', `These external ids are carried by several assets: ${listForMessage(ambiguous)}. Use asset ids.`, {
      ambiguousExternalIds: ambiguous,
    });
  }
  return refs.map((r) => (r.kind === 'id' ? r.id : (resolved.get(r.externalId) as string)));
}

/** Rejects when two items resolve to the same asset (their updates would race). */
export function assertDistinct(ids: readonly string[], field = 'assets'): void {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  if (dup.size > 0) {
    throw badUserInput(field, `Several input items name the same asset: ${listForMessage([...dup])}.`, { duplicateIds: [...dup] });
  }
}

/**
 * changeAssetExternalIds: rejects, before anything changes, new external ids already carried by
 * another asset of the asset's project (external ids are unique within a project). `ids[i]` gets
 * `newExternalIds[i]`. The project is `projectId`, or read from the assets when it is not given.
 * An id held by an asset of this same call is a conflict too (swaps are not supported).
 */
export async function assertNewExternalIdsFree(
  upstream: MutationUpstream,
  projectId: string | null,
  ids: readonly string[],
  newExternalIds: readonly string[],
  settings: MutationSettings,
): Promise<void> {
  const read = projectId === null ? await readByIds(upstream, ids, { projectId: true }, null, settings) : null;
  const byProject = new Map<string, Array<{ id: string; externalId: string }>>();
  ids.forEach((id, i) => {
    const project = projectId ?? read?.get(id)?.projectId;
    if (!project) return;
    const group = byProject.get(project) ?? [];
    group.push({ id, externalId: newExternalIds[i] as string });
    byProject.set(project, group);
  });
  const conflicts = (
    await Promise.all(
      [...byProject].map(async ([project, group]) => {
        const holders = await upstream.resolveExternalIds(project, group.map((g) => g.externalId));
        return group.filter((g, i) => (holders[i] ?? []).some((holder) => holder !== g.id)).map((g) => g.externalId);
      }),
    )
  ).flat();
  if (conflicts.length > 0) {
    throw badUserInput(
      'assets.newExternalId',
      `These new external ids are already carried by another asset of the project: ${listForMessage(conflicts)}. Nothing was changed. ` +
        '(Swapping external ids between assets in one call is not supported: rename through temporary ids in two calls.)',
      { conflictingExternalIds: conflicts },
    );
  }
}
