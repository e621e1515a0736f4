/**
 * The log line and metric sample of a /graphql request that never reaches Apollo's request
 * pipeline (internal module): invalid JSON, a batched array body, a missing query, a CSRF-blocked
 * content type, a context that could not be built. Requests that do reach it are logged and
 * measured by the observability plugin (plugins/observability/index.ts), which marks them here, so every
 * request gets exactly one line and one sample.
 */
import type { Express, RequestHandler, Response } from 'express';
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

/** A request's trace as this module keeps it: with the error codes of what was sent, if any. */
interface LoggedTrace extends RequestTrace {
  codes: string[] | undefined;
}

/** Marks a response prototype whose `send` already records error codes. */
const RECORDING = Symbol('requestLog.recordingCodes');

/**
 * Makes `res.send` (which `res.json` calls) of the app's responses record the error codes of a
 * body sent with status 400 or more by a request outside Apollo's pipeline, on that request's
 * trace. Done once, on the app's response prototype: assigning a function to each response
 * instead (`res.send = …`) kept every request's objects, response included, alive through
 * young-generation collections until the next full one (measured with V8's sampling heap profiler
 * set to keep only what survives scavenges, under the SDK's default query at concurrency 1: 22.1
 * KB of each request surviving with it, 9.2 KB without).
 */
function recordErrorCodes(app: Express): void {
  const proto = app.response as Response & { [RECORDING]?: true };
  if (proto[RECORDING]) return;
  const send = proto.send;
  proto.send = function sendRecordingCodes(this: Response, body?: unknown) {
    const trace = (this.locals as { requestTrace?: LoggedTrace } | undefined)?.requestTrace;
    if (trace && !trace.inPipeline && this.statusCode >= 400) trace.codes = typeof body === 'string' ? codesOf(body) : ['INTERNAL_SERVER_ERROR'];
    return send.call(this, body);
  };
  proto[RECORDING] = true;
}

/**
 * Express middleware for /graphql, for the responses of `app`. Requests carrying
 * `x-bff-warm-up: <warmUpToken>` (the start-up warm-up) are neither logged nor measured. Error
 * bodies are read only for requests outside the pipeline, which are small (Apollo's and the error
 * handler's own messages).
 */
export function graphqlRequestLog(app: Express, logger: Logger, warmUpToken: string | undefined): RequestHandler {
  recordErrorCodes(app);
  return (req, res, next) => {
    if (warmUpToken !== undefined && req.get('x-bff-warm-up') === warmUpToken) return next();
    const started = performance.now();
    const trace: LoggedTrace = { inPipeline: false, codes: undefined };
    res.locals.requestTrace = trace;
    res.once('close', () => {
      if (trace.inPipeline) return;
      const durationMs = performance.now() - started;
      const status = res.writableFinished ? res.statusCode : 499;
      const codes = trace.codes;
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
