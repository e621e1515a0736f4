/**
 * Pure. Validates a public `AssetWhere` and translates it, with its project, into the upstream
 * `AssetWhere` as the Kili SDK builds it (reference §3.1): `project`, `label` and `issue` always
 * present. Deprecated aliases map to their canonical field with the SDK's inclusive meaning and
 * add a DEPRECATED_FILTER warning. Throws `BAD_USER_INPUT` naming the field, before any upstream call.
 */
import type { AssetWhere } from '../__generated__/bff.js';
import type { AssetWhere as UpstreamAssetWhere, IssueWhere, LabelWhere } from '../__generated__/kili-upstream.js';
import { BffWarningCode, badUserInput, type BffWarning } from '../errors/index.js';
import { checkCategorySearch } from './category-search.js';
import { dateInputTime, isDateInput } from '../plugins/date-time-input/index.js';
import { checkMetadataWhere } from './metadata.js';

export interface TranslatedWhere {
  where: UpstreamAssetWhere;
  warnings: BffWarning[];
  /** An `…In` list is empty: nothing can match, no upstream call is needed. */
  matchesNothing: boolean;
}

type Canonical = Exclude<keyof AssetWhere, Alias>;
type Alias = keyof typeof ALIASES;

/** Deprecated alias → canonical field (DESIGN §3). */
export const ALIASES = {
  consensusMarkGt: 'consensusMarkGte',
  consensusMarkLt: 'consensusMarkLte',
  honeypotMarkGt: 'honeypotMarkGte',
  honeypotMarkLt: 'honeypotMarkLte',
  labelConsensusMarkGt: 'labelConsensusMarkGte',
  labelConsensusMarkLt: 'labelConsensusMarkLte',
  labelHoneypotMarkGt: 'labelHoneypotMarkGte',
  labelHoneypotMarkLt: 'labelHoneypotMarkLte',
  labelCreatedAtGt: 'labelCreatedAtGte',
  labelCreatedAtLt: 'labelCreatedAtLte',
  externalIdContains: 'externalIdStrictlyIn',
} as const;

const ASSET_KEYS: Partial<Record<Canonical, keyof UpstreamAssetWhere>> = {
  assetId: 'id', assetIdIn: 'idIn', assetIdNotIn: 'idNotIn', externalIdStrictlyIn: 'externalIdStrictlyIn',
  externalIdIn: 'externalIdIn', statusIn: 'statusIn', skipped: 'skipped', metadataWhere: 'metadata',
  consensusMarkGte: 'consensusMarkGte', consensusMarkLte: 'consensusMarkLte', honeypotMarkGte: 'honeypotMarkGte',
  honeypotMarkLte: 'honeypotMarkLte', inferenceMarkGte: 'inferenceMarkGte', inferenceMarkLte: 'inferenceMarkLte',
  createdAtGte: 'createdAtGte', createdAtLte: 'createdAtLte', updatedAtGte: 'updatedAtGte', updatedAtLte: 'updatedAtLte',
};
const LABEL_KEYS: Partial<Record<Canonical, keyof LabelWhere>> = {
  labelTypeIn: 'typeIn', labelAuthorIn: 'authorIn', labelReviewerIn: 'reviewerIn',
  labelConsensusMarkGte: 'consensusMarkGte', labelConsensusMarkLte: 'consensusMarkLte',
  labelHoneypotMarkGte: 'honeypotMarkGte', labelHoneypotMarkLte: 'honeypotMarkLte',
  labelCreatedAt: 'createdAt', labelCreatedAtGte: 'createdAtGte', labelCreatedAtLte: 'createdAtLte',
  labelCategorySearch: 'search',
};
const ISSUE_KEYS: Partial<Record<Canonical, keyof IssueWhere>> = { issueType: 'type', issueStatus: 'status' };

const DATE_FIELDS: Canonical[] = ['createdAtGte', 'createdAtLte', 'updatedAtGte', 'updatedAtLte', 'labelCreatedAt', 'labelCreatedAtGte', 'labelCreatedAtLte'];
const RANGES = ['consensusMark', 'honeypotMark', 'inferenceMark', 'labelConsensusMark', 'labelHoneypotMark', 'createdAt', 'updatedAt', 'labelCreatedAt'] as const;
const MATCH_LISTS: Canonical[] = ['assetIdIn', 'externalIdStrictlyIn', 'externalIdIn', 'statusIn', 'labelTypeIn', 'labelAuthorIn', 'labelReviewerIn'];
/** The SDK warns above this many partial external ids. */
export const MAX_PARTIAL_EXTERNAL_IDS = 10;

/**
 * Whether an alias and its canonical field say the same thing. Dates compare by instant, a date-only
 * value standing for the start of its day on a lower bound and the end of its day on an upper bound
 * (as upstream reads it), so `labelCreatedAtGt: "2024-01-01"` equals `labelCreatedAtGte:
 * "2024-01-01T00:00:00Z"`; numbers compare numerically and lists as sets. The canonical value is kept.
 */
function sameValue(canonical: Canonical, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && DATE_FIELDS.includes(canonical) && isDateInput(a) && isDateInput(b)) {
    const edge = canonical.endsWith('Lte') ? 'end' : 'start';
    return dateInputTime(a, edge) === dateInputTime(b, edge);
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    const [left, right] = [new Set(a.map((v) => JSON.stringify(v))), new Set(b.map((v) => JSON.stringify(v)))];
    return left.size === right.size && [...left].every((v) => right.has(v));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function aliasWarning(alias: Alias, canonical: string, field: string): BffWarning {
  const meaning =
    alias === 'externalIdContains'
      ? 'It matches external ids exactly, as in the Kili SDK.'
      : `It is applied as an inclusive bound (${alias.endsWith('Gt') ? '≥' : '≤'}), as in the Kili SDK, not a strict one.`;
  return { code: BffWarningCode.DEPRECATED_FILTER, field, replacement: canonical, message: `\`${alias}\` is deprecated: use \`${canonical}\`. ${meaning}` };
}

/** Merges aliases into their canonical fields. Explicit nulls count as absent; `0` is a value. */
function resolveAliases(input: AssetWhere, path: string, warnings: BffWarning[]): Partial<Record<Canonical, unknown>> {
  const values: Partial<Record<Canonical, unknown>> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== null && value !== undefined && !(key in ALIASES)) values[key as Canonical] = value;
  }
  for (const [alias, canonical] of Object.entries(ALIASES) as [Alias, Canonical][]) {
    const value = input[alias];
    if (value === null || value === undefined) continue;
    const field = `${path}.${alias}`;
    const existing = values[canonical];
    if (existing !== undefined && !sameValue(canonical, existing, value)) {
      throw badUserInput(field, `\`${alias}\` and \`${canonical}\` are both given with different values; give only \`${canonical}\`.`);
    }
    values[canonical] ??= value;
    warnings.push(aliasWarning(alias, canonical, field));
  }
  return values;
}

function validate(values: Partial<Record<Canonical, unknown>>, path: string, warnings: BffWarning[]): void {
  for (const key of DATE_FIELDS) {
    const value = values[key];
    if (value !== undefined && (typeof value !== 'string' || !isDateInput(value))) {
      throw badUserInput(`${path}.${key}`, `\`${key}\` must be a date \`YYYY-MM-DD\` or an ISO-8601 date-time, got ${JSON.stringify(value)}.`);
    }
  }
  for (const range of RANGES) {
    const [gte, lte] = [values[`${range}Gte`], values[`${range}Lte`]];
    if (gte === undefined || lte === undefined) continue;
    // A date-only upper bound covers its whole day (as upstream reads it).
    const [low, high] =
      typeof gte === 'string' ? [dateInputTime(gte), dateInputTime(lte as string, 'end')] : [gte as number, lte as number];
    if (low > high) {
      throw badUserInput(`${path}.${range}Gte`, `\`${range}Gte\` (${JSON.stringify(gte)}) is greater than \`${range}Lte\` (${JSON.stringify(lte)}): nothing can match.`);
    }
  }
  const search = values.labelCategorySearch;
  if (typeof search === 'string') {
    const problem = checkCategorySearch(search);
    if (problem) {
      throw badUserInput(`${path}.labelCategorySearch`, `Invalid \`labelCategorySearch\` at position ${problem.position}: ${problem.message}.`, {
        position: problem.position,
      });
    }
  }
  if (values.metadataWhere !== undefined) {
    const problem = checkMetadataWhere(values.metadataWhere);
    if (problem) {
      const field = problem.key ? `${path}.metadataWhere.${problem.key}` : `${path}.metadataWhere`;
      throw badUserInput(field, `\`metadataWhere${problem.key ? `.${problem.key}` : ''}\` ${problem.message}.`);
    }
  }
  const partial = values.externalIdIn;
  if (Array.isArray(partial) && partial.length > MAX_PARTIAL_EXTERNAL_IDS) {
    warnings.push({
      code: BffWarningCode.TOO_MANY_PARTIAL_EXTERNAL_IDS,
      field: `${path}.externalIdIn`,
      replacement: 'externalIdStrictlyIn',
      message: `More than ${MAX_PARTIAL_EXTERNAL_IDS} partial external ids in one query is deprecated upstream; use \`externalIdStrictlyIn\` for exact matches.`,
    });
  }
}

/**
 * `projectId` + public where → upstream where. `path` names the argument in errors and warnings
 * (default `where`). Throws `BffError` BAD_USER_INPUT; never calls anything.
 */
export function translateWhere(projectId: string, input: AssetWhere | null | undefined, path = 'where'): TranslatedWhere {
  const warnings: BffWarning[] = [];
  const values = input ? resolveAliases(input, path, warnings) : {};
  validate(values, path, warnings);
  const where: Record<string, unknown> = { project: { id: projectId } };
  const label: Record<string, unknown> = {};
  const issue: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values) as [Canonical, unknown][]) {
    if (ASSET_KEYS[key]) where[ASSET_KEYS[key]] = value;
    else if (LABEL_KEYS[key]) label[LABEL_KEYS[key]] = value;
    else if (ISSUE_KEYS[key]) issue[ISSUE_KEYS[key]] = value;
  }
  where.label = label;
  where.issue = issue;
  const matchesNothing = MATCH_LISTS.some((key) => Array.isArray(values[key]) && (values[key] as unknown[]).length === 0);
  return { where: where as UpstreamAssetWhere, warnings, matchesNothing };
}
