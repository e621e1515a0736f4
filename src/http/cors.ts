/**
 * CORS for /graphql (internal module), on when CORS_ORIGINS is set. The allowed request headers
 * are what browser GraphQL clients and their instrumentation send, so a preflight never rejects a
 * real frontend; CORS_ALLOW_HEADERS adds more. The exposed response headers let page scripts read
 * the request id and the response-cache marker.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

/** Request headers every allowed origin may send. */
export const DEFAULT_ALLOWED_HEADERS: readonly string[] = [
  // GraphQL over HTTP and credentials
  'content-type',
  'accept',
  'authorization',
  'x-api-key',
  'idempotency-key',
  'x-request-id',
  // Apollo Client (client awareness, CSRF-prevention headers)
  'apollographql-client-name',
  'apollographql-client-version',
  'x-apollo-operation-name',
  'apollo-require-preflight',
  // OpenTelemetry (W3C Trace Context and Baggage) and Sentry
  'traceparent',
  'tracestate',
  'baggage',
  'sentry-trace',
];

/** Response headers page scripts may read (beyond the CORS-safelisted ones). */
export const EXPOSED_HEADERS: readonly string[] = ['x-request-id', 'x-bff-cache'];

/** Preflight answers are cached by the browser this long, seconds. */
export const PREFLIGHT_MAX_AGE_S = 600;

/** The CORS middleware for CORS_ORIGINS, or null when CORS is off (same origin only). */
export function corsMiddleware(config: Readonly<Config>): RequestHandler | null {
  if (config.CORS_ORIGINS.length === 0) return null;
  return cors({
    origin: config.CORS_ORIGINS.includes('*') ? true : [...config.CORS_ORIGINS],
    methods: ['GET', 'POST'],
    allowedHeaders: [...new Set([...DEFAULT_ALLOWED_HEADERS, ...config.CORS_ALLOW_HEADERS])],
    exposedHeaders: [...EXPOSED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
}
