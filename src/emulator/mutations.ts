/**
 * Emulator internals: resolvers of the mutation root. Each mutation runs in one transaction:
 * any error (unknown or invisible asset, bad JSON, array length mismatch) applies nothing.
 */
import type { AppendManyAssetsData, AssetData, AssetWhere, CreateProjectData, ProjectWhere } from '../__generated__/kili-upstream.js';
import type { EmuContext } from './context.js';
import { projectById } from './context.js';
import { assetsByIds } from './assets.js';
import { requireProject, targets, userIds } from './access.js';
import { badInput, notFound } from './errors.js';
import { insertAsset, projectSteps, requireJson } from './writes.js';
import { nowIso } from './util.js';

type Args<T> = T & Record<string, unknown>;

function appendManyAssets(_: unknown, a: Args<{ data: AppendManyAssetsData; where: ProjectWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const project = requireProject(ctx, a.where.id);
    const d = a.data;
    const n = Math.max(d.contentArray?.length ?? 0, d.jsonContentArray?.length ?? 0, d.externalIDArray?.length ?? 0, d.idArray?.length ?? 0);
    const steps = projectSteps(ctx.store, project.id as string);
    const now = nowIso();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = d.idArray?.[i] || ctx.newId();
      if (ctx.store.get('SELECT 1 AS x FROM assets WHERE id = ?', id)) throw badInput(`An asset with id ${id} already exists`, `idArray[${i}]`);
      const metadata = d.jsonMetadataArray?.[i];
      insertAsset(ctx.store, {
        id, projectId: project.id as string, externalId: d.externalIDArray?.[i] || id,
        content: d.contentArray?.[i] ?? '', jsonContent: d.jsonContentArray?.[i] ?? '',
        jsonMetadata: metadata == null || metadata === '' ? '{}' : requireJson(metadata, `jsonMetadataArray[${i}]`),
        createdAt: now, isHoneypot: d.isHoneypotArray?.[i] ?? false,
        stepId: steps.first, stepStatus: steps.first ? 'TO_DO' : null,
      });
      ids.push(id);
    }
    return assetsByIds(ctx, ids);
  });
}

const SIMPLE_COLUMNS: [keyof AssetData, string][] = [
  ['externalId', 'external_id'], ['priority', 'priority'], ['consensusMark', 'consensus_mark'],
  ['honeypotMark', 'honeypot_mark'], ['content', 'content'], ['jsonContent', 'json_content'],
];

function applyData(ctx: EmuContext, assetId: string, d: AssetData, index: number, now: string): void {
  const sets: string[] = ['updated_at = ?'];
  const params: unknown[] = [now];
  for (const [key, column] of SIMPLE_COLUMNS) {
    if (d[key] != null) { sets.push(`${column} = ?`); params.push(d[key]); }
  }
  if (d.jsonMetadata != null) { sets.push('json_metadata = ?'); params.push(requireJson(d.jsonMetadata, `dataArray[${index}].jsonMetadata`)); }
  if (d.isUsedForConsensus != null) { sets.push('is_used_for_consensus = ?'); params.push(d.isUsedForConsensus ? 1 : 0); }
  if (d.isHoneypot != null) { sets.push('is_honeypot = ?'); params.push(d.isHoneypot ? 1 : 0); }
  if (d.resolution != null) { sets.push('resolution = ?'); params.push(JSON.stringify(d.resolution)); }
  if (d.pageResolutions != null) { sets.push('page_resolutions = ?'); params.push(JSON.stringify(d.pageResolutions)); }
  ctx.store.run(`UPDATE assets SET ${sets.join(', ')} WHERE id = ?`, ...params, assetId);
  if (d.shouldResetToBeLabeledBy) ctx.store.run('DELETE FROM asset_assignees WHERE asset_id = ?', assetId);
  if (d.toBeLabeledBy != null) {
    for (const uid of userIds(ctx, d.toBeLabeledBy)) {
      ctx.store.run('INSERT OR IGNORE INTO asset_assignees (asset_id, user_id) VALUES (?, ?)', assetId, uid);
    }
  }
}

function updatePropertiesInAssets(_: unknown, a: Args<{ where: AssetWhere[]; data: AssetData[] }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    if (a.data.length !== 0 && a.data.length !== a.where.length) {
      throw badInput(`where and data must have the same length (${a.where.length} ≠ ${a.data.length})`, 'data');
    }
    const now = nowIso();
    const ids: string[] = [];
    a.where.forEach((where, i) => {
      const matched = targets(ctx, where);
      if (matched.length === 0) throw notFound(`No asset matches where[${i}]`);
      for (const m of matched) {
        applyData(ctx, m.id, a.data[i] ?? {}, i, now);
        ids.push(m.id);
      }
    });
    return assetsByIds(ctx, ids);
  });
}

function deleteManyFromDataset(_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const matched = targets(ctx, a.where);
    if (matched.length === 0) return null;
    const ids = JSON.stringify(matched.map((m) => m.id));
    const inIds = 'IN (SELECT value FROM json_each(?))';
    ctx.store.run(`DELETE FROM comments WHERE issue_id IN (SELECT id FROM issues WHERE asset_id ${inIds})`, ids);
    for (const table of ['issues', 'labels', 'asset_assignees']) ctx.store.run(`DELETE FROM ${table} WHERE asset_id ${inIds}`, ids);
    ctx.store.run(`DELETE FROM assets WHERE id ${inIds}`, ids);
    return projectById(ctx, matched[0]!.project_id);
  });
}

function addAllLabeledAssetsToReview(_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const matched = targets(ctx, a.where);
    const now = nowIso();
    let first: string | null = null;
    for (const m of matched) {
      const asset = ctx.store.get<{ status: string }>('SELECT status FROM assets WHERE id = ? AND EXISTS (SELECT 1 FROM labels WHERE asset_id = ?)', m.id, m.id);
      if (!asset || asset.status === 'TO_REVIEW') continue;
      const review = projectSteps(ctx.store, m.project_id).review;
      ctx.store.run(`UPDATE assets SET status = 'TO_REVIEW', updated_at = ? WHERE id = ?`, now, m.id);
      if (review) ctx.store.run(`UPDATE assets SET step_id = ?, step_status = 'TO_DO' WHERE id = ?`, review, m.id);
      first ??= m.project_id;
    }
    return first ? projectById(ctx, first) : null;
  });
}

function sendBackAssetsToQueue(_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const matched = targets(ctx, a.where);
    if (matched.length === 0) return null;
    const now = nowIso();
    for (const m of matched) {
      const first = projectSteps(ctx.store, m.project_id).first;
      ctx.store.run(`UPDATE assets SET status = 'ONGOING', updated_at = ? WHERE id = ?`, now, m.id);
      if (first) ctx.store.run(`UPDATE assets SET step_id = ?, step_status = 'REDO' WHERE id = ?`, first, m.id);
      ctx.store.run('UPDATE labels SET is_sent_back_to_queue = 1 WHERE id = (SELECT id FROM labels WHERE asset_id = ? ORDER BY created_at DESC, id DESC LIMIT 1)', m.id);
    }
    return projectById(ctx, matched[0]!.project_id);
  });
}

function createProject(_: unknown, a: Args<{ data: CreateProjectData }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const id = ctx.newId();
    const json = a.data.jsonInterface == null ? '{}' : requireJson(a.data.jsonInterface, 'data.jsonInterface');
    ctx.store.run('INSERT INTO projects (id, title, description, input_type, json_interface, workflow_version, organization_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      id, a.data.title, a.data.description ?? '', a.data.inputType, json, 'V1', ctx.user.organization_id, nowIso());
    ctx.store.run('INSERT INTO project_users (id, project_id, user_id, role) VALUES (?, ?, ?, ?)', ctx.newId(), id, ctx.user.id, 'ADMIN');
    ctx.cache.clear();
    return projectById(ctx, id);
  });
}

export const mutationResolvers = {
  appendManyAssets, updatePropertiesInAssets, deleteManyFromDataset, addAllLabeledAssetsToReview,
  sendBackAssetsToQueue, createProject,
};
