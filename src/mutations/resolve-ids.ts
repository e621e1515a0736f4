/**
 * Stage 2, resolve ids (internal): turns the client's asset references into upstream ids before
 * anything is changed. External ids go through the batched by-external-id loader (≤100 per
 * upstream call); plain ids are checked to exist with one `countAssets` per 1000 ids, up to twice
 * MUTATION_CONCURRENCY at once (a count covers ten batches and nothing is sent until every
 * count is back, so this gate stays short: 10,000 ids → one round of 10 counts). Without a
 * `projectId`, plain ids are read instead (their project, one read per 500 ids): the assets may
 * span several projects, and each must be reported and have its cached reads invalidated. Missing
 * assets → `ASSET_NOT_FOUND` (listing them); an external id carried by several assets →
 * `BAD_USER_INPUT` naming it (the SDK silently picks one, reference §6.3).
 */
import type { MutationUpstream } from './upstream-port.js';
import type { AssetRef } from './types.js';
import type { MutationSettings } from './types.js';
import { BffError, BffErrorCode, badUserInput } from '../errors/index.js';
import { listForMessage, unique } from './lists.js';
import { partitionByCount, readByIds } from './read-by-ids.js';

export interface ResolvedRefs {
  /** Aligned with the refs. */
  ids: string[];
  /**
   * The project of each id, read when the client gave no `projectId` (the assets may span several
   * projects); null when the call is scoped to one project.
   */
  projectOf: Map<string, string> | null;
}

/** Resolves `refs` to ids, aligned with `refs`. Rejects when any is missing or ambiguous. */
export async function resolveRefs(
  upstream: MutationUpstream,
  projectId: string | null,
  refs: readonly AssetRef[],
  settings: MutationSettings,
): Promise<ResolvedRefs> {
  const ids = unique(refs.flatMap((r) => (r.kind === 'id' ? [r.id] : [])));
  const externalIds = unique(refs.flatMap((r) => (r.kind === 'externalId' ? [r.externalId] : [])));
  const [idCheck, byExternal] = await Promise.all([
    checkIds(upstream, ids, projectId, settings),
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
  return { ids: refs.map((r) => (r.kind === 'id' ? r.id : (resolved.get(r.externalId) as string))), projectOf: idCheck.projectOf };
}

/**
 * Which ids exist: with a `projectId`, one count per 1000 ids (reads only where a count falls
 * short); without, a read of each id's project (one per 500 ids), which also tells the projects
 * the mutation touches.
 */
async function checkIds(
  upstream: MutationUpstream,
  ids: readonly string[],
  projectId: string | null,
  settings: MutationSettings,
): Promise<{ unmatched: string[]; projectOf: Map<string, string> | null }> {
  if (ids.length === 0) return { unmatched: [], projectOf: projectId === null ? new Map() : null };
  if (projectId !== null) {
    const { unmatched } = await partitionByCount(upstream, ids, projectId, settings, {}, settings.concurrency * 2);
    return { unmatched, projectOf: null };
  }
  const projectOf = await readProjects(upstream, ids, settings);
  return { unmatched: ids.filter((id) => !projectOf.has(id)), projectOf };
}

/** The project of each id that exists (one read per 500 ids). */
async function readProjects(upstream: MutationUpstream, ids: readonly string[], settings: MutationSettings): Promise<Map<string, string>> {
  const read = await readByIds(upstream, ids, { projectId: true }, null, settings);
  const projectOf = new Map<string, string>();
  for (const [id, asset] of read) projectOf.set(id, String(asset.projectId));
  return projectOf;
}

/** The distinct projects of `ids` (in order of first appearance); `[projectId]` when scoped. */
export function projectsOf(ids: readonly string[], projectId: string | null, projectOf: ReadonlyMap<string, string> | null): string[] {
  if (ids.length === 0) return [];
  if (projectOf === null) return projectId === null ? [] : [projectId];
  return unique(ids.flatMap((id) => {
    const project = projectOf.get(id);
    return project === undefined ? [] : [project];
  }));
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
 * `newExternalIds[i]`. The project is `projectId`, or `projectOf` (read from the assets when not
 * given).
 * An id held by an asset of this same call is a conflict too (swaps are not supported).
 */
export async function assertNewExternalIdsFree(
  upstream: MutationUpstream,
  projectId: string | null,
  ids: readonly string[],
  newExternalIds: readonly string[],
  settings: MutationSettings,
  projectOf: ReadonlyMap<string, string> | null = null,
): Promise<void> {
  const known = projectOf ?? (projectId === null ? await readProjects(upstream, ids, settings) : null);
  const byProject = new Map<string, Array<{ id: string; externalId: string }>>();
  ids.forEach((id, i) => {
    const project = projectId ?? known?.get(id);
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
