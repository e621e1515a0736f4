/**
 * Append uploads (internal): raw text and rich-text JSON are stored in the upstream bucket before
 * the asset is created, as the SDK does (reference §6.5, §2.3): `createUploadBucketSignedUrls` per
 * 30 paths, then one PUT per file (3 attempts), and the signed URL becomes the asset's content.
 */
import type { MutationUpstream } from './upstream-port.js';
import type { MutationSettings } from './types.js';
import type { AppendRow } from './append-prepare.js';
import type { Clock } from './verify.js';
import { chunk, mapLimited } from './lists.js';

import { uploadPath } from './append-prepare.js';

/** PUTs in flight at once per batch (the SDK uploads with a thread pool). */
const UPLOAD_CONCURRENCY = 10;

/** Uploads what `rows` need and writes each signed URL into the row. Rejects on failure. */
export async function uploadRows(
  upstream: MutationUpstream,
  projectId: string,
  rows: readonly AppendRow[],
  settings: MutationSettings,
  clock: Clock,
): Promise<void> {
  const pending = rows.filter((r) => r.upload !== null);
  if (pending.length === 0) return;
  const urlLists = await mapLimited(chunk(pending, settings.signedUrlChunkSize), settings.concurrency, (part) =>
    upstream.createUploadBucketSignedUrls(part.map((r) => uploadPath(projectId, r))),
  );
  const urls = urlLists.flat();
  await mapLimited(
    pending.map((row, i) => ({ row, url: urls[i] as string })),
    UPLOAD_CONCURRENCY,
    async ({ row, url }) => {
      const upload = row.upload;
      if (!upload || !url) throw new TypeError(`no signed URL for asset ${row.id}`);
      await withAttempts(settings.uploadAttempts, settings.uploadRetryDelayMs, clock, () => upstream.upload(url, upload.body, upload.contentType));
      row[upload.target] = url;
    },
  );
}

async function withAttempts(attempts: number, delayMs: number, clock: Clock, fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await clock.sleep(delayMs * (1 + Math.random()));
    }
  }
}
