/**
 * Bench-internal: the Kili Python SDK's network algorithms, reproduced over raw GraphQL so the
 * bench can run them directly against the upstream (the emulator) as baselines.
 *
 * Faithful to reference/kili-upstream.md:
 * - documents as the SDK sends them after gql's `print_ast` (§2), root fields aliased `data:`;
 * - pagination (§5.1): the count always first, then SEQUENTIAL pages of 100; with `id` among the
 *   fields the unicity path (first_i = 100 on every page, stop on an empty or short page, and the
 *   "one extra asset per further full page" quirk when `first` is set);
 * - batched mutations (§6.1, §6.2): sequential batches of 100 in input order, `sleep(1)` after
 *   the last batch, then the optional last-asset check retried with wait_exponential(1, 1..8 s).
 *
 * Everything goes through an injected `execute`, so the algorithms are unit-tested with a stub.
 */

/** Sends one document and resolves with the response's `data` (rejects on GraphQL errors). */
export type Execute = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** @default QUERY_BATCH_SIZE and MUTATION_BATCH_SIZE of the SDK (`~/core/constants.py`). */
export const SDK_BATCH_SIZE = 100;

export type AssetRow = Record<string, unknown> & { id?: string };

/**
 * Dotted field paths → a nested GraphQL selection, as the SDK's `fragment_builder` does
 * (`labels.author.id` + `labels.id` → `labels { author { id } id }`), printed with print_ast's
 * two-space indentation starting at `indent`.
 */
export function buildSelection(fields: readonly string[], indent = 4): string {
  interface Node { [k: string]: Node }
  const root: Node = {};
  for (const f of fields) {
    let node = root;
    for (const part of f.split('.')) node = node[part] ??= {};
  }
  const print = (node: Node, depth: number): string[] =>
    Object.entries(node).flatMap(([name, child]) => {
      const pad = ' '.repeat(depth);
      return Object.keys(child).length === 0
        ? [`${pad}${name}`]
        : [`${pad}${name} {`, ...print(child, depth + 2), `${pad}}`];
    });
  return print(root, indent).join('\n');
}

/** `query assets(...)` (reference §2.1), printed as gql's print_ast does. */
export function assetsDocument(fields: readonly string[]): string {
  return (
    'query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n' +
    '  data: assets(where: $where, skip: $skip, first: $first) {\n' +
    `${buildSelection(fields)}\n` +
    '  }\n}'
  );
}

/** `query countAssets(...)` (reference §2.1). */
export const COUNT_ASSETS_DOCUMENT =
  'query countAssets($where: AssetWhere!) {\n  data: countAssets(where: $where)\n}';

/** The anonymous `updatePropertiesInAssets` mutation (reference §2.2). */
export const UPDATE_PROPERTIES_DOCUMENT =
  'mutation ($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) {\n' +
  '  data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) {\n    id\n  }\n}';

/** The minimal AssetWhere the SDK sends for a project (reference §1.7, §3.1). */
export function projectWhere(projectId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, project: { id: projectId }, label: {}, issue: {} };
}

export interface PaginateOptions {
  where: Record<string, unknown>;
  fields: readonly string[];
  /** The SDK's `first` (null/undefined: everything). */
  first?: number | null;
  /** @default 0 */
  skip?: number;
  /** @default 100 */
  batchSize?: number;
}

export interface PaginateResult {
  rows: AssetRow[];
  /** Upstream calls made (count + pages). */
  calls: number;
  pages: number;
}

/**
 * `execute_query_from_paginated_call` (reference §5.1): countAssets, then sequential pages.
 * With `id` among the fields, the unicity path (every page asks for `batchSize`, stop on an empty
 * or short page; reaching `first` only ends the current page, as in the SDK).
 */
export async function sdkPaginate(execute: Execute, options: PaginateOptions): Promise<PaginateResult> {
  const skip = options.skip ?? 0;
  const batchSize = options.batchSize ?? SDK_BATCH_SIZE;
  const first = options.first ?? null;
  const document = assetsDocument(options.fields);
  let calls = 0;
  let pages = 0;

  calls += 1;
  const countData = await execute(COUNT_ASSETS_DOCUMENT, { where: options.where });
  const count = Number(countData['data']);
  const available = Math.max(count - skip, 0);
  const toFetch = first === null ? available : Math.min(available, first);
  const rows: AssetRow[] = [];
  if (toFetch === 0) return { rows, calls, pages };

  const unicity = options.fields.includes('id');
  const seen = new Set<string>();
  let retrieved = 0;
  for (;;) {
    if (!unicity && retrieved >= toFetch) break;
    const firstI = unicity ? batchSize : Math.min(batchSize, toFetch - retrieved);
    calls += 1;
    pages += 1;
    const data = await execute(document, { where: options.where, skip: retrieved + skip, first: firstI });
    const page = data['data'];
    if (!Array.isArray(page)) throw new TypeError('assets page is not a list');
    if (page.length === 0) break;
    for (const element of page as AssetRow[]) {
      if (unicity) {
        const id = element.id;
        if (id === undefined) throw new Error('Unicity field id not found in queried elements');
        if (seen.has(id)) continue;
        seen.add(id);
        rows.push(element);
        if (rows.length >= toFetch) break; // ends this page only (reference §5.1 item 4)
      } else {
        rows.push(element);
      }
    }
    retrieved += page.length;
    if (page.length < firstI) break;
  }
  return { rows, calls, pages };
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A last-batch check (reference §6.2): resolves true when it passes. */
export type LastAssetCheck = (execute: Execute, lastAssetId: string) => Promise<boolean>;

export interface MutateOptions {
  assetIds: readonly string[];
  /** One `AssetData` per asset, positions matched with `assetIds`. */
  data: ReadonlyArray<Record<string, unknown>>;
  /** @default 100 */
  batchSize?: number;
  /** @default setTimeout */
  sleep?: Sleep;
  /** update_properties_in_assets has none (reference §6.2); delete/review/queue have one. */
  lastAssetCheck?: LastAssetCheck;
  /** The SDK retries the check forever; the bench gives up after this long. @default 120000 */
  checkDeadlineMs?: number;
}

export interface MutateResult {
  ids: string[];
  /** Upstream calls made (batches + checks). */
  calls: number;
  batches: number;
  checkAttempts: number;
}

/**
 * `update_properties_in_assets` through `mutate_from_paginated_call` (reference §6.1): the
 * batches of 100 are sent sequentially in input order, then `sleep(1)`, then the optional check
 * on the last asset of the last batch with wait_exponential(multiplier=1, min=1, max=8).
 */
export async function sdkUpdatePropertiesInAssets(execute: Execute, options: MutateOptions): Promise<MutateResult> {
  const { assetIds, data } = options;
  if (assetIds.length !== data.length) throw new Error(`array should have length ${assetIds.length}`);
  const batchSize = options.batchSize ?? SDK_BATCH_SIZE;
  const sleep = options.sleep ?? realSleep;
  const ids: string[] = [];
  let calls = 0;
  let batches = 0;
  for (let start = 0; start < assetIds.length; start += batchSize) {
    const whereArray = assetIds.slice(start, start + batchSize).map((id) => ({ id }));
    const dataArray = data.slice(start, start + batchSize);
    calls += 1;
    batches += 1;
    let result: Record<string, unknown>;
    try {
      result = await execute(UPDATE_PROPERTIES_DOCUMENT, { whereArray, dataArray });
    } catch (error) {
      throw new Error(`GraphQL error at index ${start}: ${(error as Error).message}"`, { cause: error });
    }
    for (const row of (result['data'] as Array<{ id: string }> | null) ?? []) ids.push(row.id);
  }
  await sleep(1000);
  let checkAttempts = 0;
  const last = assetIds.at(-1);
  if (options.lastAssetCheck && last !== undefined) {
    const deadline = Date.now() + (options.checkDeadlineMs ?? 120_000);
    for (let attempt = 0; ; attempt += 1) {
      checkAttempts += 1;
      calls += 1;
      if (await options.lastAssetCheck(execute, last)) break;
      if (Date.now() > deadline) throw new Error('last-asset check still failing at the bench deadline');
      await sleep(Math.min(8, Math.max(1, 2 ** attempt)) * 1000);
    }
  }
  return { ids, calls, batches, checkAttempts };
}

/** The delete check of reference §6.2: `countAssets(idIn: [last])` == 0. */
export function deletedCheck(projectId: string): LastAssetCheck {
  return async (execute, last) => {
    const data = await execute(COUNT_ASSETS_DOCUMENT, { where: projectWhere(projectId, { idIn: [last] }) });
    return Number(data['data']) === 0;
  };
}

/** The add_to_review / send_back_to_queue check of reference §6.2: the last asset has `status`. */
export function statusCheck(projectId: string, status: 'TO_REVIEW' | 'ONGOING'): LastAssetCheck {
  return async (execute, last) => {
    const data = await execute(COUNT_ASSETS_DOCUMENT, {
      where: projectWhere(projectId, { idIn: [last], statusIn: [status] }),
    });
    return Number(data['data']) === 1;
  };
}

/**
 * One asset by id, one upstream call (the `assets` document with `where: {id, project}`,
 * first 1): the per-entity baseline of the batching scenario.
 */
export async function sdkAssetById(
  execute: Execute,
  projectId: string,
  id: string,
  fields: readonly string[],
): Promise<AssetRow | null> {
  const data = await execute(assetsDocument(fields), { where: projectWhere(projectId, { id }), skip: 0, first: 1 });
  const page = data['data'] as AssetRow[];
  return page[0] ?? null;
}
