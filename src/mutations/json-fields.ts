/**
 * Encoding of JSON-valued inputs into the upstream's JSON-as-string fields (internal, pure),
 * as the SDK does (reference §4.1, §4.3): objects are `JSON.stringify`'d, a string is taken as
 * already-encoded JSON text (SDK parity) and must parse.
 */
import { badUserInput } from '../errors/index.js';

/** `jsonMetadata`: a JSON object (or its JSON text). Returns the JSON text. */
export function encodeMetadata(value: unknown, field: string): string {
  const parsed = typeof value === 'string' ? parseOrThrow(value, field) : value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badUserInput(field, `${field} must be a JSON object.`);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `jsonContent`: any JSON value; a string is sent as is (it may be a URL or JSON text). */
export function encodeJsonContent(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function parseOrThrow(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badUserInput(field, `${field} is a string that is not valid JSON.`);
  }
}

/** Structural equality of two JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}
