/**
 * Internal. Response-cache invalidation by generation tokens, kept in the cache namespace
 * `response-gen` (shared by every replica when the store is Redis). Every cached response's key
 * includes the tokens of what it read: `*` (everything), `p:<projectId>` (a project's assets),
 * `id` (assets read by id, whatever their project). A mutation on project P replaces the tokens
 * of `p:P` and `id`; one whose project is unknown replaces `*`. Old entries are then never looked
 * up again and expire with their TTL. Cheap: one or two writes per mutation. Never rejects.
 */
import { randomUUID } from 'node:crypto';
import type { NamespaceCache } from '../../cache/index.js';

/** Generation tokens outlive any cached response (RESPONSE_CACHE_TTL_MS is at most one day). */
const GENERATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Invalidates the cached responses that read this project's assets (and every response that
 * read assets by id). `null` (project unknown) invalidates every cached response.
 */
export async function invalidateProject(tokens: NamespaceCache, projectId: string | null): Promise<void> {
  const token = randomUUID();
  const scopes = projectId === null ? ['*'] : [`p:${projectId}`, 'id'];
  await Promise.all(scopes.map((scope) => tokens.set(scope, token, GENERATION_TTL_MS)));
}

/** The current generation token of each scope; '0' when never invalidated. */
export function currentGenerations(tokens: NamespaceCache, scopes: readonly string[]): Promise<string[]> {
  return Promise.all(scopes.map(async (scope) => (await tokens.get<string>(scope)) ?? '0'));
}
