/**
 * Emulator internals: translates an `AssetWhere` into a SQL condition on `assets a` (reference
 * §3). Every list filter is bound as one JSON parameter (`IN (SELECT value FROM json_each(?))`),
 * so statements stay few and cacheable. Semantics are listed in the emulator README.
 */
import type { AssetWhere, LabelWhere } from '../__generated__/kili-upstream.js';
import { badInput } from './errors.js';
import { parseSearch } from './search.js';
import { isRecord } from './util.js';

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const IN_LIST = 'IN (SELECT value FROM json_each(?))';
/** Users designated by email or id. */
const USERS_IN = `(SELECT u.id FROM users u WHERE u.email ${IN_LIST} OR u.id ${IN_LIST})`;

/**
 * A date filter value → inclusive [lo, hi] ISO bounds. `YYYY-MM-DD` covers that whole UTC day
 * (so `createdAtLte: "2024-01-31"` includes the 31st); any other value must parse as a date and
 * is an exact instant.
 */
export function dateRange(value: string, field: string): [string, string] {
  if (DATE_ONLY.test(value)) {
    const lo = `${value}T00:00:00.000Z`;
    if (Number.isNaN(Date.parse(lo)) || new Date(lo).toISOString() !== lo) throw badInput(`Invalid date for ${field}: ${value}`, field);
    return [lo, `${value}T23:59:59.999Z`];
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badInput(`Invalid date for ${field}: ${value}`, field);
  const iso = new Date(t).toISOString();
  return [iso, iso];
}

class Builder {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(sql: string, ...params: unknown[]): void {
    this.parts.push(sql);
    this.params.push(...params);
  }
  list(sql: string, values: readonly unknown[]): void {
    this.add(sql, JSON.stringify(values));
  }
  users(sql: string, values: readonly string[]): void {
    const json = JSON.stringify(values);
    this.add(sql.replace('$USERS', USERS_IN), json, json);
  }
  range(column: string, gte: number | null | undefined, lte: number | null | undefined): void {
    if (gte != null) this.add(`${column} >= ?`, gte);
    if (lte != null) this.add(`${column} <= ?`, lte);
  }
  dates(column: string, field: string, gte?: string | null, lte?: string | null, eq?: string | null): void {
    if (gte != null) this.add(`${column} >= ?`, dateRange(gte, `${field}Gte`)[0]);
    if (lte != null) this.add(`${column} <= ?`, dateRange(lte, `${field}Lte`)[1]);
    if (eq != null) this.add(`${column} BETWEEN ? AND ?`, ...dateRange(eq, field));
  }
  sql(): string {
    return this.parts.length ? this.parts.join(' AND ') : '1';
  }
}

/** `metadata[key]` of the asset, `key` coming from the filter row `f`. */
const META = `json_extract(a.json_metadata, '$."' || f.key || '"')`;
/**
 * One condition over every key of the filter, whatever their number: the filter object is bound
 * as one JSON parameter and walked with `json_each`, so the SQL text (and its prepared statement)
 * is the same for 1 or 10,000 keys and never nears SQLite's expression-depth limit. A key's
 * condition that is NULL (missing metadata) does not hold.
 */
const METADATA_MATCHES = `NOT EXISTS (SELECT 1 FROM json_each(?) f WHERE NOT coalesce(CASE
  WHEN f.type = 'null' THEN ${META} IS NULL
  WHEN f.type = 'array' AND json_array_length(f.value) = 2 AND json_type(f.value, '$[0]') IN ('integer', 'real')
    AND json_type(f.value, '$[1]') IN ('integer', 'real')
    THEN kili_num(${META}) BETWEEN json_extract(f.value, '$[0]') AND json_extract(f.value, '$[1]')
  WHEN f.type = 'array' THEN ${META} IN (SELECT value FROM json_each(f.value))
  WHEN f.type = 'object' THEN ${META} = json(f.value)
  ELSE ${META} = f.atom
END, 0))`;

function metadataFilter(b: Builder, metadata: unknown): void {
  if (!isRecord(metadata)) throw badInput('metadata must be a JSON object keyed by metadata key', 'metadata');
  for (const key of Object.keys(metadata)) {
    if (key.includes('"')) throw badInput(`Unsupported metadata key: ${key}`, 'metadata');
  }
  // Scalars compare with their JSON type (`2` ≠ `"2"`, true = 1 as in SQLite's json_extract).
  if (Object.keys(metadata).length > 0) b.add(METADATA_MATCHES, JSON.stringify(metadata));
}

function labelFilter(label: LabelWhere): SqlCondition | null {
  const b = new Builder();
  if (label.typeIn != null) b.list(`l.label_type ${IN_LIST}`, label.typeIn);
  if (label.authorIn != null) {
    b.list(
      `EXISTS (SELECT 1 FROM users u, json_each(?) j WHERE u.id = l.author_id AND (j.value IN (u.firstname, u.lastname, u.email, u.id) OR j.value = u.firstname || ' ' || u.lastname))`,
      label.authorIn,
    );
  }
  b.range('l.consensus_mark', label.consensusMarkGte, label.consensusMarkLte);
  b.range('l.honeypot_mark', label.honeypotMarkGte, label.honeypotMarkLte);
  b.dates('l.created_at', 'label.createdAt', label.createdAtGte, label.createdAtLte, label.createdAt);
  if (label.search != null) {
    if (!parseSearch(label.search)) throw badInput(`Invalid category search query: ${label.search}`, 'label.search');
    b.add('kili_search(?, l.json_response) = 1', label.search);
  }
  if (label.labelerIn != null) b.users(`l.label_type <> 'REVIEW' AND l.author_id IN $USERS`, label.labelerIn);
  if (label.labelerNotIn != null) b.users(`l.label_type <> 'REVIEW' AND (l.author_id IS NULL OR l.author_id NOT IN $USERS)`, label.labelerNotIn);
  if (label.reviewerIn != null) b.users(`l.label_type = 'REVIEW' AND l.author_id IN $USERS`, label.reviewerIn);
  if (label.reviewerNotIn != null) b.users(`l.label_type = 'REVIEW' AND (l.author_id IS NULL OR l.author_id NOT IN $USERS)`, label.reviewerNotIn);
  if (b.parts.length === 0) return null;
  return { sql: `EXISTS (SELECT 1 FROM labels l WHERE l.asset_id = a.id AND ${b.sql()})`, params: b.params };
}

/**
 * The SQL condition for `where`, restricted to the `visible` projects (the caller's: other
 * projects' assets are invisible). Null members mean "no constraint"; empty lists are real
 * filters (an empty `idIn` matches nothing, an empty `idNotIn` excludes nothing).
 *
 * Visibility is resolved here, not per row: a `project.id`/`project.idIn` is intersected with the
 * caller's projects. When the where names ids, the project terms are written `+a.project_id` so
 * that SQLite looks the ids up by primary key instead of walking the whole project index.
 */
export function assetCondition(where: AssetWhere, visible: ReadonlySet<string>): SqlCondition {
  const b = new Builder();
  const byId = where.id != null || where.idIn != null;
  const pcol = byId ? '+a.project_id' : 'a.project_id';
  const p = where.project;
  if (p?.id != null) {
    if (visible.has(p.id)) b.add(`${pcol} = ?`, p.id);
    else b.add('0');
  }
  if (p?.idIn != null) b.list(`${pcol} ${IN_LIST}`, p.idIn.filter((id) => visible.has(id)));
  if (p?.id == null && p?.idIn == null) b.list(`${pcol} ${IN_LIST}`, [...visible]);
  if (p?.searchQuery != null) b.add(`${pcol} IN (SELECT id FROM projects WHERE title LIKE ?)`, `%${p.searchQuery}%`);
  if (where.id != null) b.add('a.id = ?', where.id);
  if (where.idIn != null) b.list(`a.id ${IN_LIST}`, where.idIn);
  if (where.idNotIn != null) b.list(`a.id NOT ${IN_LIST}`, where.idNotIn);
  if (where.externalIdStrictlyIn != null) b.list(`a.external_id ${IN_LIST}`, where.externalIdStrictlyIn);
  if (where.externalIdIn != null) {
    b.list('EXISTS (SELECT 1 FROM json_each(?) j WHERE instr(a.external_id, j.value) > 0)', where.externalIdIn);
  }
  if (where.statusIn != null) b.list(`a.status ${IN_LIST}`, where.statusIn);
  b.range('a.consensus_mark', where.consensusMarkGte, where.consensusMarkLte);
  b.range('a.honeypot_mark', where.honeypotMarkGte, where.honeypotMarkLte);
  b.range('a.inference_mark', where.inferenceMarkGte, where.inferenceMarkLte);
  if (where.metadata != null) metadataFilter(b, where.metadata);
  if (where.assigneeIn != null) b.users('EXISTS (SELECT 1 FROM asset_assignees aa WHERE aa.asset_id = a.id AND aa.user_id IN $USERS)', where.assigneeIn);
  if (where.assigneeNotIn != null) b.users('NOT EXISTS (SELECT 1 FROM asset_assignees aa WHERE aa.asset_id = a.id AND aa.user_id IN $USERS)', where.assigneeNotIn);
  if (where.skipped != null) b.add('a.skipped = ?', where.skipped ? 1 : 0);
  b.dates('a.updated_at', 'updatedAt', where.updatedAtGte, where.updatedAtLte);
  b.dates('a.created_at', 'createdAt', where.createdAtGte, where.createdAtLte);
  if (where.stepIdIn != null) b.list(`a.step_id ${IN_LIST}`, where.stepIdIn);
  if (where.stepIdNotIn != null) b.list(`(a.step_id IS NULL OR a.step_id NOT ${IN_LIST})`, where.stepIdNotIn);
  if (where.stepStatusIn != null) b.list(`a.step_status ${IN_LIST}`, where.stepStatusIn);
  if (where.stepStatusNotIn != null) b.list(`(a.step_status IS NULL OR a.step_status NOT ${IN_LIST})`, where.stepStatusNotIn);
  if (where.label != null) {
    const c = labelFilter(where.label);
    if (c) b.add(c.sql, ...c.params);
  }
  const issue = where.issue;
  if (issue != null && (issue.type != null || issue.status != null)) {
    const ib = new Builder();
    if (issue.type != null) ib.add('i.type = ?', issue.type);
    if (issue.status != null) ib.add('i.status = ?', issue.status);
    b.add(`EXISTS (SELECT 1 FROM issues i WHERE i.asset_id = a.id AND ${ib.sql()})`, ...ib.params);
  }
  return { sql: b.sql(), params: b.params };
}

/** Ids the where names explicitly (`id`, `idIn`): mutations fail when one of them is not visible. */
export function explicitIds(where: AssetWhere): string[] {
  const ids: string[] = [];
  if (where.id != null) ids.push(where.id);
  if (where.idIn != null) ids.push(...where.idIn);
  return [...new Set(ids)];
}

/**
 * `{id}`, optionally with `project: {id}` and empty `label`/`issue` (what the SDK sends to
 * `updatePropertiesInAssets`): such a where is answered by primary key, without a filter query.
 */
export function idOnly(where: AssetWhere): { id: string; projectId: string | null } | null {
  if (where.id == null) return null;
  for (const [key, value] of Object.entries(where)) {
    if (value == null || key === 'id') continue;
    if (!isRecord(value)) return null;
    if (key === 'project' && value.idIn == null && value.searchQuery == null) continue;
    if ((key === 'label' || key === 'issue') && Object.values(value).every((v) => v == null)) continue;
    return null;
  }
  return { id: where.id, projectId: where.project?.id ?? null };
}
