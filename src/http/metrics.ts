/**
 * Internal HTTP module. `GET /metrics` (Prometheus), on the API port by default, or on its own
 * listener (METRICS_PORT, the usual choice: the API port stays public, the metrics port does not);
 * with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` gets an answer (401 otherwise).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import express from 'express';
import { registry } from '../metrics.js';
import { createExpressServer } from './express-server.js';

/** The `/metrics` handler: the registry's text, behind the bearer token when one is given. */
export function metricsHandler(token: string | null): RequestHandler {
  const expected = token === null ? null : Buffer.from(`Bearer ${token}`);
  return async (req, res) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (expected && !(given.length === expected.length && timingSafeEqual(given, expected))) {
      res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('Send Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}

/** Starts the separate metrics listener on `port` (0: ephemeral) of `host`. */
export async function startMetricsListener(host: string, port: number, token: string | null): Promise<{ server: Server; port: number }> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(token));
  const { server, serve } = createExpressServer();
  serve(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
