/**
 * The BFF's HTTP server (src/http/express-server.ts): Node builds each request and response with
 * the Express app's prototypes, so Express's own `Object.setPrototypeOf` changes nothing, and
 * everything else about them is Node's and Express's as usual.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpressServer } from '../../src/http/express-server.js';

describe('createExpressServer', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  async function start(app: express.Express, beforeApp?: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const { server, serve } = createExpressServer();
    if (beforeApp) server.on('request', beforeApp);
    serve(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.unref();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('creates requests and responses with the app prototypes before Express sees them', async () => {
    const app = express();
    app.post('/echo', express.json(), (req, res) => {
      res.json({
        body: req.body as unknown,
        isRequest: req instanceof IncomingMessage,
        isResponse: res instanceof ServerResponse,
        // Express's request and response methods, from the prototypes
        host: req.get('host'),
        query: req.query,
      });
    });
    const seen: { request: boolean; response: boolean }[] = [];
    const url = await start(app, (req, res) => {
      seen.push({ request: Object.getPrototypeOf(req) === app.request, response: Object.getPrototypeOf(res) === app.response });
    });
    const host = new URL(url).host;
    for (const n of [1, 2]) {
      const res = await fetch(`${url}/echo?n=${n}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ body: { n }, isRequest: true, isResponse: true, host, query: { n: String(n) } });
    }
    expect(seen).toEqual([
      { request: true, response: true },
      { request: true, response: true },
    ]);
  });

  it('answers what Express answers: a missing route, headers, an error handler', async () => {
    const app = express();
    app.disable('x-powered-by');
    app.get('/fail', () => {
      throw new Error('boom');
    });
    app.use(((error, _req, res, _next) => {
      res.status(500).set('x-handled', 'yes').json({ message: (error as Error).message });
    }) as express.ErrorRequestHandler);
    const url = await start(app);
    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);
    await missing.text();
    const failed = await fetch(`${url}/fail`);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-handled')).toBe('yes');
    expect(await failed.json()).toEqual({ message: 'boom' });
  });

  it('serves one app only', () => {
    const { serve } = createExpressServer();
    serve(express());
    expect(() => serve(express())).toThrow('serve() was already called');
  });
});
