/**
 * Internal. The express handler that runs Apollo for /graphql: the behaviour of
 * `@as-integrations/express5`'s `expressMiddleware`, with a leaner hot path (no legacy
 * `url.parse` per request, and a complete body written with `res.end` and an explicit
 * Content-Length instead of express's `res.send`, which re-parses the content type and copies the
 * body into a Buffer first).
 */
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

export function apolloHandler<T extends BaseContext>(server: ApolloServer<T>, context: (args: { req: Request; res: Response }) => Promise<T>): RequestHandler {
  server.assertStarted('apolloHandler()');
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500).send('`req.body` is not set: the JSON body parser must run before the GraphQL handler.');
      return;
    }
    const headers = new HeaderMap();
    const raw = req.headers;
    for (const key in raw) {
      const value = raw[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    // The query string as `url.parse(req.url).search` gives it ('' when none).
    const hash = req.url.indexOf('#');
    const path = hash === -1 ? req.url : req.url.slice(0, hash);
    const q = path.indexOf('?');
    const search = q === -1 ? '' : path.slice(q);
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search, body: req.body },
      context: () => context({ req, res }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === 'complete') {
      const body = response.body.string;
      // As express's `res.send(string)`: a text content type, always with charset=utf-8.
      const type = res.getHeader('content-type');
      if (typeof type !== 'string') res.setHeader('content-type', 'text/html; charset=utf-8');
      else if (!/;\s*charset=utf-8\s*$/i.test(type)) res.setHeader('content-type', `${type.replace(/;\s*charset=[^;]*/i, '')}; charset=utf-8`);
      res.setHeader('content-length', Buffer.byteLength(body));
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      const flush = (res as { flush?: () => void }).flush;
      if (typeof flush === 'function') flush.call(res);
    }
    res.end();
  };
}
