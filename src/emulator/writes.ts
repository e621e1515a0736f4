/**
 * Emulator internals: low-level inserts shared by the mutations and the seeders, plus the
 * workflow helpers (status and V2 step of an asset).
 */
import type { Store } from './db.js';
import { badInput } from './errors.js';

export interface NewAsset {
  id: string;
  projectId: string;
  externalId: string;
  content?: string;
  jsonContent?: string;
  jsonMetadata?: string;
  createdAt: string;
  updatedAt?: string;
  status?: string;
  skipped?: boolean;
  isHoneypot?: boolean;
  honeypotMark?: number | null;
  consensusMark?: number | null;
  inferenceMark?: number | null;
  isUsedForConsensus?: boolean;
  priority?: number;
  stepId?: string | null;
  stepStatus?: string | null;
}

const INSERT_ASSET = `INSERT INTO assets (id, project_id, external_id, content, json_content, json_metadata,
  created_at, updated_at, status, skipped, is_honeypot, honeypot_mark, consensus_mark, inference_mark,
  is_used_for_consensus, priority, step_id, step_status)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The number of assets of a parallel-array payload (`appendManyAssets`, async frames): the length
 * of the first array given among `names`; every other array given must have as many entries
 * (BAD_USER_INPUT naming it otherwise).
 */
export function parallelLength(data: object, names: readonly string[]): number {
  const given = names.flatMap((name) => {
    const value = (data as Record<string, unknown>)[name];
    return Array.isArray(value) ? [[name, value.length] as const] : [];
  });
  const [reference, n] = given[0] ?? ['', 0];
  for (const [name, length] of given) {
    if (length !== n) throw badInput(`${name} has ${length} entries but ${reference} has ${n}: every array must have one entry per asset`, name);
  }
  return n;
}

export function insertAsset(store: Store, a: NewAsset): void {
  store.run(INSERT_ASSET, a.id, a.projectId, a.externalId, a.content ?? '', a.jsonContent ?? '', a.jsonMetadata ?? '{}',
    a.createdAt, a.updatedAt ?? a.createdAt, a.status ?? 'TODO', a.skipped ? 1 : 0, a.isHoneypot ? 1 : 0,
    a.honeypotMark ?? null, a.consensusMark ?? null, a.inferenceMark ?? null, a.isUsedForConsensus ? 1 : 0,
    a.priority ?? 0, a.stepId ?? null, a.stepStatus ?? null);
}

export interface NewLabel {
  id: string;
  assetId: string;
  authorId: string | null;
  labelType: string;
  jsonResponse: string;
  createdAt: string;
  secondsToLabel?: number | null;
  consensusMark?: number | null;
  honeypotMark?: number | null;
  inferenceMark?: number | null;
  isHoneypot?: boolean;
  modelName?: string | null;
  isSentBackToQueue?: boolean;
}

const INSERT_LABEL = `INSERT INTO labels (id, asset_id, author_id, label_type, json_response, created_at, updated_at,
  seconds_to_label, is_sent_back_to_queue, consensus_mark, honeypot_mark, inference_mark, is_honeypot, model_name)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function insertLabel(store: Store, l: NewLabel): void {
  store.run(INSERT_LABEL, l.id, l.assetId, l.authorId, l.labelType, l.jsonResponse, l.createdAt, l.createdAt,
    l.secondsToLabel ?? null, l.isSentBackToQueue ? 1 : 0, l.consensusMark ?? null, l.honeypotMark ?? null,
    l.inferenceMark ?? null, l.isHoneypot ? 1 : 0, l.modelName ?? null);
}

/**
 * Status computed from labels (reference §7.1): no label → TODO; only autosaves or predictions
 * → ONGOING; a REVIEW label → REVIEWED; otherwise (a DEFAULT label) → LABELED.
 */
export function statusFromLabels(types: readonly string[]): string {
  if (types.length === 0) return 'TODO';
  if (types.includes('REVIEW')) return 'REVIEWED';
  if (types.includes('DEFAULT')) return 'LABELED';
  return 'ONGOING';
}

/** First step of a V2 project, and its review step (null on V1 projects). */
export function projectSteps(store: Store, projectId: string): { first: string | null; review: string | null } {
  const steps = store.all<{ id: string; type: string }>('SELECT id, type FROM project_steps WHERE project_id = ? ORDER BY position', projectId);
  return { first: steps[0]?.id ?? null, review: steps.find((s) => s.type === 'REVIEW')?.id ?? null };
}

/** Throws BAD_USER_INPUT unless `text` is valid JSON; returns it unchanged. */
export function requireJson(text: string, field: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw badInput(`${field} must be a valid JSON string`, field);
  }
  return text;
}
