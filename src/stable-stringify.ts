/**
 * Internal. JSON text with object keys sorted at every level, so `{a, b}` and `{b, a}` give the
 * same text: the one canonical form behind every hash and key the BFF derives from client values
 * (response-cache keys, `Idempotency-Key` body hashes). `undefined` properties are left out, as
 * `JSON.stringify` does; `undefined` elsewhere prints as `null`.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(record[key])}`).join(',')}}`;
}
