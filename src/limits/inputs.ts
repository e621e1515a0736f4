/**
 * Internal, pure. Which public input gets which bound of `INPUT_LIMITS`: the filters of the
 * queries, the arguments of the six mutations, and the shape of a GraphQL request before Apollo
 * parses it. Each check throws `BAD_USER_INPUT` (field, limit, actual) and calls nothing.
 */
import type { AssetWhere } from '../__generated__/bff.js';
import type { BffError } from '../errors/index.js';
import { INPUT_LIMITS as L, checkChars, checkJsonInput, checkList, limitError, textDepth, valueDepth } from './index.js';

/** `projectId`, an asset id, or any other id argument. */
export function checkId(value: string | null | undefined, field: string): void {
  checkChars(value, field, L.ID_CHARS);
}

/**
 * `labelCategorySearch`: size, conditions and parenthesis nesting, in one linear pass, before the
 * (recursive) parser sees it.
 */
export function checkCategorySearchSize(query: string, field: string): void {
  checkChars(query, field, L.CATEGORY_SEARCH_CHARS);
  let depth = 0;
  let max = 0;
  for (const c of query) {
    if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth--;
  }
  if (max > L.CATEGORY_SEARCH_DEPTH) throw limitError(field, 'nests parentheses too deeply', L.CATEGORY_SEARCH_DEPTH, max);
  const conditions = (query.match(/\b(?:AND|OR)\b/g)?.length ?? 0) + 1;
  if (conditions > L.CATEGORY_SEARCH_CONDITIONS) {
    throw limitError(field, 'has too many conditions', L.CATEGORY_SEARCH_CONDITIONS, conditions);
  }
}

function checkMetadataWhereSize(value: unknown, field: string): void {
  const depth = valueDepth(value);
  if (depth > L.JSON_DEPTH) throw limitError(field, 'is nested too deeply', L.JSON_DEPTH, depth);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const entries = Object.entries(value);
  if (entries.length > L.METADATA_KEYS) throw limitError(field, 'has too many keys', L.METADATA_KEYS, entries.length);
  for (const [key, condition] of entries) {
    if (key.length > L.METADATA_KEY_CHARS) {
      throw limitError(`${field}.${key.slice(0, 32)}…`, 'has a key that is too long (characters)', L.METADATA_KEY_CHARS, key.length);
    }
    const values = Array.isArray(condition) ? condition : [condition];
    if (Array.isArray(condition)) checkList(condition, `${field}.${key}`, L.METADATA_VALUES);
    values.forEach((v, i) => {
      if (typeof v === 'string') checkChars(v, Array.isArray(condition) ? `${field}.${key}[${i}]` : `${field}.${key}`, L.METADATA_VALUE_CHARS);
    });
  }
}

/** Every list, string and expression of a public `AssetWhere` (aliases included). */
export function checkWhere(where: AssetWhere | null | undefined, path = 'where'): void {
  if (!where) return;
  const at = (key: string) => `${path}.${key}`;
  checkId(where.assetId, at('assetId'));
  for (const key of ['assetIdIn', 'assetIdNotIn'] as const) checkList(where[key], at(key), L.FILTER_ID_LIST, L.ID_CHARS);
  for (const key of ['externalIdStrictlyIn', 'externalIdContains'] as const) {
    checkList(where[key], at(key), L.FILTER_ID_LIST, L.EXTERNAL_ID_CHARS);
  }
  checkList(where.externalIdIn, at('externalIdIn'), L.PARTIAL_EXTERNAL_IDS, L.EXTERNAL_ID_CHARS);
  for (const key of ['statusIn', 'labelTypeIn'] as const) checkList(where[key], at(key), L.FILTER_VALUE_LIST);
  for (const key of ['labelAuthorIn', 'labelReviewerIn'] as const) checkList(where[key], at(key), L.FILTER_VALUE_LIST, L.NAME_CHARS);
  if (where.metadataWhere != null) checkMetadataWhereSize(where.metadataWhere, at('metadataWhere'));
  if (typeof where.labelCategorySearch === 'string') checkCategorySearchSize(where.labelCategorySearch, at('labelCategorySearch'));
}

interface AssetFields {
  id?: string | null;
  externalId?: string | null;
  newExternalId?: string | null;
  content?: string | null;
  jsonContent?: unknown;
  jsonMetadata?: unknown;
  toBeLabeledBy?: readonly string[] | null;
  pageResolutions?: readonly unknown[] | null;
}

interface MutationInputs {
  projectId?: string | null;
  assets?: readonly AssetFields[] | null;
  assetIds?: readonly string[] | null;
  externalIds?: readonly string[] | null;
}

/** The arguments of any of the six public mutations (they share these names, DESIGN §3). */
export function checkMutationInputs(args: MutationInputs): void {
  checkId(args.projectId, 'projectId');
  checkList(args.assetIds, 'assetIds', L.MUTATION_ASSETS, L.ID_CHARS);
  checkList(args.externalIds, 'externalIds', L.MUTATION_ASSETS, L.EXTERNAL_ID_CHARS);
  checkList(args.assets, 'assets', L.MUTATION_ASSETS);
  args.assets?.forEach((asset, i) => {
    const at = (key: string) => `assets[${i}].${key}`;
    checkId(asset.id, at('id'));
    checkChars(asset.externalId, at('externalId'), L.EXTERNAL_ID_CHARS);
    checkChars(asset.newExternalId, at('newExternalId'), L.EXTERNAL_ID_CHARS);
    checkChars(asset.content, at('content'), L.CONTENT_CHARS);
    checkJsonInput(asset.jsonMetadata, at('jsonMetadata'), L.JSON_METADATA_CHARS);
    checkJsonInput(asset.jsonContent, at('jsonContent'), L.JSON_CONTENT_CHARS);
    checkList(asset.toBeLabeledBy, at('toBeLabeledBy'), L.ASSIGNEES, L.NAME_CHARS);
    checkList(asset.pageResolutions, at('pageResolutions'), L.PAGE_RESOLUTIONS);
  });
}

/**
 * The shape of one GraphQL HTTP request body (or GET query string) before Apollo parses it: the
 * document's bracket nesting and each variable's nesting. null when within bounds. Linear in the
 * body size; recursion-free.
 */
export function checkRequestShape(request: unknown): BffError | null {
  for (const item of Array.isArray(request) ? request : [request]) {
    const error = checkOneRequest(item);
    if (error) return error;
  }
  return null;
}

function checkOneRequest(request: unknown): BffError | null {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return null;
  const { query, variables } = request as { query?: unknown; variables?: unknown };
  if (typeof query === 'string') {
    const nesting = textDepth(query, true);
    if (nesting > L.DOCUMENT_NESTING) return limitError('query', 'nests brackets too deeply', L.DOCUMENT_NESTING, nesting);
  }
  if (typeof variables === 'string') {
    // GET: variables as JSON text; one level for the variables object itself.
    const nesting = textDepth(variables) - 1;
    if (nesting > L.VARIABLE_DEPTH) return limitError('variables', 'nests values too deeply', L.VARIABLE_DEPTH, nesting);
  } else if (variables !== null && typeof variables === 'object' && !Array.isArray(variables)) {
    for (const [name, value] of Object.entries(variables)) {
      const depth = valueDepth(value);
      if (depth > L.VARIABLE_DEPTH) return limitError(name, 'nests values too deeply', L.VARIABLE_DEPTH, depth);
    }
  }
  return null;
}
