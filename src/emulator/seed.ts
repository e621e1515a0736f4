/**
 * Emulator internals: seeding. `seedDemo` writes the deterministic demo data set (reference
 * demo: an organization, admin/labeler/reviewer, a TEXT V1 and an IMAGE V2 project, plus an
 * outsider's project); `seedBulk` adds N plain assets to a project in one transaction.
 */
import type { Store } from './db.js';
import type { DemoSeed } from './types.js';
import { DEMO_USERS, IMAGE_INTERFACE, KEY_EXPIRY, ORG_ID, OTHER_ORG_ID, SEED_TIME, TEXT_INTERFACE, type DemoKind, demoMetadata, demoResponse, hoursAfter } from './seed-data.js';
import { insertAsset, insertLabel, projectSteps } from './writes.js';
import { newId, nowIso, parseJsonOr } from './util.js';

const PROJECTS = {
  text: { id: 'project-demo-text', title: 'Demo TEXT project', kind: 'text' as DemoKind, inputType: 'TEXT', workflow: 'V1', json: TEXT_INTERFACE, count: 200, base: '2024-01-01T00:00:00.000Z', org: ORG_ID, created: '2023-12-01T00:00:00.000Z' },
  image: { id: 'project-demo-image', title: 'Demo IMAGE project', kind: 'image' as DemoKind, inputType: 'IMAGE', workflow: 'V2', json: IMAGE_INTERFACE, count: 120, base: '2024-03-01T00:00:00.000Z', org: ORG_ID, created: '2023-12-02T00:00:00.000Z' },
  outsider: { id: 'project-outsider', title: 'Outsider TEXT project', kind: 'text' as DemoKind, inputType: 'TEXT', workflow: 'V1', json: TEXT_INTERFACE, count: 20, base: '2024-05-01T00:00:00.000Z', org: OTHER_ORG_ID, created: '2023-12-03T00:00:00.000Z' },
};

function insertUser(store: Store, u: { id: string; email: string; firstname: string; lastname: string; org: string }, key: string): void {
  store.run('INSERT OR IGNORE INTO users (id, email, firstname, lastname, organization_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', u.id, u.email, u.firstname, u.lastname, u.org, SEED_TIME);
  store.run('INSERT OR IGNORE INTO api_keys (id, key, user_id, name, created_at, expiry_date) VALUES (?, ?, ?, ?, ?, ?)', `key-${u.id}-${key.slice(-6)}`, key, u.id, 'Demo key', SEED_TIME, KEY_EXPIRY);
}

/** The organization and the admin user with its key (present whatever the seed). */
export function seedBaseline(store: Store, adminKey: string): void {
  store.tx(() => {
    store.run('INSERT OR IGNORE INTO organizations (id, name, upload_local_data, created_at) VALUES (?, ?, 1, ?)', ORG_ID, 'Demo organization', SEED_TIME);
    insertUser(store, DEMO_USERS.admin, adminKey);
    store.setMeta('adminKey', adminKey);
  });
}

function seedProject(store: Store, p: (typeof PROJECTS)[keyof typeof PROJECTS], members: [string, string][]): void {
  store.run('INSERT INTO projects (id, title, description, input_type, json_interface, workflow_version, organization_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    p.id, p.title, `${p.title} (demo seed)`, p.inputType, p.json, p.workflow, p.org, p.created);
  for (const [userId, role] of members) store.run('INSERT INTO project_users (id, project_id, user_id, role) VALUES (?, ?, ?, ?)', `pu-${p.id}-${userId}`, p.id, userId, role);
  const labeling = p.workflow === 'V2' ? `step-${p.kind}-labeling` : null;
  const review = p.workflow === 'V2' ? `step-${p.kind}-review` : null;
  if (labeling && review) {
    store.run('INSERT INTO project_steps (id, project_id, name, type, position) VALUES (?, ?, ?, ?, ?)', labeling, p.id, 'Labeling', 'DEFAULT', 0);
    store.run('INSERT INTO project_steps (id, project_id, name, type, position) VALUES (?, ?, ?, ?, ?)', review, p.id, 'Review', 'REVIEW', 1);
  }
  const [labeler, admin] = [members.find(([, r]) => r === 'LABELER')?.[0] ?? members[0]![0], members[0]![0]];
  const reviewer = members.find(([, r]) => r === 'REVIEWER')?.[0] ?? admin;
  for (let i = 0; i < p.count; i++) seedAsset(store, p, i, { labeler, admin, reviewer, labeling, review });
}

interface Cast { labeler: string; admin: string; reviewer: string; labeling: string | null; review: string | null }

/** One demo asset: scenario `i % 10` picks its status (see README). */
function seedAsset(store: Store, p: (typeof PROJECTS)[keyof typeof PROJECTS], i: number, c: Cast): void {
  const id = `${p.id.replace('project-', '')}-asset-${String(i).padStart(4, '0')}`;
  const createdAt = hoursAfter(p.base, i);
  const k = i % 10;
  const sentBack = k === 3 && i % 20 === 13;
  const status = k <= 2 ? 'TODO' : k === 3 ? 'ONGOING' : k === 7 ? 'TO_REVIEW' : k === 8 ? 'REVIEWED' : 'LABELED';
  const skipped = i % 31 === 5;
  const inference = i % 7 === 0 && k >= 4 ? ((i * 13) % 100) / 100 : null;
  const consensus = k === 9 ? 0.5 + (Math.floor(i / 10) % 5) / 10 : null;
  const stepId = k <= 3 ? c.labeling : c.review;
  const stepStatus = !stepId ? null : skipped ? 'SKIPPED' : k <= 2 ? 'TO_DO' : k === 3 ? (sentBack ? 'REDO' : 'DOING') : k === 8 ? 'DONE' : 'TO_DO';
  insertAsset(store, {
    id, projectId: p.id, externalId: `${p.kind}-${i}`, createdAt, updatedAt: hoursAfter(createdAt, 0.5),
    content: p.kind === 'text' ? `Demo text ${i}: Ada met Lea in Paris to talk about Kili.` : `https://storage.demo.kili.local/images/image-${i}.jpg`,
    jsonMetadata: demoMetadata(i), status, skipped, isHoneypot: i % 25 === 0, honeypotMark: i % 25 === 0 ? (i % 100) / 100 : null,
    consensusMark: consensus, inferenceMark: inference, isUsedForConsensus: k === 9, priority: i % 4, stepId, stepStatus,
  });
  const label = (n: number, authorId: string, labelType: string, extra: { classOnly?: boolean; sentBack?: boolean } = {}) => insertLabel(store, {
    id: `${id}-label-${n}`, assetId: id, authorId, labelType, createdAt: hoursAfter(createdAt, 1 + n * 0.25),
    jsonResponse: demoResponse(p.kind, i, i % 4, extra.classOnly), secondsToLabel: 10 + (i % 50),
    consensusMark: consensus, honeypotMark: i % 25 === 0 ? (i % 100) / 100 : null, inferenceMark: inference,
    isHoneypot: i % 25 === 0, isSentBackToQueue: extra.sentBack ?? false,
  });
  if (k === 3) label(0, c.labeler, sentBack ? 'DEFAULT' : 'AUTOSAVE', { classOnly: !sentBack, sentBack });
  if (k >= 4) label(0, k === 5 ? c.admin : c.labeler, 'DEFAULT');
  if (k === 8) label(1, c.reviewer, 'REVIEW');
  if (k === 9) label(1, c.admin, 'DEFAULT');
  if (i % 4 === 0) store.run('INSERT INTO asset_assignees (asset_id, user_id) VALUES (?, ?)', id, c.labeler);
  if (i % 6 === 1) store.run('INSERT INTO asset_assignees (asset_id, user_id) VALUES (?, ?)', id, c.reviewer);
  const issue = i % 15 === 0 ? ['ISSUE', 'OPEN'] : i % 15 === 7 ? ['QUESTION', 'OPEN'] : i % 45 === 20 ? ['ISSUE', 'SOLVED'] : i % 45 === 38 ? ['QUESTION', 'CANCELLED'] : null;
  if (issue) {
    const issueId = `${id}-issue`;
    store.run('INSERT INTO issues (id, asset_id, project_id, type, status, created_at, author_id) VALUES (?, ?, ?, ?, ?, ?, ?)', issueId, id, p.id, issue[0], issue[1], hoursAfter(createdAt, 2), c.reviewer);
    store.run('INSERT INTO comments (id, issue_id, text, created_at, author_id) VALUES (?, ?, ?, ?, ?)', `${issueId}-comment`, issueId, issue[0] === 'QUESTION' ? 'Which category applies here?' : 'The label looks wrong.', hoursAfter(createdAt, 2), c.reviewer);
  }
}

/** Writes the demo data set (idempotent: returns the recorded one when already present). */
export function seedDemo(store: Store, adminKey: string): DemoSeed {
  const existing = readDemo(store);
  if (existing) return existing;
  return store.tx(() => {
    seedBaseline(store, adminKey);
    store.run('INSERT OR IGNORE INTO organizations (id, name, upload_local_data, created_at) VALUES (?, ?, 1, ?)', OTHER_ORG_ID, 'Other organization', SEED_TIME);
    for (const u of [DEMO_USERS.labeler, DEMO_USERS.reviewer, DEMO_USERS.outsider]) insertUser(store, u, u.key);
    const [a, l, r] = [DEMO_USERS.admin.id, DEMO_USERS.labeler.id, DEMO_USERS.reviewer.id];
    seedProject(store, PROJECTS.text, [[a, 'ADMIN'], [l, 'LABELER'], [r, 'REVIEWER']]);
    seedProject(store, PROJECTS.image, [[a, 'ADMIN'], [l, 'LABELER'], [r, 'REVIEWER']]);
    seedProject(store, PROJECTS.outsider, [[DEMO_USERS.outsider.id, 'ADMIN']]);
    const user = (u: { id: string; email: string }, apiKey: string) => ({ id: u.id, email: u.email, apiKey });
    const project = (p: (typeof PROJECTS)[keyof typeof PROJECTS]) => ({ id: p.id, title: p.title, assetCount: p.count });
    const demo: DemoSeed = {
      organizationId: ORG_ID,
      users: {
        admin: user(DEMO_USERS.admin, adminKey), labeler: user(DEMO_USERS.labeler, DEMO_USERS.labeler.key),
        reviewer: user(DEMO_USERS.reviewer, DEMO_USERS.reviewer.key), outsider: user(DEMO_USERS.outsider, DEMO_USERS.outsider.key),
      },
      projects: { text: project(PROJECTS.text), image: project(PROJECTS.image), outsider: project(PROJECTS.outsider) },
    };
    store.setMeta('demo', JSON.stringify(demo));
    return demo;
  });
}

export function readDemo(store: Store): DemoSeed | null {
  return parseJsonOr<DemoSeed | null>(store.getMeta('demo'), null);
}

export interface BulkSeed { projectId: string; count: number; externalIdPrefix?: string; labeled?: boolean }

/** Creates `count` assets (TODO, or LABELED with one DEFAULT label) in one transaction. */
export function seedBulk(store: Store, s: BulkSeed): string[] {
  const project = store.get<{ id: string; json_interface: string }>('SELECT id, json_interface FROM projects WHERE id = ?', s.projectId);
  if (!project) throw new Error(`Unknown project: ${s.projectId}`);
  const author = store.get<{ user_id: string }>(`SELECT user_id FROM project_users WHERE project_id = ? ORDER BY CASE role WHEN 'LABELER' THEN 0 WHEN 'ADMIN' THEN 1 ELSE 2 END LIMIT 1`, s.projectId)?.user_id ?? null;
  const response = bulkResponse(project.json_interface);
  const steps = projectSteps(store, s.projectId);
  const prefix = s.externalIdPrefix ?? 'bulk-';
  return store.tx(() => {
    const now = nowIso();
    const ids: string[] = [];
    for (let i = 0; i < s.count; i++) {
      const id = newId();
      const stepId = s.labeled ? (steps.review ?? steps.first) : steps.first;
      insertAsset(store, { id, projectId: s.projectId, externalId: `${prefix}${i}`, createdAt: now, status: s.labeled ? 'LABELED' : 'TODO', stepId, stepStatus: stepId ? 'TO_DO' : null });
      if (s.labeled) insertLabel(store, { id: newId(), assetId: id, authorId: author, labelType: 'DEFAULT', jsonResponse: response, createdAt: now });
      ids.push(id);
    }
    return ids;
  });
}

/** One classification answer on the project's first job/category, or `{}`. */
function bulkResponse(jsonInterface: string): string {
  const ji = parseJsonOr<{ jobs?: Record<string, { content?: { categories?: Record<string, unknown> } }> }>(jsonInterface, {});
  const [job, def] = Object.entries(ji.jobs ?? {})[0] ?? [];
  const category = Object.keys(def?.content?.categories ?? {})[0];
  return job && category ? JSON.stringify({ [job]: { categories: [{ name: category, confidence: 100 }] } }) : '{}';
}
