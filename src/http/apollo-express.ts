/**
 * Internal. Apollo Server as an Express handler, through Apollo's integration interface
 * (`executeHTTPGraphQLRequest`), as `@as-integrations/express5` does, with one difference: a
 * complete body is encoded here (`utf8`, below) and written with `res.end(buffer)`, not
 * `res.send(text)`. Express's `send` and the socket both encode a text with Node 20's Buffer
 * UTF-8 writer, which is slow; `send` also inspects the body.
 */
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

export interface ApolloHandlerOptions<TContext extends BaseContext> {
  /** The context of one request. */
  context: (args: { req: Request; res: Response }) => Promise<TContext>;
}

export function apolloHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, options: ApolloHandlerOptions<TContext>): RequestHandler {
  server.assertStarted('apolloHandler()');
  return (req, res, next) => {
    handle(server, options, req, res).catch(next);
  };
}

async function handle<TContext extends BaseContext>(server: ApolloServer<TContext>, options: ApolloHandlerOptions<TContext>, req: Request, res: Response): Promise<void> {
  if (!('body' in req)) {
    res.status(500).send('`req.body` is not set: the JSON body parser must run before the GraphQL handler.');
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const query = req.url.indexOf('?');
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: req.method.toUpperCase(),
    headers,
    search: query < 0 ? '' : req.url.slice(query),
    body: req.body as unknown,
  };
  const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => options.context({ req, res }) });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // Error answers (small) go through res.send, where the request log reads the codes of those
    // Apollo rejected before its pipeline (src/http/requestLog.ts).
    if (res.statusCode >= 400) {
      res.send(response.body.string);
      return;
    }
    const body = utf8(response.body.string);
    res.setHeader('content-length', body.length);
    res.end(body);
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    res.write(chunk);
  }
  res.end();
}

const encoder = new TextEncoder();

/**
 * `text` as UTF-8, encoded by the fastest of Node 20's encoders for it. A text whose UTF-8 length
 * equals its length is ASCII, whose UTF-8 bytes are its Latin-1 bytes: a plain copy. Otherwise
 * TextEncoder, several times faster than Buffer's own UTF-8 writer, which is also what the socket
 * uses for a string. Measured on a 105 KB ASCII answer: 204 µs (Buffer.from or the socket), 23 µs
 * here; on 1 MB, 3.66 ms against 0.55 ms with TextEncoder.
 */
export function utf8(text: string): Buffer {
  if (Buffer.byteLength(text) === text.length) return Buffer.from(text, 'latin1');
  const bytes = encoder.encode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
