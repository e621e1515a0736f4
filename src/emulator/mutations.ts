/**
 * Emulator internals: resolvers of the mutation root. Each mutation runs in one transaction:
 * any error (unknown or invisible asset, bad JSON, array length mismatch, assignee outside the
 * caller's organization) applies nothing.
 * Targets are looked up with one query per call (not per item), writes go through cached
 * prepared statements (set-based where they can), and the assets returned are lazy: an answer
 * selecting only `id` reads nothing back.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { AppendManyAssetsData, AssetData, AssetWhere, CreateProjectData, ProjectWhere } from '../__generated__/kili-upstream.js';
import type { EmuContext } from './context.js';
import { projectById } from './context.js';
import { lazyAssets, matchIds } from './assets.js';
import { requireAssets, requireProject, userIds, type Target } from './access.js';
import { badInput, notFound } from './errors.js';
import { insertAsset, parallelLength, projectSteps, requireJson } from './writes.js';
import { explicitIds, idOnly } from './where.js';
import { nowIso } from './util.js';

type Args<T> = T & Record<string, unknown>;
const IN_IDS = 'IN (SELECT value FROM json_each(?))';

function appendManyAssets(_: unknown, a: Args<{ data: AppendManyAssetsData; where: ProjectWhere }>, ctx: EmuContext, info: GraphQLResolveInfo) {
  return ctx.store.tx(() => {
    const project = requireProject(ctx, a.where.id);
    const projectId = project.id as string;
    const d = a.data;
    const n = parallelLength(d, ['contentArray', 'jsonContentArray', 'externalIDArray', 'idArray', 'isHoneypotArray', 'jsonMetadataArray']);
    const steps = projectSteps(ctx.store, projectId);
    const now = nowIso();
    const ids = Array.from({ length: n }, (_, i) => d.idArray?.[i] || ctx.newId());
    const taken = new Set(ctx.store.all<{ id: string }>(`SELECT id FROM assets WHERE id ${IN_IDS}`, JSON.stringify(ids)).map((r) => r.id));
    ids.forEach((id, i) => {
      if (taken.has(id)) throw badInput(`An asset with id ${id} already exists`, `idArray[${i}]`);
      taken.add(id);
      const metadata = d.jsonMetadataArray?.[i];
      insertAsset(ctx.store, {
        id, projectId, externalId: d.externalIDArray?.[i] || id,
        content: d.contentArray?.[i] ?? '', jsonContent: d.jsonContentArray?.[i] ?? '',
        jsonMetadata: metadata == null || metadata === '' ? '{}' : requireJson(metadata, `jsonMetadataArray[${i}]`),
        createdAt: now, isHoneypot: d.isHoneypotArray?.[i] ?? false,
        stepId: steps.first, stepStatus: steps.first ? 'TO_DO' : null,
      });
    });
    return lazyAssets(ids.map((id) => ({ id, project_id: projectId })), info);
  });
}

const SIMPLE_COLUMNS: [keyof AssetData, string][] = [
  ['externalId', 'external_id'], ['priority', 'priority'], ['consensusMark', 'consensus_mark'],
  ['honeypotMark', 'honeypot_mark'], ['content', 'content'], ['jsonContent', 'json_content'],
];

/** Writes one `AssetData` (null fields unchanged); `users` memoises assignee look-ups. */
function applyData(ctx: EmuContext, assetId: string, d: AssetData, index: number, now: string, users: Map<string, string[]>): void {
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
  params.push(assetId);
  ctx.store.run(`UPDATE assets SET ${sets.join(', ')} WHERE id = ?`, ...params);
  if (d.shouldResetToBeLabeledBy) ctx.store.run('DELETE FROM asset_assignees WHERE asset_id = ?', assetId);
  if (d.toBeLabeledBy != null) {
    const key = JSON.stringify(d.toBeLabeledBy);
    let ids = users.get(key);
    if (!ids) users.set(key, (ids = userIds(ctx, d.toBeLabeledBy)));
    for (const uid of ids) ctx.store.run('INSERT OR IGNORE INTO asset_assignees (asset_id, user_id) VALUES (?, ?)', assetId, uid);
  }
}

/**
 * Positional: where[i] gets data[i]. Every id named by a where item must be a visible asset
 * (NOT_FOUND listing `missingIds` otherwise: a positional update cannot skip an item silently);
 * the ids of all items are checked with one query, and `{id}` items need no other.
 */
function updatePropertiesInAssets(_: unknown, a: Args<{ where: AssetWhere[]; data: AssetData[] }>, ctx: EmuContext, info: GraphQLResolveInfo) {
  return ctx.store.tx(() => {
    if (a.data.length !== 0 && a.data.length !== a.where.length) {
      throw badInput(`where and data must have the same length (${a.where.length} ≠ ${a.data.length})`, 'data');
    }
    const found = requireAssets(ctx, a.where.flatMap(explicitIds));
    const now = nowIso();
    const users = new Map<string, string[]>();
    const updated: Target[] = [];
    a.where.forEach((where, i) => {
      const simple = idOnly(where);
      const target = simple ? found.get(simple.id) : undefined;
      const matched = !simple ? matchIds(ctx, where) : target && (simple.projectId == null || simple.projectId === target.project_id) ? [target] : [];
      if (matched.length === 0) throw notFound(`No asset matches where[${i}]`);
      for (const m of matched) {
        applyData(ctx, m.id, a.data[i] ?? {}, i, now, users);
        updated.push(m);
      }
    });
    return lazyAssets(updated, info);
  });
}

/*
 * The three filter mutations below take an `AssetWhere` filter: ids that do not exist (already
 * deleted, or in a project the caller cannot see) simply do not match. Resending a call whose
 * first outcome was unknown is therefore harmless.
 */

function deleteManyFromDataset(_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const matched = matchIds(ctx, a.where);
    if (matched.length === 0) return null;
    const ids = JSON.stringify(matched.map((m) => m.id));
    ctx.store.run(`DELETE FROM comments WHERE issue_id IN (SELECT id FROM issues WHERE asset_id ${IN_IDS})`, ids);
    for (const table of ['issues', 'labels', 'asset_assignees']) ctx.store.run(`DELETE FROM ${table} WHERE asset_id ${IN_IDS}`, ids);
    ctx.store.run(`DELETE FROM assets WHERE id ${IN_IDS}`, ids);
    return projectById(ctx, matched[0]!.project_id);
  });
}

const REVIEW_STEP = `(SELECT s.id FROM project_steps s WHERE s.project_id = assets.project_id AND s.type = 'REVIEW' ORDER BY s.position LIMIT 1)`;
const FIRST_STEP = '(SELECT s.id FROM project_steps s WHERE s.project_id = assets.project_id ORDER BY s.position LIMIT 1)';

/** Matching assets with a label, not already TO_REVIEW → TO_REVIEW (V2: review step, TO_DO). */
function addAllLabeledAssetsToReview(_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const changed = matchIds(ctx, a.where, `a.status <> 'TO_REVIEW' AND EXISTS (SELECT 1 FROM labels l WHERE l.asset_id = a.id)`);
    if (changed.length === 0) return null;
    const ids = JSON.stringify(changed.map((m) => m.id));
    ctx.store.run(`UPDATE assets SET status = 'TO_REVIEW', updated_at = ? WHERE id ${IN_IDS}`, nowIso(), ids);
    ctx.store.run(`UPDATE assets SET step_id = ${REVIEW_STEP}, step_status = 'TO_DO' WHERE id ${IN_IDS} AND ${REVIEW_STEP} IS NOT NULL`, ids);
    return projectById(ctx, changed[0]!.project_id);
  });
}

/** → ONGOING (V2: first step, REDO); labels kept, the latest flagged `isSentBackToQueue`. */
function sendBackAssetsToQueue(_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) {
  return ctx.store.tx(() => {
    const matched = matchIds(ctx, a.where);
    if (matched.length === 0) return null;
    const ids = JSON.stringify(matched.map((m) => m.id));
    ctx.store.run(`UPDATE assets SET status = 'ONGOING', updated_at = ? WHERE id ${IN_IDS}`, nowIso(), ids);
    ctx.store.run(`UPDATE assets SET step_id = ${FIRST_STEP}, step_status = 'REDO' WHERE id ${IN_IDS} AND ${FIRST_STEP} IS NOT NULL`, ids);
    ctx.store.run(`UPDATE labels SET is_sent_back_to_queue = 1 WHERE id IN (SELECT (SELECT l.id FROM labels l WHERE l.asset_id = j.value ORDER BY l.created_at DESC, l.id DESC LIMIT 1) FROM json_each(?) j)`, ids);
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
