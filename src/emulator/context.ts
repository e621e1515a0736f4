/**
 * Emulator internals: the per-request GraphQL context and the small per-request caches that
 * keep asset pages free of N+1 queries.
 */
import type { Store, Row } from './db.js';

export interface UserRow {
  id: string;
  email: string;
  firstname: string;
  lastname: string;
  organization_id: string;
}

export interface EmuContext {
  store: Store;
  user: UserRow;
  /** Source of new ids (replayed when a write is applied later, see faults). */
  newId: () => string;
  /** Public origin, e.g. `http://127.0.0.1:4001` (signed upload URLs). */
  origin: string;
  /** Secret used to sign upload URLs. */
  uploadSecret: string;
  cache: Map<string, unknown>;
}

/** Memoises `load()` under `key` for the duration of the request. */
export function cached<T>(ctx: EmuContext, key: string, load: () => T): T {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as T;
  const value = load();
  ctx.cache.set(key, value);
  return value;
}

export function userById(ctx: EmuContext, id: string | null | undefined): Row | null {
  if (!id) return null;
  return cached(ctx, `user:${id}`, () => ctx.store.get('SELECT * FROM users WHERE id = ?', id) ?? null);
}

export function projectById(ctx: EmuContext, id: string): Row | null {
  return cached(ctx, `project:${id}`, () => ctx.store.get('SELECT * FROM projects WHERE id = ?', id) ?? null);
}

/** Project ids the caller is a member of, with their role. */
export function memberships(ctx: EmuContext): Map<string, string> {
  return cached(ctx, 'memberships', () => {
    const rows = ctx.store.all<{ project_id: string; role: string }>('SELECT project_id, role FROM project_users WHERE user_id = ?', ctx.user.id);
    return new Map(rows.map((r) => [r.project_id, r.role]));
  });
}
