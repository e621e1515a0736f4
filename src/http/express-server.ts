/**
 * Internal. An HTTP server for an Express app whose requests and responses are created with the
 * app's own prototypes.
 *
 * Express 5 gives every request and response the prototypes of its app (`app.request`,
 * `app.response`) with `Object.setPrototypeOf`, in `app.handle`. In V8 (Node 20) changing the
 * prototype of each request made the request's whole object graph outlive young-generation
 * collections: measured with `--trace-gc-nvp` on a bare Express 5 app answering `{ __typename }`
 * at concurrency 1, 3.0 MB of every 3.3 MB scavenge interval's objects were promoted to the old
 * generation (0 without the prototype change), at 4,900 requests/s against 13,700. On the BFF,
 * under `{ __typename }` at concurrency 1: 2.35 MB promoted per scavenge before, 1.79 MB after; the
 * rest had causes of the same kind (the client link, `stringifyAndRelease` in src/execution).
 *
 * Node's HTTP server builds requests and responses with the constructors it is given
 * (`createServer({ IncomingMessage, ServerResponse })`). Here they build them with the app's
 * prototypes from the start, so Express's `setPrototypeOf` finds the prototype it sets and
 * changes nothing. Nothing else differs: the objects are Node's own (`instanceof IncomingMessage`).
 */
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

export interface ExpressServer {
  server: Server;
  /**
   * Serves `app`: its prototypes become those of every request and response created from now
   * on, and it handles the server's requests. Called once, before the server listens.
   */
  serve(app: Express): void;
}

export function createExpressServer(): ExpressServer {
  // Constructors whose `prototype` is the app's (set by `serve`), initialising the new object
  // with Node's own constructors, called as functions (as Node's own subclasses are written).
  // Not Reflect.construct(IncomingMessage, args, Request): objects built that way were as costly
  // as the prototype change itself (same measurement: 3,970 against 12,380 requests/s).
  function Request(this: IncomingMessage, socket: Socket): void {
    (IncomingMessage as unknown as (this: IncomingMessage, socket: Socket) => void).call(this, socket);
  }
  function Response(this: ServerResponse, req: IncomingMessage, options?: unknown): void {
    (ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: unknown) => void).call(this, req, options);
  }
  Request.prototype = IncomingMessage.prototype;
  Response.prototype = ServerResponse.prototype;
  const server = createServer({
    IncomingMessage: Request as unknown as typeof IncomingMessage,
    ServerResponse: Response as unknown as typeof ServerResponse,
  });
  let served = false;
  return {
    server,
    serve(app) {
      if (served) throw new Error('createExpressServer: serve() was already called');
      served = true;
      // Express's own prototypes: Object.create(IncomingMessage.prototype / ServerResponse.prototype).
      Request.prototype = app.request as IncomingMessage;
      Response.prototype = app.response as ServerResponse;
      server.on('request', app);
    },
  };
}
