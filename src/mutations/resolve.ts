/**
 * Stage 2, resolve ids (internal): turns the client's asset references into upstream ids before
 * anything is changed. External ids go through the batched by-external-id loader (≤100 per
 * upstream call); plain ids are checked to exist with one `countAssets` per 1000 ids, up to twice
 * MUTATION_CONCURRENCY at once (a count covers ten batches and nothing is sent until every
 * count is back, so this gate stays short: 10,000 ids → one round of 10 counts). Missing
 * assets → `ASSET_NOT_FOUND` (listing them); an external id carried by several assets →
 * `BAD_USER_INPUT` naming it (the SDK silently picks one, reference §6.3).
 */
import type { MutationUpstream } from './ports.js';
import type { AssetRef } from './inputs.js';
import type { MutationSettings } from './types.js';
import { BffError, BffErrorCode, badUserInput } from '../errors/index.js';
import { listForMessage, unique } from './chunk.js';
import { partitionByCount } from './read.js';

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
