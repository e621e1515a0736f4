/**
 * Internal. The bounds on every public input (DESIGN §14), in one place, and the pure checks that
 * apply them. Each bound is far above what Kili SDK users send (noted per bound) and is checked
 * before any upstream call: a value beyond it is `BAD_USER_INPUT` naming the field, with
 * `extensions.limit` (the bound) and `extensions.actual` (what was sent). The README's security
 * section lists the same table. Every measurement here is iterative: no input can overflow the stack.
 */
import { Kind, type ValueNode } from 'graphql';
import { badUserInput, type BffError } from '../errors/index.js';

export const INPUT_LIMITS = {
  /** Characters of an asset id or project id (Kili ids are 25-character cuids). */
  ID_CHARS: 256,
  /** Characters of an external id (SDK default: 32-hex uuid; users put file names here). */
  EXTERNAL_ID_CHARS: 1_024,
  /** Entries of `assetIdIn`, `assetIdNotIn`, `externalIdStrictlyIn` (one `assets` page is at most 10,000). */
  FILTER_ID_LIST: 10_000,
  /** Entries of `externalIdIn` (partial match; the SDK warns above 10 and plans to enforce 10). */
  PARTIAL_EXTERNAL_IDS: 100,
  /** Entries of `statusIn`, `labelTypeIn`, `labelAuthorIn`, `labelReviewerIn`. */
  FILTER_VALUE_LIST: 1_000,
  /** Characters of a user name or email (`labelAuthorIn`, `labelReviewerIn`, `toBeLabeledBy`; RFC 5321 allows 254). */
  NAME_CHARS: 320,
  /** Keys of `metadataWhere` (the SDK's examples use one or two). */
  METADATA_KEYS: 100,
  /** Characters of a `metadataWhere` key. */
  METADATA_KEY_CHARS: 256,
  /** Entries of one `metadataWhere` list value. */
  METADATA_VALUES: 1_000,
  /** Characters of one `metadataWhere` string value. */
  METADATA_VALUE_CHARS: 10_000,
  /** Characters of `labelCategorySearch`. */
  CATEGORY_SEARCH_CHARS: 10_000,
  /** Conditions (`JOB.CATEGORY.count OP N`) of one `labelCategorySearch`. */
  CATEGORY_SEARCH_CONDITIONS: 200,
  /** Parenthesis nesting of `labelCategorySearch`. */
  CATEGORY_SEARCH_DEPTH: 32,
  /** Nesting of any JSON input (`metadataWhere`, `jsonMetadata`, `jsonContent`, objects and lists alike). */
  JSON_DEPTH: 64,
  /** Characters of one asset's `jsonMetadata` as JSON text. */
  JSON_METADATA_CHARS: 1_000_000,
  /** Characters of one asset's `jsonContent` as JSON text (rich text, video frame maps). */
  JSON_CONTENT_CHARS: 10_000_000,
  /** Characters of one asset's `content` (a URL, or the text itself for text projects). */
  CONTENT_CHARS: 10_000_000,
  /** Entries of one asset's `toBeLabeledBy`. */
  ASSIGNEES: 1_000,
  /** Entries of one asset's `pageResolutions` (one per PDF page). */
  PAGE_RESOLUTIONS: 10_000,
  /** Assets of one mutation: `assets`, `assetIds` or `externalIds` (bulk operations run 100,000 at once). */
  MUTATION_ASSETS: 100_000,
  /**
   * Bracket nesting (`{`, `[`, `(`) of a GraphQL document. graphql-js parses recursively; this keeps
   * it far from the stack's end while leaving room for the depth limit plus `JSON_DEPTH` literals.
   */
  DOCUMENT_NESTING: 256,
  /** Nesting of one variable's value: `JSON_DEPTH` plus the public schema's own input nesting. */
  VARIABLE_DEPTH: 64 + 8,
} as const;


/**
 * A bound exceeded inside a scalar's parsing (the `JSON` scalar). A plain Error on purpose, like
 * `DateInputError`: graphql-js then attaches the value's AST node (literals) or its path
 * (variables), from which the error formatter names the field and gives it BAD_USER_INPUT.
 */
export class InputLimitError extends Error {
  constructor(
    readonly what: string,
    readonly limit: number,
    readonly actual: number,
  ) {
    super(`${what}: at most ${limit} allowed, got ${actual}.`);
    this.name = 'InputLimitError';
  }
}

/** `BAD_USER_INPUT` for `field` over `limit`. */
export function limitError(field: string, what: string, limit: number, actual: number): BffError {
  return badUserInput(field, `\`${field}\` ${what}: at most ${limit} allowed, got ${actual}.`, { limit, actual });
}

/** Checks a string's length in UTF-16 code units (what JavaScript and GraphQL count). */
export function checkChars(value: string | null | undefined, field: string, limit: number): void {
  if (typeof value === 'string' && value.length > limit) throw limitError(field, 'is too long (characters)', limit, value.length);
}

/** Checks a list's length, then (with `entryLimit`) each string entry's length. */
export function checkList(list: readonly unknown[] | null | undefined, field: string, limit: number, entryLimit?: number): void {
  if (!Array.isArray(list)) return;
  if (list.length > limit) throw limitError(field, 'has too many entries', limit, list.length);
  if (entryLimit === undefined) return;
  list.forEach((entry, i) => checkChars(entry as string, `${field}[${i}]`, entryLimit));
}

/** Nesting of a JSON value (0 for a scalar, 1 for `{}` or `[]`…), measured iteratively. */
export function valueDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > max) max = level;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, level]);
    }
  }
  return max;
}

/** Nesting of a GraphQL value literal (objects and lists), iteratively, as `valueDepth`. */
export function literalDepth(node: ValueNode): number {
  let max = 0;
  const stack: [ValueNode, number][] = [[node, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current.kind !== Kind.OBJECT && current.kind !== Kind.LIST) continue;
    const level = depth + 1;
    if (level > max) max = level;
    if (current.kind === Kind.LIST) for (const child of current.values) stack.push([child, level]);
    else for (const field of current.fields) stack.push([field.value, level]);
  }
  return max;
}

/**
 * Bracket nesting of a text (JSON text, or a GraphQL document when `graphql` is set: `(` counts,
 * `#` starts a comment, `"""` block strings), ignoring brackets inside strings. One linear pass.
 */
export function textDepth(text: string, graphql = false): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      if (graphql && text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        i = end === -1 ? text.length : end + 2;
        continue;
      }
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (graphql && c === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '{' || c === '[' || (graphql && c === '(')) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === '}' || c === ']' || (graphql && c === ')')) {
      depth--;
    }
  }
  return max;
}

/**
 * A JSON input (`jsonMetadata`, `jsonContent`): an object or list (nesting, and size as JSON
 * text), or a string taken as JSON text (size, then nesting), the way the mutation stages encode it.
 */
export function checkJsonInput(value: unknown, field: string, charLimit: number): void {
  if (value === null || value === undefined) return;
  const { JSON_DEPTH } = INPUT_LIMITS;
  if (typeof value === 'string') {
    checkChars(value, field, charLimit);
    const depth = textDepth(value);
    if (depth > JSON_DEPTH) throw limitError(field, 'is nested too deeply', JSON_DEPTH, depth);
    return;
  }
  const depth = valueDepth(value);
  if (depth > JSON_DEPTH) throw limitError(field, 'is nested too deeply', JSON_DEPTH, depth);
  const text = JSON.stringify(value);
  if (text !== undefined && text.length > charLimit) throw limitError(field, 'is too large (characters of JSON text)', charLimit, text.length);
}
