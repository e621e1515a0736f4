/**
 * The log line and metric sample of a /graphql request that never reaches Apollo's request
 * pipeline (internal module): invalid JSON, a batched array body, a missing query, a CSRF-blocked
 * content type, a context that could not be built. Requests that do reach it are logged and
 * measured by the observability plugin (plugins/observability/index.ts), which marks them here, so every
 * request gets exactly one line and one sample.
 */
import type { RequestHandler, Response } from 'express';
import type { RequestTrace } from '../context.js';
import type { Logger } from '../log.js';
import { httpRequestDuration, upstreamCallsPerRequest } from '../metrics.js';


/** Error codes of an error response body written by Apollo or the express error handler. */
function codesOf(body: string): string[] | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) return undefined;
    return [...new Set(parsed.errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
  } catch {
    return ['INTERNAL_SERVER_ERROR'];
  }
}

/** The trace of this response, created by `graphqlRequestLog`; undefined outside /graphql. */
export function requestTraceOf(res: Response): RequestTrace | undefined {
  return res.locals.requestTrace as RequestTrace | undefined;
}

/**
 * Express middleware for /graphql. Requests carrying `x-bff-warm-up: <warmUpToken>` (the start-up
 * warm-up) are neither logged nor measured. Error bodies are read only for requests outside the
 * pipeline, which are small (Apollo's and the error handler's own messages).
 */
export function graphqlRequestLog(logger: Logger, warmUpToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (warmUpToken !== undefined && req.get('x-bff-warm-up') === warmUpToken) return next();
    const started = performance.now();
    const trace: RequestTrace = { inPipeline: false };
    res.locals.requestTrace = trace;
    let codes: string[] | undefined;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (!trace.inPipeline && res.statusCode >= 400) codes = typeof body === 'string' ? codesOf(body) : ['INTERNAL_SERVER_ERROR'];
      return send(body);
    };
    res.once('close', () => {
      if (trace.inPipeline) return;
      const durationMs = performance.now() - started;
      const status = res.writableFinished ? res.statusCode : 499;
      httpRequestDuration.observe({ operation: 'unknown', root_field: 'none', outcome: codes || status >= 400 ? 'error' : 'ok' }, durationMs / 1000);
      upstreamCallsPerRequest.observe(0);
      const level = status >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { requestId: String(res.locals.requestId), durationMs: Math.round(durationMs * 10) / 10, upstreamCalls: 0, status, errors: codes },
        'graphql request',
      );
    });
    next();
  };
}
