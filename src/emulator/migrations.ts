/**
 * Emulator internals: the SQLite schema, applied in order at start-up (PRAGMA user_version
 * records the last applied migration, so file databases are upgraded in place).
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, upload_local_data INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL);
  CREATE TABLE users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, firstname TEXT NOT NULL DEFAULT '',
    lastname TEXT NOT NULL DEFAULT '', organization_id TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, name TEXT NOT NULL,
    created_at TEXT NOT NULL, expiry_date TEXT NOT NULL);
  CREATE TABLE projects (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    input_type TEXT NOT NULL, json_interface TEXT NOT NULL DEFAULT '{}',
    workflow_version TEXT NOT NULL DEFAULT 'V1', organization_id TEXT NOT NULL,
    created_at TEXT NOT NULL);
  CREATE TABLE project_steps (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
    position INTEGER NOT NULL);
  CREATE INDEX project_steps_project ON project_steps(project_id, position);
  CREATE TABLE project_users (
    id TEXT NOT NULL, project_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id));
  CREATE INDEX project_users_user ON project_users(user_id);
  CREATE TABLE assets (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, external_id TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '', json_content TEXT NOT NULL DEFAULT '',
    json_metadata TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'TODO', skipped INTEGER NOT NULL DEFAULT 0,
    is_honeypot INTEGER NOT NULL DEFAULT 0, honeypot_mark REAL, consensus_mark REAL,
    inference_mark REAL, is_used_for_consensus INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 0, resolution TEXT, page_resolutions TEXT,
    step_id TEXT, step_status TEXT, ocr_metadata TEXT, duration REAL);
  CREATE INDEX assets_project_created ON assets(project_id, created_at, id);
  CREATE INDEX assets_project_external ON assets(project_id, external_id);
  CREATE INDEX assets_external ON assets(external_id);
  CREATE TABLE asset_assignees (
    asset_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (asset_id, user_id));
  CREATE INDEX asset_assignees_user ON asset_assignees(user_id);
  CREATE TABLE labels (
    id TEXT PRIMARY KEY, asset_id TEXT NOT NULL, author_id TEXT, label_type TEXT NOT NULL,
    json_response TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    seconds_to_label REAL, is_sent_back_to_queue INTEGER NOT NULL DEFAULT 0,
    consensus_mark REAL, honeypot_mark REAL, inference_mark REAL,
    is_honeypot INTEGER NOT NULL DEFAULT 0, model_name TEXT);
  CREATE INDEX labels_asset ON labels(asset_id, created_at, id);
  CREATE TABLE issues (
    id TEXT PRIMARY KEY, asset_id TEXT NOT NULL, project_id TEXT NOT NULL, type TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL, author_id TEXT);
  CREATE INDEX issues_asset ON issues(asset_id);
  CREATE TABLE comments (
    id TEXT PRIMARY KEY, issue_id TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL,
    author_id TEXT);
  CREATE INDEX comments_issue ON comments(issue_id);
  CREATE TABLE uploads (
    path TEXT PRIMARY KEY, content_type TEXT NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL,
    created_at TEXT NOT NULL, has_been_seen INTEGER NOT NULL DEFAULT 0);
  `,
];

/** Tables emptied by a reset, children first. */
export const DATA_TABLES = [
  'comments', 'issues', 'labels', 'asset_assignees', 'assets', 'uploads', 'notifications',
  'project_users', 'project_steps', 'projects', 'api_keys', 'users', 'organizations', 'meta',
] as const;

/** Applies the migrations not yet recorded in `PRAGMA user_version`. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
