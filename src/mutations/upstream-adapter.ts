/**
 * `createMutationUpstream(ctx)`: the mutation port implemented with the BFF's upstream client
 * (`ctx.upstream.execute`, which adds retries, rate limiting and error mapping), the read model of
 * src/upstream/ (the same `assets` documents and parsing as the read path) and the per-request
 * by-external-id loader. Internal.
 */
import type { Config } from '../config.js';
import type { Credential, UpstreamCall, UpstreamClient } from '../upstream/client.js';
import type { InputType, MutationUpstream } from './upstream-port.js';
import { BffError, BffErrorCode } from '../errors/index.js';
import { countAssets, fetchAssetPage } from '../upstream/assets.js';
import { authorizationHeader } from '../upstream/credential.js';
import * as doc from '../upstream/documents.js';

/** What the adapter needs from `BffContext` (structural, so tests can pass a small object). */
export interface MutationUpstreamContext {
  /** The caller's credential; rejects with UNAUTHENTICATED when the request has none. */
  requireCredential(): Credential;
  upstream: UpstreamClient;
  loaders: {
    assetIdByExternalId: {
      loadMany(keys: ReadonlyArray<{ projectId: string; externalId: string }>): Promise<Array<string[] | Error>>;
    };
  };
  config: Pick<Config, 'KILI_API_URL' | 'mutations'>;
}

type Data<K extends string, T> = Record<K, T>;

export function createMutationUpstream(ctx: MutationUpstreamContext): MutationUpstream {
  const credential = (): Credential => ctx.requireCredential();
  const run = <T>(call: UpstreamCall): Promise<T> => ctx.upstream.execute<T>(credential(), call);
  const mutate = (query: string, rootField: string, variables: Record<string, unknown>, idempotent: boolean) =>
    run<Data<'data', unknown>>({ query, variables, rootField, kind: 'mutation', idempotent });
  const projectOf = (data: Data<'data', unknown>): string | null => (data.data as { id?: string } | null)?.id ?? null;
  const idWhere = (ids: readonly string[]): Record<string, unknown> => ({ where: { idIn: [...ids] } });

  return {
    async updatePropertiesInAssets(ids, data) {
      const variables = { whereArray: ids.map((id) => ({ id })), dataArray: data };
      const result = await mutate(doc.UPDATE_PROPERTIES_IN_ASSETS, 'updatePropertiesInAssets', variables, true);
      return ((result.data as Array<{ id: string }> | null) ?? []).map((a) => a.id);
    },
    async deleteManyFromDataset(ids) {
      return projectOf(await mutate(doc.DELETE_MANY_FROM_DATASET, 'deleteManyFromDataset', idWhere(ids), true));
    },
    async addAllLabeledAssetsToReview(ids) {
      return projectOf(await mutate(doc.ADD_ALL_LABELED_ASSETS_TO_REVIEW, 'addAllLabeledAssetsToReview', idWhere(ids), true));
    },
    async sendBackAssetsToQueue(ids) {
      return projectOf(await mutate(doc.SEND_BACK_ASSETS_TO_QUEUE, 'sendBackAssetsToQueue', idWhere(ids), true));
    },
    async appendManyAssets(projectId, data) {
      const result = await mutate(doc.APPEND_MANY_ASSETS, 'appendManyAssets', { data, where: { id: projectId } }, false);
      return ((result.data as Array<{ id: string }> | null) ?? []).map((a) => a.id);
    },
    async filterExistingAssets(projectId, externalIds) {
      const variables = { projectID: projectId, externalIDs: [...externalIds] };
      const result = await run<Data<'external_ids', string[]>>({ query: doc.FILTER_EXISTING_ASSETS, variables, rootField: 'filterExistingAssets', kind: 'query' });
      return result.external_ids ?? [];
    },
    async createUploadBucketSignedUrls(paths) {
      const variables = { filePaths: [...paths] };
      const result = await run<Data<'urls', string[]>>({ query: doc.CREATE_UPLOAD_BUCKET_SIGNED_URLS, variables, rootField: 'createUploadBucketSignedUrls', kind: 'query' });
      return result.urls ?? [];
    },
    upload: (signedUrl, body, contentType) => putSigned(ctx, credential(), signedUrl, body, contentType),
    countAssets: (where) => countAssets({ upstream: ctx.upstream, credential: credential() }, where),
    readAssets: (where, selection, first, skip) =>
      fetchAssetPage({ upstream: ctx.upstream, credential: credential() }, where, { ...selection, id: true }, first, skip),
    async resolveExternalIds(projectId, externalIds) {
      const results = await ctx.loaders.assetIdByExternalId.loadMany(externalIds.map((externalId) => ({ projectId, externalId })));
      const failed = results.find((r): r is Error => r instanceof Error);
      if (failed) throw failed;
      return results as string[][];
    },
    async projectInputType(projectId) {
      const variables = { where: { id: projectId }, first: 1, skip: 0 };
      const result = await run<Data<'data', Array<{ inputType: InputType }>>>({ query: doc.PROJECT_INPUT_TYPE, variables, rootField: 'projects', kind: 'query' });
      return result.data?.[0]?.inputType ?? null;
    },
  };
}

/**
 * PUT to a signed URL as the SDK does (reference §2.3): the URL cut at `&id=`, the content type,
 * and the credential only when the URL is under the Kili base (`…/api/label/v2`).
 */
async function putSigned(ctx: MutationUpstreamContext, credential: Credential, signedUrl: string, body: string, contentType: string): Promise<void> {
  const base = ctx.config.KILI_API_URL?.replace('/api/label/v2/graphql', '/api/label/v2') ?? null;
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (base && signedUrl.startsWith(base)) {
    headers.Authorization = authorizationHeader(credential);
  }
  if (signedUrl.includes('blob.core.windows.net')) headers['x-ms-blob-type'] = 'BlockBlob';
  let response: Response;
  try {
    response = await fetch(signedUrl.split('&id=')[0] as string, {
      method: 'PUT',
      body,
      headers,
      signal: AbortSignal.timeout(ctx.config.mutations.uploadTimeoutMs),
    });
  } catch {
    throw new BffError(BffErrorCode.UPSTREAM_UNAVAILABLE, 'The upload to the upstream bucket failed.');
  }
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new BffError(BffErrorCode.UPSTREAM_ERROR, `The upstream bucket refused the upload (HTTP ${response.status}).`);
}
