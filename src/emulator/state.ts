/**
 * Emulator internals: the state shared by the HTTP handlers of one running emulator.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Store } from './db.js';
import type { FaultSet } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { DemoSeed } from './types.js';

export interface EmulatorState {
  store: Store;
  schema: GraphQLSchema;
  faults: FaultSet;
  requests: RequestLog;
  dev: boolean;
  origin: string;
  uploadSecret: string;
  adminKey: string;
  demo: DemoSeed | null;
  /** Writes scheduled by `consistencyDelay` faults. */
  timers: Set<NodeJS.Timeout>;
  /** Responses held open by `hang` faults. */
  hanging: Set<ServerResponse>;
}

export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) resolve(null);
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}
