/**
 * Asset read operations against the upstream (DESIGN §5, reference §2.1, §5): documents built once
 * per selection, JSON-string fields kept as checked JSON text (src/json-text.ts), and pagination
 * that returns exactly `min(first, available)` distinct assets, fetching pages with bounded
 * concurrency.
 */
import pLimit from 'p-limit';
import type { AssetWhere as UpstreamAssetWhere } from '../__generated__/kili-upstream.js';
import type { Credential, UpstreamClient } from './client.js';
import { assetsDocument, COUNT_ASSETS } from './documents.js';
import type { Selection } from './selection.js';
import { jsonField } from '../json-text.js';
import type { CountHints } from './count-hints.js';

/** A label as read from upstream, `jsonResponse` read by `jsonField` (a `JsonText` when well-formed). */
export interface UpstreamLabel {
  id: string;
  jsonResponse?: unknown;
  [field: string]: unknown;
}

/**
 * An asset as read from upstream (the BFF's one read model of an asset, for the read path and
 * the mutation pipeline's checks alike), with only the selected fields; JSON-string fields read by
 * `jsonField` (`jsonValue` gives their values).
 */
export interface UpstreamAsset {
  id: string;
  projectId?: string;
  externalId?: string;
  status?: string;
  priority?: number;
  jsonMetadata?: unknown;
  jsonContent?: unknown;
  content?: string;
  consensusMark?: number | null;
  honeypotMark?: number | null;
  isUsedForConsensus?: boolean;
  isHoneypot?: boolean;
  toBeLabeledBy?: Array<{ id?: string; email?: string }>;
  resolution?: { width: number; height: number } | null;
  pageResolutions?: Array<{ pageNumber: number; width: number; height: number; rotation?: number | null }> | null;
  labels?: UpstreamLabel[];
  latestLabel?: UpstreamLabel | null;
  [field: string]: unknown;
}

/** Where the upstream operations run: the client and the caller's credential. */
export interface UpstreamScope {
  upstream: UpstreamClient;
  credential: Credential;
  signal?: AbortSignal;
}

/** Reads a raw upstream label's `jsonResponse` in place; returns it (null for none). */
function parseLabel(label: UpstreamLabel | null | undefined): UpstreamLabel | null {
  if (!label) return null;
  if ('jsonResponse' in label) label.jsonResponse = jsonField(label.jsonResponse);
  return label;
}

/**
 * Reads the JSON-string fields of a raw upstream asset in place (the objects come fresh from
 * the upstream answer: no copies) and returns it. `labels` is always a list (empty when not read
 * or null), so `Asset.labels` needs no resolver of its own.
 */
export function parseAsset(asset: UpstreamAsset): UpstreamAsset {
  if ('jsonMetadata' in asset) asset.jsonMetadata = jsonField(asset.jsonMetadata);
  if ('jsonContent' in asset) asset.jsonContent = jsonField(asset.jsonContent);
  const labels = asset.labels;
  if (Array.isArray(labels)) {
    let kept = 0;
    for (const label of labels) if (parseLabel(label)) labels[kept++] = label;
    labels.length = kept;
  } else {
    asset.labels = [];
  }
  if (asset.latestLabel !== undefined) asset.latestLabel = parseLabel(asset.latestLabel);
  serializeLeaves?.(asset);
  return asset;
}

let serializeLeaves: ((asset: UpstreamAsset) => void) | null = null;

/**
 * Installed by the schema when it is built (src/schema/leaves.ts): serializes, in place, the
 * values of built-in scalars and enums of an asset read from upstream, its labels' and users'
 * included, as graphql-js would when writing them (compiled operations do not).
 */
export function setAssetLeafSerializer(serialize: (asset: UpstreamAsset) => void): void {
  serializeLeaves = serialize;
}

/** One upstream `assets` page. */
export async function fetchAssetPage(
  scope: UpstreamScope,
  where: UpstreamAssetWhere,
  selection: Selection,
  first: number,
  skip: number,
): Promise<UpstreamAsset[]> {
  const data = await scope.upstream.execute<{ data: UpstreamAsset[] }>(
    scope.credential,
    { query: assetsDocument(selection), variables: { where, first, skip }, rootField: 'assets', kind: 'query' },
    scope.signal,
  );
  return Array.isArray(data.data) ? data.data.map(parseAsset) : [];
}

export async function countAssets(scope: UpstreamScope, where: UpstreamAssetWhere): Promise<number> {
  const data = await scope.upstream.execute<{ data: number }>(
    scope.credential,
    { query: COUNT_ASSETS, variables: { where }, rootField: 'countAssets', kind: 'query' },
    scope.signal,
  );
  return typeof data.data === 'number' ? data.data : 0;
}

export interface PagingOptions {
  first: number;
  skip: number;
  /** Upstream page size (QUERY_BATCH_SIZE). */
  pageSize: number;
  /** Pages in flight at once besides the first (PAGE_CONCURRENCY). */
  concurrency: number;
  /** Counts remembered from earlier reads (COUNT_HINT_TTL_MS); none: every read waits for its count. */
  hints?: { store: CountHints; ttlMs: number };
}

/**
 * Exactly `min(first, available - skip)` distinct assets in upstream order. One page when
 * `first ≤ pageSize`; otherwise the count and the first page at once and, when the same
 * credential's count for the same filter is remembered from an earlier read (`hints`), the pages
 * that count calls for, at once too; once the count is in, the pages it calls for beyond those,
 * with at most `concurrency` pages in flight besides the first. A remembered count only decides
 * which pages go out before the count is in: the assets returned are set by this read's own count
 * (pages past it that went out return nothing or are cut; those not sent yet never are). Pages are
 * taken in order as they arrive, once the count is in, so that little is left to do once the last
 * one is. Duplicates (rows shifting between pages) are dropped by id.
 */
export async function listAssets(
  scope: UpstreamScope,
  where: UpstreamAssetWhere,
  selection: Selection,
  { first, skip, pageSize, concurrency, hints }: PagingOptions,
): Promise<UpstreamAsset[]> {
  if (first <= 0) return [];
  if (first <= pageSize) {
    const out = new DistinctAssets(first);
    out.take(await fetchAssetPage(scope, where, selection, first, skip));
    return out.assets;
  }
  const hintKey = hints ? hints.store.key(scope.credential, where) : null;
  const remembered = hintKey === null ? undefined : hints?.store.get(hintKey);
  const limit = pLimit(concurrency);
  // Assets wanted (relative to skip): unknown until the count is in.
  let wanted = Number.POSITIVE_INFINITY;
  // Once a call has failed, so has the read: pages not sent yet never are.
  let failed = false;
  const guarded = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      failed = true;
      throw error;
    });
  const counted = guarded(countAssets(scope, where));
  const out = new DistinctAssets(first);
  // Pages in offset order; `arrived[i]` holds page i from its answer until it is taken.
  const settled: Promise<void>[] = [];
  const arrived: Array<UpstreamAsset[] | undefined> = [];
  const offsets: number[] = [];
  let next = 0;
  let countIn = false;
  const takeInOrder = (): void => {
    if (!countIn) return;
    for (; next < arrived.length && arrived[next] !== undefined; next++) {
      const rows = arrived[next] as UpstreamAsset[];
      // A page past the first holds what a page sent once the count was in would: up to `wanted`.
      const room = next === 0 ? rows.length : wanted - (offsets[next] as number);
      out.take(room >= rows.length ? rows : rows.slice(0, Math.max(0, room)));
      arrived[next] = undefined;
    }
  };
  const add = (page: Promise<UpstreamAsset[]>, offset: number): void => {
    const i = arrived.length;
    arrived.push(undefined);
    offsets.push(offset);
    const done = page.then((assets) => {
      arrived[i] = assets;
      takeInOrder();
    });
    done.catch(() => {}); // observed below; a read that already failed leaves the others unobserved
    settled.push(done);
  };
  const fetchPage = async (size: number, offset: number): Promise<UpstreamAsset[]> => {
    if (failed || offset >= wanted) return [];
    try {
      return await fetchAssetPage(scope, where, selection, size, skip + offset);
    } catch (error) {
      // A page past what the count calls for (sent on a remembered count that was too high) is
      // not needed: its failure is not the read's. Known once the count is in.
      if (!countIn) await counted.catch(() => undefined);
      if (offset >= wanted) return [];
      failed = true;
      throw error;
    }
  };
  // Pages from `covered` (relative to skip) up to `end`, in order.
  let covered = pageSize;
  const addPages = (end: number): void => {
    while (covered < end) {
      const offset = covered;
      const size = Math.min(pageSize, end - offset);
      covered += size;
      add(limit(() => fetchPage(size, offset)), offset);
    }
  };
  const firstPage = guarded(fetchAssetPage(scope, where, selection, pageSize, skip));
  add(firstPage, 0);
  // Whole pages up to the remembered count, so that the pages the count adds (if it grew) start where these end.
  if (remembered !== undefined) addPages(Math.min(first, Math.ceil(Math.max(0, remembered - skip) / pageSize) * pageSize));
  const count = counted.then((total) => {
    if (hintKey !== null && hints) hints.store.set(hintKey, total, hints.ttlMs);
    wanted = Math.min(first, Math.max(0, total - skip));
    addPages(wanted);
    countIn = true;
    takeInOrder();
  });
  // The count, as soon as it is in; a failure of either call ends the read at once.
  await Promise.race([count, firstPage.then(() => count)]);
  await Promise.all(settled);
  return out.assets;
}

/** Assets in the order taken, each id once, at most `max`. */
class DistinctAssets {
  readonly assets: UpstreamAsset[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  take(page: readonly UpstreamAsset[]): void {
    for (const asset of page) {
      if (this.assets.length === this.max) return;
      if (this.seen.has(asset.id)) continue;
      this.seen.add(asset.id);
      this.assets.push(asset);
    }
  }
}
