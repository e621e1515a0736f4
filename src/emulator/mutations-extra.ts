/**
 * Emulator internals: the asset-module mutations outside the BFF's set (async import, consensus,
 * assignment, skip/unskip), so that every SDK asset method finds its operation.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { AppendManyFramesToDatasetAsynchronouslyData, AssetWhere, ProjectWhere } from '../__generated__/kili-upstream.js';
import type { EmuContext } from './context.js';
import { lazyAssets } from './assets.js';
import { requireProject, targets, userIds } from './access.js';
import { badInput, notFound } from './errors.js';
import { insertAsset, parallelLength, projectSteps, requireJson } from './writes.js';
import { nowIso } from './util.js';

type Args<T> = T & Record<string, unknown>;

/** Creates the assets at once and returns a SUCCESS notification (the SDK polls it). */
function appendManyFramesToDatasetAsynchronously(_: unknown, a: Args<{ data: AppendManyFramesToDatasetAsynchronouslyData; where: ProjectWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const project = requireProject(ctx, a.where.id);
    const d = a.data;
    const n = parallelLength(d, ['contentArray', 'multiLayerContentArray', 'jsonContentArray', 'externalIDArray', 'idArray', 'jsonMetadataArray']);
    const steps = projectSteps(ctx.store, project.id as string);
    const now = nowIso();
    for (let i = 0; i < n; i++) {
      const id = d.idArray?.[i] || ctx.newId();
      if (ctx.store.get('SELECT 1 AS x FROM assets WHERE id = ?', id)) throw badInput(`An asset with id ${id} already exists`, `idArray[${i}]`);
      const layers = d.multiLayerContentArray?.[i];
      const metadata = d.jsonMetadataArray?.[i];
      insertAsset(ctx.store, {
        id, projectId: project.id as string, externalId: d.externalIDArray?.[i] || id,
        content: d.contentArray?.[i] ?? '',
        jsonContent: d.jsonContentArray?.[i] ?? (layers != null ? JSON.stringify(layers) : ''),
        jsonMetadata: metadata == null || metadata === '' ? '{}' : requireJson(metadata, `jsonMetadataArray[${i}]`),
        createdAt: now, stepId: steps.first, stepStatus: steps.first ? 'TO_DO' : null,
      });
    }
    const id = ctx.newId();
    ctx.store.run('INSERT INTO notifications (id, user_id, status, message, created_at) VALUES (?, ?, ?, ?, ?)',
      id, ctx.user.id, 'SUCCESS', `${n} assets imported`, now);
    return ctx.store.get('SELECT * FROM notifications WHERE id = ?', id);
  });
}

function setAssetConsensus(_: unknown, a: Args<{ assetId?: string | null; externalId?: string | null; projectId: string; isConsensus: boolean }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    requireProject(ctx, a.projectId);
    const where: AssetWhere = { project: { id: a.projectId }, ...(a.assetId ? { id: a.assetId } : { externalIdStrictlyIn: [a.externalId ?? ''] }) };
    const matched = targets(ctx, where);
    if (matched.length === 0) throw notFound('Asset not found');
    for (const m of matched) ctx.store.run('UPDATE assets SET is_used_for_consensus = ?, updated_at = ? WHERE id = ?', a.isConsensus ? 1 : 0, nowIso(), m.id);
    return a.isConsensus;
  });
}

function assignAssetsToLabelers(_: unknown, a: Args<{ where: AssetWhere; userIds: string[] }>, ctx: EmuContext, info: GraphQLResolveInfo) {
  return ctx.store.tx(() => {
    const matched = targets(ctx, a.where);
    const users = userIds(ctx, a.userIds);
    for (const m of matched) {
      for (const u of users) ctx.store.run('INSERT OR IGNORE INTO asset_assignees (asset_id, user_id) VALUES (?, ?)', m.id, u);
    }
    return lazyAssets(matched, info);
  });
}

function skipAsset(_: unknown, a: Args<{ reason: string; where: AssetWhere }>, ctx: EmuContext, info: GraphQLResolveInfo) {
  return ctx.store.tx(() => {
    const matched = targets(ctx, a.where);
    if (matched.length === 0) throw notFound('Asset not found');
    for (const m of matched) ctx.store.run(`UPDATE assets SET skipped = 1, step_status = CASE WHEN step_id IS NULL THEN NULL ELSE 'SKIPPED' END, updated_at = ? WHERE id = ?`, nowIso(), m.id);
    return lazyAssets([matched[0]!], info)[0] ?? null;
  });
}

function unskipAsset(_: unknown, a: Args<{ projectId: string; assetId: string }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const matched = targets(ctx, { id: a.assetId, project: { id: a.projectId } });
    if (matched.length === 0) throw notFound('Asset not found');
    ctx.store.run(`UPDATE assets SET skipped = 0, step_status = CASE WHEN step_id IS NULL THEN NULL ELSE 'TO_DO' END, updated_at = ? WHERE id = ?`, nowIso(), a.assetId);
    return true;
  });
}

export const extraMutationResolvers = {
  appendManyFramesToDatasetAsynchronously, setAssetConsensus, assignAssetsToLabelers, skipAsset, unskipAsset,
};
