/**
 * Emulator internals: visibility checks shared by the mutations. A user sees only the projects
 * they are a member of; other projects and their assets behave as if they did not exist.
 */
import type { AssetWhere } from '../__generated__/kili-upstream.js';
import type { Row } from './db.js';
import type { EmuContext } from './context.js';
import { memberships, projectById } from './context.js';
import { matchIds, visible } from './assets.js';
import { notFound } from './errors.js';
import { explicitIds } from './where.js';

/** The project, when the caller is a member; NOT_FOUND otherwise. */
export function requireProject(ctx: EmuContext, id: string | null | undefined): Row {
  const project = id ? projectById(ctx, id) : null;
  if (!project || !memberships(ctx).has(id as string)) {
    throw notFound(`project ID: ${id ?? ''}. The project does not exist or you do not have access to it.`);
  }
  return project;
}

export interface Target {
  id: string;
  project_id: string;
}

/**
 * The visible assets among `ids` (one query), by id; throws NOT_FOUND listing the others
 * (`missingIds`). For positional and single-asset mutations, which must not skip silently.
 */
export function requireAssets(ctx: EmuContext, ids: readonly string[]): Map<string, Target> {
  const unique = [...new Set(ids)];
  const seen = visible(ctx);
  const rows = unique.length === 0 ? [] : ctx.store.all<Target>('SELECT id, project_id FROM assets WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(unique));
  const found = new Map(rows.filter((r) => seen.has(r.project_id)).map((r) => [r.id, r]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) throw notFound(`Assets not found: ${missing.join(', ')}`, { missingIds: missing });
  return found;
}

/** Assets matching `where`; NOT_FOUND when an id it names is not a visible asset. */
export function targets(ctx: EmuContext, where: AssetWhere): Target[] {
  requireAssets(ctx, explicitIds(where));
  return matchIds(ctx, where);
}

/**
 * Resolves user ids or emails to user ids. Only users of the caller's organization can be named:
 * any other (unknown, or in another organization) is NOT_FOUND, so that the answer does not tell
 * whether a user exists elsewhere.
 */
export function userIds(ctx: EmuContext, refs: readonly (string | null)[]): string[] {
  const wanted = refs.filter((r): r is string => r != null);
  const rows = ctx.store.all<{ id: string; email: string }>(
    'SELECT id, email FROM users WHERE organization_id = ? AND (id IN (SELECT value FROM json_each(?)) OR email IN (SELECT value FROM json_each(?)))',
    ctx.user.organization_id, JSON.stringify(wanted), JSON.stringify(wanted),
  );
  return wanted.map((ref) => {
    const u = rows.find((r) => r.id === ref || r.email === ref);
    if (!u) throw notFound(`User not found: ${ref}`);
    return u.id;
  });
}

