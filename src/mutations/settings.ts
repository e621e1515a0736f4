/**
 * Pipeline settings, resolved once per request from the BFF config (internal).
 *
 * Only MUTATION_CONCURRENCY and VERIFY_DEADLINE_MS are public config keys (DESIGN §10). The
 * backoff bounds may be given as VERIFY_BACKOFF_MIN_MS / VERIFY_BACKOFF_MAX_MS (tests use small
 * values); everything else is fixed by the upstream contract (reference §6).
 */
import type { MutationSettings } from './types.js';

export const DEFAULT_SETTINGS: Readonly<MutationSettings> = Object.freeze({
  batchSize: 100,
  concurrency: 12,
  verifyDeadlineMs: 30_000,
  verifyBackoffMinMs: 1_000,
  verifyBackoffMaxMs: 8_000,
  countChunkSize: 1_000,
  readChunkSize: 500,
  filterExistingChunkSize: 1_000,
  signedUrlChunkSize: 30,
  uploadAttempts: 3,
  uploadRetryDelayMs: 1_000,
  appendResends: 2,
  idempotencyTtlMs: 24 * 60 * 60 * 1000,
});

const CONFIG_KEYS: ReadonlyArray<readonly [string, keyof MutationSettings]> = [
  ['MUTATION_CONCURRENCY', 'concurrency'],
  ['VERIFY_DEADLINE_MS', 'verifyDeadlineMs'],
  ['VERIFY_BACKOFF_MIN_MS', 'verifyBackoffMinMs'],
  ['VERIFY_BACKOFF_MAX_MS', 'verifyBackoffMaxMs'],
  ['UPLOAD_RETRY_DELAY_MS', 'uploadRetryDelayMs'],
];

/**
 * Reads the known keys from a config object (already validated by `loadConfig`); absent keys
 * keep their defaults. Throws TypeError naming a key whose value is not a usable number, since
 * that is a wiring bug, not a request problem.
 */
export function settingsFromConfig(config: object, overrides: Partial<MutationSettings> = {}): MutationSettings {
  const settings: MutationSettings = { ...DEFAULT_SETTINGS };
  const source = config as Record<string, unknown>;
  for (const [key, name] of CONFIG_KEYS) {
    const value = source[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`Config ${key} must be a non-negative number, got ${JSON.stringify(value)}`);
    }
    settings[name] = value;
  }
  Object.assign(settings, overrides);
  settings.concurrency = Math.max(1, Math.floor(settings.concurrency));
  settings.verifyBackoffMaxMs = Math.max(settings.verifyBackoffMaxMs, settings.verifyBackoffMinMs);
  return settings;
}
