/**
 * JSON logs (pino). Credentials are never logged: request headers are not serialised, and the
 * redaction list below is a second line of defence.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'kili-asset-bff' },
    redact: { paths: ['authorization', 'headers.authorization', 'headers["x-api-key"]', 'credential.value', '*.apiKey'], censor: '[redacted]' },
  });
}

/** Longest client-controlled string (operation name, path, error text…) written to a log line. */
export const MAX_LOGGED_CHARS = 200;

/**
 * `value` cut to `max` characters, saying how much was cut: every client-controlled string goes
 * through this before it is logged, so one request cannot write a huge log line.
 */
export function clip(value: string, max?: number): string;
export function clip(value: string | undefined, max?: number): string | undefined;
export function clip(value: string | undefined, max = MAX_LOGGED_CHARS): string | undefined {
  if (value === undefined || value.length <= max) return value;
  return `${value.slice(0, max)}…[${value.length - max} more chars]`;
}
