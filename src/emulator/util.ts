/**
 * Emulator internals: id generation (cuid-like, monotonic), timestamps and small JSON helpers.
 * Ids generated in one process sort in creation order, so `ORDER BY created_at, id` keeps the
 * insertion order of a batch whose assets share one timestamp.
 */
import { randomBytes } from 'node:crypto';

let counter = 0;
let lastMs = 0;
const fingerprint = (process.pid % 1_679_616).toString(36).padStart(4, '0');

let pool = Buffer.alloc(0);
let poolAt = 0;

/** 6 random bytes as a number (drawn from a pooled buffer: one syscall per 1,024 ids). */
function random48(): number {
  if (poolAt + 6 > pool.length) {
    pool = randomBytes(6 * 1024);
    poolAt = 0;
  }
  const v = pool.readUIntBE(poolAt, 6);
  poolAt += 6;
  return v;
}

/** A 25-character cuid-like id (`c` + time + counter + fingerprint + random), monotonic per process. */
export function newId(): string {
  const ms = Math.max(Date.now(), lastMs);
  if (ms !== lastMs) lastMs = ms;
  counter = (counter + 1) % 1_679_616;
  if (counter === 0) lastMs += 1; // counter wrapped: move to the next millisecond to stay ordered
  const rand = random48().toString(36).padStart(8, '0').slice(-8);
  return `c${lastMs.toString(36).padStart(8, '0')}${counter.toString(36).padStart(4, '0')}${fingerprint}${rand}`;
}

/** Current time as ISO-8601 with milliseconds and `Z`. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Parses JSON, returning `fallback` when the text is not valid JSON. */
export function parseJsonOr<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** SQLite has no boolean: map JS values to bindable ones. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
