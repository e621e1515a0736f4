/**
 * Automatic persisted queries (APQ), one feature. Apollo Server stores a document under its
 * SHA-256 when a client registers it (namespace `apq`: APQ_TTL_SECONDS, and in memory at most
 * APQ_CACHE_MAX_BYTES, least recently used dropped first). This feature decides what may be
 * stored and how client mistakes are answered:
 * - only a request with a credential registers a document, and only one of at most
 *   APQ_MAX_DOCUMENT_BYTES: anything else runs as a plain request and is not stored;
 * - a hash that does not match the document → BAD_REQUEST; a persisted-query version other than
 *   1 → PERSISTED_QUERY_NOT_SUPPORTED (the codes Apollo documents; both HTTP 400, logged at info
 *   with the request, never as unexpected errors).
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext } from '../../context.js';
import { BffErrorCode } from '../../errors/index.js';
import type { BffPlugin } from '../plugin.js';

export interface PersistedQueriesOptions {
  /** Largest document stored, bytes (APQ_MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
}

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function usePersistedQueries({ maxDocumentBytes }: PersistedQueriesOptions): BffPlugin {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async didResolveOperation({ metrics, request, contextValue }) {
      // Apollo stores the document after this hook when `persistedQueryRegister` is still set.
      if (!metrics.persistedQueryRegister) return;
      if (!contextValue.credential || Buffer.byteLength(request.query ?? '') > maxDocumentBytes) metrics.persistedQueryRegister = false;
    },
    async didEncounterErrors({ errors, request }) {
      const persisted = request.extensions?.persistedQuery as PersistedQueryExtension | undefined;
      if (!persisted) return;
      for (const error of errors) {
        if (error.extensions.code !== undefined || error.path) continue;
        const extensions = error.extensions as Record<string, unknown>;
        if (persisted.version !== 1) extensions.code = BffErrorCode.PERSISTED_QUERY_NOT_SUPPORTED;
        else if (typeof request.query === 'string' && sha256(request.query) !== persisted.sha256Hash) extensions.code = BffErrorCode.BAD_REQUEST;
      }
    },
  };
  const plugin: ApolloServerPlugin<BffContext> = {
    async requestDidStart() {
      return listener;
    },
  };
  return { apollo: [plugin] };
}
