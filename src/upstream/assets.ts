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
  /** Pages in flight at once (PAGE_CONCURRENCY). */
  concurrency: number;
}

/**
 * Exactly `min(first, available - skip)` distinct assets in upstream order. One page when
 * `first ≤ pageSize`; otherwise the count and the first page at once, then, as soon as the count
 * is in, the remaining pages it calls for, with bounded concurrency. Pages are taken in order as
 * they arrive, so that little is left to do once the last one is in. Duplicates (rows shifting
 * between pages) are dropped by id.
 */
export async function listAssets(
  scope: UpstreamScope,
  where: UpstreamAssetWhere,
  selection: Selection,
  { first, skip, pageSize, concurrency }: PagingOptions,
): Promise<UpstreamAsset[]> {
  if (first <= 0) return [];
  const out = new DistinctAssets(first);
  if (first <= pageSize) {
    out.take(await fetchAssetPage(scope, where, selection, first, skip));
    return out.assets;
  }
  const counted = countAssets(scope, where);
  const firstPage = fetchAssetPage(scope, where, selection, pageSize, skip);
  // The count, as soon as it is in; a failure of either call ends the read at once.
  const total = await Promise.race([counted, firstPage.then(() => counted)]);
  const wanted = Math.min(first, Math.max(0, total - skip));
  const limit = pLimit(concurrency);
  // Once a page has failed, so has the read: pages not sent yet never are.
  let failed = false;
  const fetchPage = async (size: number, offset: number): Promise<UpstreamAsset[]> => {
    if (failed) return [];
    try {
      return await fetchAssetPage(scope, where, selection, size, offset);
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  firstPage.catch(() => {
    failed = true;
  });
  const pages: Promise<UpstreamAsset[]>[] = [firstPage];
  for (let offset = pageSize; offset < wanted; offset += pageSize) {
    const size = Math.min(pageSize, wanted - offset);
    pages.push(limit(() => fetchPage(size, skip + offset)));
  }
  const arrived: Array<UpstreamAsset[] | undefined> = new Array(pages.length);
  let next = 0;
  await Promise.all(
    pages.map(async (page, i) => {
      arrived[i] = await page;
      for (; next < pages.length && arrived[next] !== undefined; next++) {
        out.take(arrived[next] as UpstreamAsset[]);
        arrived[next] = undefined;
      }
    }),
  );
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
