/**
 * Emulator internals: reading assets. Rows become GraphQL objects; the labels, assignees and
 * issues of a whole page are loaded with one query each, the first time any asset of the page
 * needs them.
 */
import type { AssetWhere } from '../__generated__/kili-upstream.js';
import type { Row } from './db.js';
import type { EmuContext } from './context.js';
import { assetCondition } from './where.js';
import { parseJsonOr } from './util.js';
import { badInput } from './errors.js';

export interface Page {
  ids: string[];
  labels?: Map<string, LabelObj[]>;
  assignees?: Map<string, Row[]>;
  issues?: Map<string, Row[]>;
}

export interface AssetObj {
  id: string;
  projectId: string;
  row: Row;
  page: Page;
}

export interface LabelObj {
  row: Row;
  asset: AssetObj;
  isLatestLabelForUser: boolean;
  isLatestReviewLabelForUser: boolean;
  isLatestDefaultLabelForUser: boolean;
}

const ORDER = 'ORDER BY a.created_at, a.id';

export function toAssets(rows: Row[]): AssetObj[] {
  const page: Page = { ids: rows.map((r) => r.id as string) };
  return rows.map((row) => ({ id: row.id as string, projectId: row.project_id as string, row, page }));
}

/** Assets matching `where` visible to the caller, in creation order. */
export function findAssets(ctx: EmuContext, where: AssetWhere, first?: number | null, skip?: number | null): AssetObj[] {
  if (skip != null && skip < 0) throw badInput('skip must be ≥ 0', 'skip');
  const c = assetCondition(where, ctx.user.id);
  const limit = first ?? -1;
  const rows = ctx.store.all(`SELECT a.* FROM assets a WHERE ${c.sql} ${ORDER} LIMIT ? OFFSET ?`, ...c.params, limit, Math.max(skip ?? 0, 0));
  return toAssets(rows);
}

export function countAssets(ctx: EmuContext, where: AssetWhere): number {
  const c = assetCondition(where, ctx.user.id);
  return (ctx.store.get<{ n: number }>(`SELECT count(*) AS n FROM assets a WHERE ${c.sql}`, ...c.params)?.n ?? 0);
}

/** Ids and project ids of the matching assets (mutations). */
export function matchIds(ctx: EmuContext, where: AssetWhere): { id: string; project_id: string }[] {
  const c = assetCondition(where, ctx.user.id);
  return ctx.store.all(`SELECT a.id, a.project_id FROM assets a WHERE ${c.sql} ${ORDER}`, ...c.params);
}

export function assetsByIds(ctx: EmuContext, ids: string[]): AssetObj[] {
  if (ids.length === 0) return [];
  const rows = ctx.store.all('SELECT a.* FROM assets a WHERE a.id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  return toAssets(ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined));
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r[key] as string;
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/** The labels of `asset`, oldest first (loads the labels of its whole page once). */
export function labelsOf(ctx: EmuContext, asset: AssetObj): LabelObj[] {
  const page = asset.page;
  if (!page.labels) {
    const rows = ctx.store.all('SELECT * FROM labels WHERE asset_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id', JSON.stringify(page.ids));
    const grouped = groupBy(rows, 'asset_id');
    page.labels = new Map();
    for (const [assetId, list] of grouped) {
      page.labels.set(assetId, list.map((row) => ({ row, asset, isLatestLabelForUser: false, isLatestReviewLabelForUser: false, isLatestDefaultLabelForUser: false })));
    }
  }
  const labels = page.labels.get(asset.id) ?? [];
  for (const l of labels) l.asset = asset;
  markLatest(labels);
  return labels;
}

function markLatest(labels: LabelObj[]): void {
  const last = new Map<string, LabelObj>();
  const lastReview = new Map<string, LabelObj>();
  const lastDefault = new Map<string, LabelObj>();
  for (const l of labels) {
    const author = (l.row.author_id as string | null) ?? '';
    last.set(author, l);
    if (l.row.label_type === 'REVIEW') lastReview.set(author, l);
    if (l.row.label_type === 'DEFAULT') lastDefault.set(author, l);
  }
  for (const l of labels) {
    const author = (l.row.author_id as string | null) ?? '';
    l.isLatestLabelForUser = last.get(author) === l;
    l.isLatestReviewLabelForUser = lastReview.get(author) === l;
    l.isLatestDefaultLabelForUser = lastDefault.get(author) === l;
  }
}

export function assigneesOf(ctx: EmuContext, asset: AssetObj): Row[] {
  const page = asset.page;
  if (!page.assignees) {
    const rows = ctx.store.all('SELECT aa.asset_id, u.* FROM asset_assignees aa JOIN users u ON u.id = aa.user_id WHERE aa.asset_id IN (SELECT value FROM json_each(?)) ORDER BY u.email', JSON.stringify(page.ids));
    page.assignees = groupBy(rows, 'asset_id');
  }
  return page.assignees.get(asset.id) ?? [];
}

export function issuesOf(ctx: EmuContext, asset: AssetObj): Row[] {
  const page = asset.page;
  if (!page.issues) {
    const rows = ctx.store.all('SELECT * FROM issues WHERE asset_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id', JSON.stringify(page.ids));
    page.issues = groupBy(rows, 'asset_id');
  }
  return page.issues.get(asset.id) ?? [];
}

/** Current step of a V2 asset (null on V1 projects or without a step). */
export function currentStepOf(ctx: EmuContext, asset: AssetObj): { name: string; status: string } | null {
  const stepId = asset.row.step_id as string | null;
  if (!stepId) return null;
  const step = ctx.store.get<{ name: string }>('SELECT name FROM project_steps WHERE id = ?', stepId);
  return step ? { name: step.name, status: (asset.row.step_status as string | null) ?? 'TO_DO' } : null;
}

export function jsonField(text: unknown, fallback: unknown): unknown {
  return parseJsonOr(typeof text === 'string' ? text : null, fallback);
}
