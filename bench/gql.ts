/**
 * Bench-internal: a minimal GraphQL-over-HTTP client (undici, keep-alive) shared by every
 * scenario, so the BFF and the direct upstream calls go through the same client code and the
 * client's own overhead cancels out in the ratios.
 */
import { Agent, request } from 'undici';

/** One keep-alive pool per process; the bench is the only user. */
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64, pipelining: 1 });

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }> | undefined;
  /** Response body size in bytes. */
  bytes: number;
  /** When the answer arrived, ms after the request was sent. */
  timing: ResponseTiming;
}

/** Phases of one answer at the client, ms after the request was sent. */
export interface ResponseTiming {
  /** Status and headers received. */
  headersMs: number;
  /** Last byte of the body received (and decoded as text). */
  bodyMs: number;
  /** Body parsed (`JSON.parse`). */
  parsedMs: number;
}

/** Thrown when a GraphQL answer carries `errors` or a non-JSON / non-2xx body. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: GraphQLResponse['errors'],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

/** `Authorization: X-API-Key: <key>`, as the Kili SDK sends it (reference §1.2). */
export function kiliHeaders(apiKey: string): Record<string, string> {
  return {
    authorization: `X-API-Key: ${apiKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'apollographql-client-name': 'python-sdk',
  };
}

/**
 * POSTs one GraphQL document. Resolves with the parsed envelope whatever the status; never
 * throws on GraphQL errors (see `gqlData` for the throwing variant). Rejects on network errors
 * and non-JSON bodies.
 */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const body = JSON.stringify(variables === undefined ? { query } : { query, variables });
  const sent = performance.now();
  const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
  const headersMs = performance.now() - sent;
  const text = await res.body.text();
  const bodyMs = performance.now() - sent;
  let parsed: { data?: T | null; errors?: GraphQLResponse['errors'] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new GraphQLRequestError(`HTTP ${res.statusCode}: non-JSON body: ${text.slice(0, 200)}`, res.statusCode, undefined);
  }
  const timing = { headersMs, bodyMs, parsedMs: performance.now() - sent };
  return { status: res.statusCode, data: parsed.data ?? null, errors: parsed.errors, bytes: Buffer.byteLength(text), timing };
}

/** Like `postGraphQL`, but resolves with `data` only and throws `GraphQLRequestError` on any error. */
export async function gqlData<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  return dataOf(await postGraphQL<T>(url, headers, query, variables));
}

/** The `data` of an answer; throws `GraphQLRequestError` when it carries errors or has none. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.errors && res.errors.length > 0) {
    const first = res.errors[0];
    const code = first?.extensions?.['code'];
    throw new GraphQLRequestError(
      `HTTP ${res.status}: ${String(code ?? 'ERROR')}: ${first?.message ?? 'unknown error'}`,
      res.status,
      res.errors,
    );
  }
  if (res.status >= 400 || res.data === null) {
    throw new GraphQLRequestError(`HTTP ${res.status}: no data`, res.status, res.errors);
  }
  return res.data;
}

/** Plain JSON request (dev controls). Throws on a non-2xx status. */
export async function requestJson<T = unknown>(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  payload?: unknown,
): Promise<T> {
  const res = await request(url, {
    method,
    headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    body: payload === undefined ? undefined : JSON.stringify(payload),
    dispatcher: agent,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  return (text.length === 0 ? null : JSON.parse(text)) as T;
}

/** POSTs `body` through the shared pool and resolves with the answer's text, unparsed. Throws on a non-2xx status. */
export async function agentRequestText(url: string, headers: Record<string, string>, body: string): Promise<string> {
  const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`POST ${url}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  return text;
}

/** Closes the keep-alive pool so the process can exit. */
export async function closeHttp(): Promise<void> {
  await agent.close();
}
