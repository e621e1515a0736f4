/**
 * Internal. Apollo Server as an Express handler, through Apollo's integration interface
 * (`executeHTTPGraphQLRequest`), as `@as-integrations/express5` does, with one difference: a
 * complete body is written as bytes with `res.end(buffer)`, not `res.send(text)`. GraphQL answers
 * arrive already encoded (`EncodedBody`, below); other bodies are encoded here (`utf8`). Express's
 * `send` and the socket both encode a text with Node 20's Buffer UTF-8 writer, which is slow;
 * `send` also inspects the body.
 */
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { utf8 } from '../json-text.js';

/**
 * An answer's body already encoded as UTF-8, given to Apollo Server as the value of its
 * `stringifyResult` (`encodedBody`). Apollo hands that value to the integration untouched, as the
 * body's `string` (`runHttpQuery` and its error answers; batched requests, which would join
 * bodies, are off), and `handle` writes its bytes. Whatever else reads it as text gets the text:
 * `toString` decodes the bytes.
 *
 * Why not a string: an answer of more than 128 KB becomes, as one string, an object in V8's
 * large-object space, placed in fresh memory for each answer, which costs about 4 ms per MB on
 * these machines before any byte is written (see `serializeResponse`).
 */
export class EncodedBody {
  /** Its length in bytes. */
  readonly length: number;
  /** The body's bytes, in order. */
  constructor(readonly parts: readonly Buffer[]) {
    let length = 0;
    for (const part of parts) length += part.length;
    this.length = length;
  }
  toString(): string {
    return Buffer.concat(this.parts, this.length).toString('utf8');
  }
}

/** `parts` as the value Apollo Server's `stringifyResult` is declared to return (see `EncodedBody`). */
export function encodedBody(parts: readonly Buffer[]): string {
  return new EncodedBody(parts) as unknown as string;
}

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
    const complete = response.body.string as string | EncodedBody;
    // Error answers (small) go through res.send, where the request log reads the codes of those
    // Apollo rejected before its pipeline (src/http/requestLog.ts).
    if (res.statusCode >= 400) {
      res.send(String(complete));
      return;
    }
    if (!(complete instanceof EncodedBody)) {
      const body = utf8(complete);
      res.setHeader('content-length', body.length);
      res.end(body);
      return;
    }
    res.setHeader('content-length', complete.length);
    const { parts } = complete;
    if (parts.length === 1) {
      res.end(parts[0]);
      return;
    }
    // Answers past 1 MB: the parts go out together (one writev) once uncorked.
    res.cork();
    for (let i = 0; i < parts.length - 1; i++) res.write(parts[i]);
    res.end(parts[parts.length - 1]);
    res.uncork();
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    res.write(chunk);
  }
  res.end();
}
