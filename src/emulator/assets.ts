/**
 * Emulator internals: reading assets. Asset objects are lazy: a page of them carries only the
 * columns its GraphQL selection asks for (ids alone for a mutation answered with `{ id }`), and
 * anything else (another column, the labels, assignees, issues, label JSON) is loaded for the
 * whole page with one query, the first time any asset of the page needs it.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { AssetWhere } from '../__generated__/kili-upstream.js';
import type { Row } from './db.js';
import type { EmuContext } from './context.js';
import { cached, memberships } from './context.js';
import { assetCondition } from './where.js';
import { badInput } from './errors.js';
import { selectedFields } from './selection.js';

export interface Page {
  assets: AssetObj[];
  /** JSON array of the page's asset ids (bound as one parameter). */
  idsJson: string;
  /** Columns the selection needs (loaded up front, or together on first use). */
  want: readonly string[];
  labels?: Map<string, LabelObj[]>;
  /** `json_response` by label id, loaded only when a label's JSON is asked for. */
  responses?: Map<string, string>;
  assignees?: Map<string, Row[]>;
  issues?: Map<string, Row[]>;
  comments?: Map<string, Row[]>;
}

export interface AssetObj {
  id: string;
  projectId: string;
  /** Loaded columns (snake_case); use `col()` to read one. */
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
const IN_IDS = 'IN (SELECT value FROM json_each(?))';

/** Every asset column but `id` and `project_id` (always loaded). */
const ALL_COLUMNS = [
  'external_id', 'content', 'json_content', 'json_metadata', 'created_at', 'updated_at', 'status', 'skipped',
  'is_honeypot', 'honeypot_mark', 'consensus_mark', 'inference_mark', 'is_used_for_consensus', 'priority',
  'resolution', 'page_resolutions', 'step_id', 'step_status', 'ocr_metadata', 'duration',
] as const;

/** Asset fields read straight from columns. */
const FIELD_COLUMNS: Record<string, readonly string[]> = {
  externalId: ['external_id'], content: ['content'], jsonContent: ['json_content'], jsonMetadata: ['json_metadata'],
  createdAt: ['created_at'], updatedAt: ['updated_at'], status: ['status'], skipped: ['skipped'],
  isHoneypot: ['is_honeypot'], honeypotMark: ['honeypot_mark'], consensusMark: ['consensus_mark'],
  inferenceMark: ['inference_mark'], isUsedForConsensus: ['is_used_for_consensus'], priority: ['priority'],
  duration: ['duration'], ocrMetadata: ['ocr_metadata'], resolution: ['resolution'],
  pageResolutions: ['page_resolutions'], currentStep: ['step_id', 'step_status'],
};

/** The columns an Asset selection reads (all of them without `info`), in a stable order. */
export function wantedColumns(info?: GraphQLResolveInfo): readonly string[] {
  if (!info) return ALL_COLUMNS;
  const fields = selectedFields(info);
  let cols = columnsMemo.get(fields);
  if (!cols) {
    const wanted = new Set<string>();
    for (const f of fields) for (const c of FIELD_COLUMNS[f] ?? []) wanted.add(c);
    cols = ALL_COLUMNS.filter((c) => wanted.has(c));
    columnsMemo.set(fields, cols);
  }
  return cols;
}

const columnsMemo = new WeakMap<ReadonlySet<string>, readonly string[]>();

/** Asset objects over rows holding at least `id` and `project_id`. */
export function toAssets(rows: Row[], want: readonly string[]): AssetObj[] {
  const page: Page = { assets: [], idsJson: JSON.stringify(rows.map((r) => r.id)), want };
  page.assets = rows.map((row) => ({ id: row.id as string, projectId: row.project_id as string, row, page }));
  return page.assets;
}

/** The project ids the caller may see (cached for the request). */
export function visible(ctx: EmuContext): ReadonlySet<string> {
  return cached(ctx, 'visible', () => new Set(memberships(ctx).keys()));
}

/** Assets matching `where` visible to the caller, in creation order, paged in SQL. */
export function findAssets(ctx: EmuContext, where: AssetWhere, first?: number | null, skip?: number | null, info?: GraphQLResolveInfo): AssetObj[] {
  if (skip != null && skip < 0) throw badInput('skip must be ≥ 0', 'skip');
  const c = assetCondition(where, visible(ctx));
  const want = wantedColumns(info);
  const cols = want.map((col) => `, a.${col}`).join('');
  const rows = ctx.store.all(`SELECT a.id, a.project_id${cols} FROM assets a WHERE ${c.sql} ${ORDER} LIMIT ? OFFSET ?`, ...c.params, first ?? -1, skip ?? 0);
  return toAssets(rows, want);
}

export function countAssets(ctx: EmuContext, where: AssetWhere): number {
  const c = assetCondition(where, visible(ctx));
  return (ctx.store.get<{ n: number }>(`SELECT count(*) AS n FROM assets a WHERE ${c.sql}`, ...c.params)?.n ?? 0);
}

/** Ids and project ids of the matching assets, in creation order (mutations); `extra` is ANDed. */
export function matchIds(ctx: EmuContext, where: AssetWhere, extra = ''): { id: string; project_id: string }[] {
  const c = assetCondition(where, visible(ctx));
  return ctx.store.all(`SELECT a.id, a.project_id FROM assets a WHERE ${c.sql}${extra ? ` AND ${extra}` : ''} ${ORDER}`, ...c.params);
}

/** Lazy asset objects for known rows (mutation results): nothing is read until a field needs it. */
export function lazyAssets(rows: readonly { id: string; project_id: string }[], info?: GraphQLResolveInfo): AssetObj[] {
  return toAssets(rows.map((r) => ({ id: r.id, project_id: r.project_id })), wantedColumns(info));
}

/** One column of an asset, loading it (with the rest of the page's wanted columns) when missing. */
export function col(ctx: EmuContext, asset: AssetObj, column: string): unknown {
  if (!(column in asset.row)) fill(ctx, asset.page, asset.page.want.includes(column) ? asset.page.want : ALL_COLUMNS);
  return asset.row[column];
}

function fill(ctx: EmuContext, page: Page, cols: readonly string[]): void {
  const rows = ctx.store.all(`SELECT id, ${cols.join(', ')} FROM assets WHERE id ${IN_IDS}`, page.idsJson);
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  for (const a of page.assets) {
    const r = byId.get(a.id);
    for (const c of cols) a.row[c] = r ? r[c] : null; // a vanished asset reads as nulls, once
  }
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

/** Label columns but `json_response` (loaded apart, on demand). */
const LABEL_COLUMNS = 'id, asset_id, author_id, label_type, created_at, updated_at, seconds_to_label, is_sent_back_to_queue, consensus_mark, honeypot_mark, inference_mark, is_honeypot, model_name';

/** The labels of `asset`, oldest first (loads the labels of its whole page once). */
export function labelsOf(ctx: EmuContext, asset: AssetObj): LabelObj[] {
  const page = asset.page;
  if (!page.labels) {
    const rows = ctx.store.all(`SELECT ${LABEL_COLUMNS} FROM labels WHERE asset_id ${IN_IDS} ORDER BY created_at, id`, page.idsJson);
    const grouped = groupBy(rows, 'asset_id');
    page.labels = new Map();
    for (const a of page.assets) {
      const list = grouped.get(a.id);
      if (!list) continue;
      const labels = list.map((row) => ({ row, asset: a, isLatestLabelForUser: false, isLatestReviewLabelForUser: false, isLatestDefaultLabelForUser: false }));
      markLatest(labels);
      page.labels.set(a.id, labels);
    }
  }
  return page.labels.get(asset.id) ?? [];
}

/** A label's `json_response` (loads those of the whole page once). */
export function labelJson(ctx: EmuContext, label: LabelObj): string {
  const page = label.asset.page;
  if (!page.responses) {
    const rows = ctx.store.all<{ id: string; json_response: string }>(`SELECT id, json_response FROM labels WHERE asset_id ${IN_IDS}`, page.idsJson);
    page.responses = new Map(rows.map((r) => [r.id, r.json_response]));
  }
  return page.responses.get(label.row.id as string) ?? '{}';
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
  page.assignees ??= groupBy(ctx.store.all(`SELECT aa.asset_id, u.* FROM asset_assignees aa JOIN users u ON u.id = aa.user_id WHERE aa.asset_id ${IN_IDS} ORDER BY u.email`, page.idsJson), 'asset_id');
  return page.assignees.get(asset.id) ?? [];
}

/** Issue rows carry their page (`page`), so that their comments load once per page. */
export function issuesOf(ctx: EmuContext, asset: AssetObj): Row[] {
  const page = asset.page;
  if (!page.issues) {
    const rows = ctx.store.all(`SELECT * FROM issues WHERE asset_id ${IN_IDS} ORDER BY created_at, id`, page.idsJson);
    for (const r of rows) r.page = page;
    page.issues = groupBy(rows, 'asset_id');
  }
  return page.issues.get(asset.id) ?? [];
}

export function commentsOf(ctx: EmuContext, issue: Row): Row[] {
  const page = issue.page as Page;
  page.comments ??= groupBy(ctx.store.all(
    `SELECT c.issue_id, c.id, c.text, c.created_at AS createdAt FROM comments c JOIN issues i ON i.id = c.issue_id WHERE i.asset_id ${IN_IDS} ORDER BY c.created_at, c.id`,
    page.idsJson,
  ), 'issue_id');
  return page.comments.get(issue.id as string) ?? [];
}

/** Current step of a V2 asset (null on V1 projects or without a step). */
export function currentStepOf(ctx: EmuContext, asset: AssetObj): { name: string; status: string } | null {
  const stepId = col(ctx, asset, 'step_id') as string | null;
  if (!stepId) return null;
  const name = cached(ctx, `step:${stepId}`, () => ctx.store.get<{ name: string }>('SELECT name FROM project_steps WHERE id = ?', stepId)?.name ?? null);
  return name === null ? null : { name, status: (col(ctx, asset, 'step_status') as string | null) ?? 'TO_DO' };
}
