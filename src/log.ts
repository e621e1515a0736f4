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
