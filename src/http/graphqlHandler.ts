/**
 * Apollo Server behind express at /graphql: what `@as-integrations/express5`'s `expressMiddleware`
 * does, with a successful answer written as Apollo's string (`res.end(text)`, Content-Length from
 * `Buffer.byteLength`) instead of through `res.send`, which copies every body over 1,000
 * characters into a Buffer first, and the query string taken without a URL parse. Error answers
 * still go through `res.send`.
 * Streamed (incremental) answers are written chunk by chunk, as the integration does.
 */
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

export function graphqlHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  context: ContextFunction<[{ req: Request; res: Response }], TContext>,
): RequestHandler {
  server.assertStarted('graphqlHandler()');
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500).send('`req.body` is not set: mount a JSON body parser before the GraphQL handler.');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const query = req.url.indexOf('?');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query === -1 ? '' : req.url.slice(query), body: req.body },
      context: () => context({ req, res }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const text = response.body.string;
      // Error answers are small; res.send lets the request log (http/requestLog.ts) read their codes.
      if (res.statusCode >= 400) {
        res.send(text);
        return;
      }
      res.setHeader('content-length', Buffer.byteLength(text));
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
