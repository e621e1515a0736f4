/**
 * Helpers of the bulk-operation tests: GraphQL documents, polling an operation until a condition
 * holds, and a graphql-ws client collecting what a subscription pushes.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GqlResponse } from '../helpers/stack.js';

export const OPERATION_FIELDS = `id kind projectId status total processed appliedCount failedCount unknownOutcomeCount verified
  createdAt startedAt finishedAt warnings { code field } error { code message }
  result { projectId assetIds batches verified }
  appliedAssetIds(first: 10000) failedAssetIds(first: 10000) unknownOutcomeAssetIds(first: 10000)`;

export interface Operation {
  id: string;
  kind: string;
  projectId: string | null;
  status: string;
  total: number;
  processed: number;
  appliedCount: number;
  failedCount: number;
  unknownOutcomeCount: number;
  verified: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  warnings: { code: string; field: string | null }[];
  error: { code: string; message: string } | null;
  result: { projectId: string | null; assetIds: string[]; batches: number; verified: boolean } | null;
  appliedAssetIds: string[];
  failedAssetIds: string[];
  unknownOutcomeAssetIds: string[];
}

export const UPDATE = `mutation ($p: ID, $a: [AssetPropertiesInput!]!, $async: Boolean) {
  updatePropertiesInAssets(projectId: $p, assets: $a, async: $async) {
    assetIds batches verified warnings { code field } operation { id status total kind }
  }
}`;

export const GET = `query ($id: ID!) { bulkOperation(id: $id) { ${OPERATION_FIELDS} } }`;

export const FINAL = new Set(['COMPLETED', 'PARTIAL_FAILURE', 'FAILED', 'CANCELED']);

type Gql = (query: string, variables?: Record<string, unknown>, options?: { key?: string | null; headers?: Record<string, string> }) => Promise<GqlResponse>;

/** Reads the operation until `until` holds (every 50 ms, at most `timeoutMs`). */
export async function pollOperation(gql: Gql, id: string, until: (op: Operation) => boolean, timeoutMs = 60_000, key?: string): Promise<Operation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await gql(GET, { id }, key === undefined ? {} : { key });
    const op = (body.data as { bulkOperation: Operation | null } | undefined)?.bulkOperation;
    if (!op) throw new Error(`bulkOperation(${id}) answered ${JSON.stringify(body)}`);
    if (until(op)) return op;
    if (Date.now() > deadline) throw new Error(`operation ${id} still ${op.status} (${op.processed}/${op.total}) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const isFinal = (op: Operation) => FINAL.has(op.status);

export interface Subscribed {
  /** Every payload received, in order. */
  received: Array<{ data?: { bulkOperation: { status: string; processed: number } } | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Resolves when the server completes the subscription (or rejects on a protocol error). */
  done: Promise<void>;
  close(): Promise<void>;
}

/**
 * Subscribes with graphql-ws to `bulkOperation(id)` at `url` (http → ws), with `connectionParams`
 * (and `upgradeHeaders` on the WebSocket upgrade request, as a gateway propagating headers sends).
 */
export function subscribeOperation(httpUrl: string, id: string, connectionParams: Record<string, string>, upgradeHeaders: Record<string, string> = {}): Subscribed {
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: upgradeHeaders });
    }
  }
  const client = createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WithHeaders, connectionParams, retryAttempts: 0, lazy: true });
  const received: Subscribed['received'] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query: `subscription ($id: ID!) { bulkOperation(id: $id) { status processed } }`, variables: { id } },
      { next: (value) => void received.push(value as Subscribed['received'][number]), error: reject, complete: resolve },
    );
  });
  return { received, done, close: () => client.dispose() as Promise<void> };
}
