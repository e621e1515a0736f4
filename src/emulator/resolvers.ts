/**
 * Emulator internals: resolvers of the query root and of the object types. Every resolver is
 * synchronous (SQLite calls are synchronous), so a whole operation executes in one tick; this is
 * what lets the fault layer run a write inside a transaction it then rolls back.
 */
import type { AssetWhere, ProjectWhere, NotificationWhere, OrganizationWhere, ApiKeyWhere } from '../__generated__/kili-upstream.js';
import type { Row } from './db.js';
import type { EmuContext } from './context.js';
import { memberships, projectById, userById } from './context.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { AssetObj, LabelObj } from './assets.js';
import { assigneesOf, col, commentsOf, countAssets, currentStepOf, findAssets, issuesOf, labelJson, labelsOf } from './assets.js';
import { signedUrls } from './uploads.js';
import { parseJsonOr } from './util.js';

type Args<T> = T & Record<string, unknown>;
const num = (v: unknown): number | null => (v == null ? null : Number(v));
const bool = (v: unknown): boolean => v === 1 || v === true;

function page<T>(items: T[], first?: number | null, skip?: number | null): T[] {
  const s = Math.max(skip ?? 0, 0);
  return items.slice(s, first == null ? undefined : s + first);
}

/** Projects visible to the caller that match `where`, oldest first. */
export function visibleProjects(ctx: EmuContext, where: ProjectWhere): Row[] {
  const ids = [...memberships(ctx).keys()];
  const rows = ctx.store.all('SELECT * FROM projects WHERE id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id', JSON.stringify(ids));
  return rows.filter((p) =>
    (where.id == null || p.id === where.id) &&
    (where.idIn == null || where.idIn.includes(p.id as string)) &&
    (where.searchQuery == null || String(p.title).toLowerCase().includes(where.searchQuery.toLowerCase())),
  );
}

function visibleOrganizations(ctx: EmuContext, where: OrganizationWhere): Row[] {
  const u = where.user;
  if (u?.id != null && u.id !== ctx.user.id) return [];
  if (u?.email != null && u.email !== ctx.user.email) return [];
  if (where.id != null && where.id !== ctx.user.organization_id) return [];
  return ctx.store.all('SELECT * FROM organizations WHERE id = ?', ctx.user.organization_id);
}

function notificationsOf(ctx: EmuContext, where: NotificationWhere): Row[] {
  return ctx.store.all('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at, id', ctx.user.id).filter((n) =>
    (where.id == null || n.id === where.id) && (where.hasBeenSeen == null || bool(n.has_been_seen) === where.hasBeenSeen),
  );
}

function apiKeysOf(ctx: EmuContext, where: ApiKeyWhere): Row[] {
  if (where.user?.id != null && where.user.id !== ctx.user.id) return [];
  if (where.user?.email != null && where.user.email !== ctx.user.email) return [];
  return ctx.store.all('SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at, id', ctx.user.id).filter((k) =>
    (where.key == null || k.key === where.key) && (where.id == null || k.id === where.id),
  );
}

export const queryResolvers = {
  assets: (_: unknown, a: Args<{ where: AssetWhere; first?: number | null; skip?: number | null }>, ctx: EmuContext, info: GraphQLResolveInfo) => findAssets(ctx, a.where, a.first, a.skip, info),
  countAssets: (_: unknown, a: Args<{ where: AssetWhere }>, ctx: EmuContext) => countAssets(ctx, a.where),
  filterExistingAssets: (_: unknown, a: Args<{ projectID: string; externalIDs: string[] }>, ctx: EmuContext) => {
    if (!memberships(ctx).has(a.projectID)) return [];
    const rows = ctx.store.all<{ external_id: string }>(
      'SELECT DISTINCT external_id FROM assets WHERE project_id = ? AND external_id IN (SELECT value FROM json_each(?))',
      a.projectID, JSON.stringify(a.externalIDs),
    );
    const existing = new Set(rows.map((r) => r.external_id));
    return [...new Set(a.externalIDs)].filter((e) => existing.has(e));
  },
  projects: (_: unknown, a: Args<{ where: ProjectWhere; first?: number | null; skip?: number | null }>, ctx: EmuContext) => page(visibleProjects(ctx, a.where), a.first, a.skip),
  countProjects: (_: unknown, a: Args<{ where: ProjectWhere }>, ctx: EmuContext) => visibleProjects(ctx, a.where).length,
  viewer: (_: unknown, __: unknown, ctx: EmuContext) => ctx.user,
  apiKeys: (_: unknown, a: Args<{ where: ApiKeyWhere; first?: number | null; skip?: number | null }>, ctx: EmuContext) => page(apiKeysOf(ctx, a.where), a.first, a.skip),
  createUploadBucketSignedUrls: (_: unknown, a: Args<{ filePaths?: string[] | null }>, ctx: EmuContext) => signedUrls(ctx, a.filePaths ?? []),
  countOrganizations: (_: unknown, a: Args<{ where: OrganizationWhere }>, ctx: EmuContext) => visibleOrganizations(ctx, a.where).length,
  organizations: (_: unknown, a: Args<{ where: OrganizationWhere; first?: number | null; skip?: number | null }>, ctx: EmuContext) => page(visibleOrganizations(ctx, a.where), a.first, a.skip),
  countNotifications: (_: unknown, a: Args<{ where: NotificationWhere }>, ctx: EmuContext) => notificationsOf(ctx, a.where).length,
  notifications: (_: unknown, a: Args<{ where: NotificationWhere; first?: number | null; skip?: number | null }>, ctx: EmuContext) => page(notificationsOf(ctx, a.where), a.first, a.skip),
};

const r = (column: string) => (row: Row) => row[column];
/** An asset column (loaded on demand when the page did not carry it). */
const c = (column: string) => (a: AssetObj, _: unknown, ctx: EmuContext) => col(ctx, a, column);
const cNum = (column: string) => (a: AssetObj, _: unknown, ctx: EmuContext) => num(col(ctx, a, column));
const cBool = (column: string) => (a: AssetObj, _: unknown, ctx: EmuContext) => bool(col(ctx, a, column));

export const typeResolvers = {
  User: { id: r('id'), email: r('email'), firstname: r('firstname'), lastname: r('lastname'), organizationId: r('organization_id') },
  Organization: { id: r('id'), name: r('name'), license: (o: Row) => ({ uploadLocalData: bool(o.upload_local_data) }) },
  ApiKey: { id: r('id'), name: r('name'), createdAt: r('created_at'), expiryDate: r('expiry_date') },
  Notification: { id: r('id'), createdAt: r('created_at'), hasBeenSeen: (n: Row) => bool(n.has_been_seen), message: r('message'), status: r('status'), userID: r('user_id') },
  Project: {
    id: r('id'), title: r('title'), description: r('description'), inputType: r('input_type'),
    jsonInterface: r('json_interface'), workflowVersion: r('workflow_version'), createdAt: r('created_at'),
    steps: (p: Row, _: unknown, ctx: EmuContext) => ctx.store.all('SELECT id, name, type FROM project_steps WHERE project_id = ? ORDER BY position', p.id),
    dataConnections: () => [],
    roles: (p: Row, _: unknown, ctx: EmuContext) =>
      ctx.store.all('SELECT pu.id, pu.role, pu.user_id FROM project_users pu JOIN users u ON u.id = pu.user_id WHERE pu.project_id = ? ORDER BY u.email', p.id)
        .map((pu) => ({ id: pu.id, role: pu.role, user: userById(ctx, pu.user_id as string) })),
    numberOfAssets: (p: Row, _: unknown, ctx: EmuContext) => ctx.store.get<{ n: number }>('SELECT count(*) AS n FROM assets WHERE project_id = ?', p.id)?.n ?? 0,
  },
  Asset: {
    id: (a: AssetObj) => a.id,
    externalId: c('external_id'),
    content: c('content'),
    jsonContent: (a: AssetObj, _: unknown, ctx: EmuContext) => col(ctx, a, 'json_content') ?? '',
    jsonMetadata: (a: AssetObj, _: unknown, ctx: EmuContext) => col(ctx, a, 'json_metadata') ?? '{}',
    createdAt: c('created_at'),
    updatedAt: c('updated_at'),
    status: c('status'),
    skipped: cBool('skipped'),
    isHoneypot: cBool('is_honeypot'),
    honeypotMark: cNum('honeypot_mark'),
    consensusMark: cNum('consensus_mark'),
    inferenceMark: cNum('inference_mark'),
    isUsedForConsensus: cBool('is_used_for_consensus'),
    priority: c('priority'),
    duration: cNum('duration'),
    isProcessingAuthorized: () => true,
    projectId: (a: AssetObj) => a.projectId,
    project: (a: AssetObj, _: unknown, ctx: EmuContext) => projectById(ctx, a.projectId),
    ocrMetadata: (a: AssetObj, _: unknown, ctx: EmuContext) => col(ctx, a, 'ocr_metadata') ?? null,
    resolution: (a: AssetObj, _: unknown, ctx: EmuContext) => parseJsonOr(col(ctx, a, 'resolution') as string | null, null),
    pageResolutions: (a: AssetObj, _: unknown, ctx: EmuContext) => parseJsonOr(col(ctx, a, 'page_resolutions') as string | null, null),
    currentStep: (a: AssetObj, _: unknown, ctx: EmuContext) => currentStepOf(ctx, a),
    labels: (a: AssetObj, _: unknown, ctx: EmuContext) => labelsOf(ctx, a),
    latestLabel: (a: AssetObj, _: unknown, ctx: EmuContext) => labelsOf(ctx, a).at(-1) ?? null,
    latestLabels: (a: AssetObj, _: unknown, ctx: EmuContext) => labelsOf(ctx, a).filter((l) => l.isLatestLabelForUser),
    toBeLabeledBy: (a: AssetObj, _: unknown, ctx: EmuContext) => assigneesOf(ctx, a),
    issues: (a: AssetObj, _: unknown, ctx: EmuContext) => issuesOf(ctx, a),
    assetProjectModels: () => [],
  },
  Label: {
    id: (l: LabelObj) => l.row.id,
    author: (l: LabelObj, _: unknown, ctx: EmuContext) => userById(ctx, l.row.author_id as string | null),
    authorId: (l: LabelObj) => l.row.author_id,
    createdAt: (l: LabelObj) => l.row.created_at,
    updatedAt: (l: LabelObj) => l.row.updated_at,
    jsonResponse: (l: LabelObj, _: unknown, ctx: EmuContext) => labelJson(ctx, l),
    jsonResponseUrl: () => null,
    labelType: (l: LabelObj) => l.row.label_type,
    secondsToLabel: (l: LabelObj) => num(l.row.seconds_to_label),
    totalSecondsToLabel: (l: LabelObj) => num(l.row.seconds_to_label),
    isSentBackToQueue: (l: LabelObj) => bool(l.row.is_sent_back_to_queue),
    consensusMark: (l: LabelObj) => num(l.row.consensus_mark),
    honeypotMark: (l: LabelObj) => num(l.row.honeypot_mark),
    inferenceMark: (l: LabelObj) => num(l.row.inference_mark),
    isHoneypot: (l: LabelObj) => bool(l.row.is_honeypot),
    modelName: (l: LabelObj) => l.row.model_name ?? null,
    numberOfAnnotations: (l: LabelObj, _: unknown, ctx: EmuContext) => countAnnotations(labelJson(ctx, l)),
    assetId: (l: LabelObj) => l.asset.id,
    labelOf: (l: LabelObj) => l.asset,
    isLastForStep: (l: LabelObj) => l.isLatestLabelForUser,
    reviewScore: () => null,
    version: () => 1,
    readPermissionsFromProject: () => true,
    annotations: () => [],
    chatItems: () => [],
  },
  Issue: {
    id: r('id'), assetId: r('asset_id'), type: r('type'), status: r('status'), createdAt: r('created_at'),
    comments: (i: Row, _: unknown, ctx: EmuContext) => commentsOf(ctx, i),
  },
};

/** Classification categories plus object/entity annotations, over all jobs. */
function countAnnotations(json: string): number {
  const resp = parseJsonOr<Record<string, unknown>>(json, {});
  let n = 0;
  for (const job of Object.values(resp ?? {})) {
    if (job && typeof job === 'object') {
      const j = job as { categories?: unknown[]; annotations?: unknown[] };
      n += (Array.isArray(j.categories) ? j.categories.length : 0) + (Array.isArray(j.annotations) ? j.annotations.length : 0);
    }
  }
  return n;
}
