/**
 * Asset read operations against the upstream (DESIGN §5, reference §2.1, §5): documents built once
 * per selection, JSON-string fields parsed, and pagination that returns exactly
 * `min(first, available)` distinct assets, fetching pages with bounded concurrency.
 */
import pLimit from 'p-limit';
import type { AssetWhere as UpstreamAssetWhere } from '../__generated__/kili-upstream.js';
import type { Credential, UpstreamClient } from './client.js';
import { assetsDocument, COUNT_ASSETS } from './documents.js';
import type { Selection } from './selection.js';

/** A label as read from upstream, `jsonResponse` parsed. */
export interface UpstreamLabel {
  id: string;
  jsonResponse?: unknown;
  [field: string]: unknown;
}

/**
 * An asset as read from upstream (the BFF's one read model of an asset, for the read path and
 * the mutation pipeline's checks alike), with only the selected fields; JSON-string fields parsed.
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

/** JSON text → value; '' → null; text that is not JSON (e.g. a URL) is kept as a string. */
export function parseJsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  if (value === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function parseLabel(label: UpstreamLabel | null | undefined): UpstreamLabel | null {
  if (!label) return null;
  return 'jsonResponse' in label ? { ...label, jsonResponse: parseJsonField(label.jsonResponse) } : label;
}

/** Parses the JSON-string fields of a raw upstream asset (in place, for speed; returns it). */
export function parseAsset(asset: UpstreamAsset): UpstreamAsset {
  if ('jsonMetadata' in asset) asset.jsonMetadata = parseJsonField(asset.jsonMetadata);
  if ('jsonContent' in asset) asset.jsonContent = parseJsonField(asset.jsonContent);
  if (Array.isArray(asset.labels)) asset.labels = asset.labels.map((l) => parseLabel(l)!).filter(Boolean);
  if (asset.latestLabel !== undefined) asset.latestLabel = parseLabel(asset.latestLabel);
  return asset;
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
 * `first ≤ pageSize`; otherwise the count and the first page at once, then the remaining pages
 * with bounded concurrency. Duplicates (rows shifting between pages) are dropped by id.
 */
export async function listAssets(
  scope: UpstreamScope,
  where: UpstreamAssetWhere,
  selection: Selection,
  { first, skip, pageSize, concurrency }: PagingOptions,
): Promise<UpstreamAsset[]> {
  if (first <= 0) return [];
  let pages: UpstreamAsset[][];
  if (first <= pageSize) {
    pages = [await fetchAssetPage(scope, where, selection, first, skip)];
  } else {
    const [total, firstPage] = await Promise.all([countAssets(scope, where), fetchAssetPage(scope, where, selection, pageSize, skip)]);
    const wanted = Math.min(first, Math.max(0, total - skip));
    const limit = pLimit(concurrency);
    const rest: Promise<UpstreamAsset[]>[] = [];
    if (firstPage.length === pageSize) {
      for (let offset = pageSize; offset < wanted; offset += pageSize) {
        const size = Math.min(pageSize, wanted - offset);
        rest.push(limit(() => fetchAssetPage(scope, where, selection, size, skip + offset)));
      }
    }
    pages = [firstPage, ...(await Promise.all(rest))];
  }
  const seen = new Set<string>();
  const out: UpstreamAsset[] = [];
  for (const page of pages) {
    for (const asset of page) {
      if (seen.has(asset.id)) continue;
      seen.add(asset.id);
      out.push(asset);
      if (out.length === first) return out;
    }
  }
  return out;
}
