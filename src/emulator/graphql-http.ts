/**
 * Emulator internals: `POST /api/label/v2/graphql`. Order: parse the body, log the request, apply
 * the faults that match it, authenticate, validate (documents cached), execute. Resolvers are
 * synchronous, so `dropWrites` and `consistencyDelay` run the operation inside a transaction that
 * is rolled back (and, for consistencyDelay, replayed for real `ms` later with the same ids).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, execute, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { EmuContext } from './context.js';
import type { EmulatorState } from './state.js';
import { readBody, sendJson } from './state.js';
import { authenticate, credentialHash, extractKey, unauthenticatedBody } from './auth.js';
import { faultLabel, type Fault } from './faults.js';
import { describeOperation, selectedOperation } from './request-log.js';
import { isRecord, newId } from './util.js';

const MAX_BODY = 20 * 1024 * 1024;
interface ParsedDoc {
  doc: DocumentNode;
  errors: readonly GraphQLError[];
  /** Selected operation and its request-log description, by operation name. */
  ops: Map<string, { op: OperationDefinitionNode | null; described: ReturnType<typeof describeOperation> }>;
}
const docs = new Map<string, ParsedDoc | GraphQLError>();
const ROLLBACK = Symbol('rollback');

/** Apollo Server's codes, as Kili's API answers them. */
const withCode = (error: GraphQLError, code: string): GraphQLFormattedError => {
  const json = error.toJSON();
  return { ...json, extensions: { ...json.extensions, code } };
};

function parseCached(state: EmulatorState, query: string): ParsedDoc | GraphQLError {
  let entry = docs.get(query);
  if (!entry) {
    try {
      const doc = parse(query);
      entry = { doc, errors: validate(state.schema, doc), ops: new Map() };
    } catch (e) {
      // graphql-js parses recursively: a deeply nested document overflows the stack (a RangeError).
      entry = e instanceof GraphQLError ? e : new GraphQLError('Syntax Error: the document could not be parsed.');
    }
    if (docs.size > 2000) docs.clear();
    docs.set(query, entry);
  }
  return entry;
}

function operationOf(parsed: ParsedDoc, operationName: string | null): { op: OperationDefinitionNode | null; described: ReturnType<typeof describeOperation> } {
  let entry = parsed.ops.get(operationName ?? '');
  if (!entry) {
    const op = selectedOperation(parsed.doc, operationName);
    entry = { op, described: describeOperation(parsed.doc, op) };
    parsed.ops.set(operationName ?? '', entry);
  }
  return entry;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hang(state: EmulatorState, res: ServerResponse): void {
  state.hanging.add(res);
  res.on('close', () => state.hanging.delete(res));
}

/** Answers with a non-GraphQL fault; returns false when `f` is not such a fault. */
function failWith(state: EmulatorState, res: ServerResponse, f: Fault): boolean {
  if (f.kind === 'status') {
    res.writeHead(f.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`Injected fault: HTTP ${f.status}`);
  } else if (f.kind === 'rateLimit') {
    res.writeHead(429, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(f.retryAfterSeconds) }).end('Too Many Requests');
  } else if (f.kind === 'hang') hang(state, res);
  else if (f.kind === 'graphqlError') {
    sendJson(res, 200, { data: null, errors: [{ message: f.message ?? 'Injected GraphQL error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  } else return false;
  return true;
}

export async function handleGraphql(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req, MAX_BODY);
  if (text === null) return sendJson(res, 413, { errors: [{ message: 'Request body too large' }] });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const key = extractKey(req.headers);
  const query = isRecord(body) && typeof body.query === 'string' ? body.query : null;
  const variables = isRecord(body) && isRecord(body.variables) ? body.variables : {};
  const operationName = isRecord(body) && typeof body.operationName === 'string' ? body.operationName : null;
  const parsed = query === null ? null : parseCached(state, query);
  const selected = parsed && !(parsed instanceof GraphQLError) ? operationOf(parsed, operationName) : null;
  const op = selected?.op ?? null;
  const described = selected?.described ?? { rootFields: [], fields: {} };
  const faults = state.faults.pick(described.rootFields);
  state.requests.add({
    time: new Date().toISOString(), credentialHash: key ? credentialHash(key) : null, rootFields: described.rootFields,
    variables, fields: described.fields, ...(faults.length ? { fault: faults.map(faultLabel).join(',') } : {}),
  });
  for (const f of faults) if (f.kind === 'latency') await sleep(f.ms + Math.random() * (f.jitterMs ?? 0));
  const pre = faults.find((f) => (f.kind === 'status' || f.kind === 'hang') ? !f.afterWrite : f.kind === 'rateLimit' || f.kind === 'graphqlError');
  if (pre && failWith(state, res, pre)) return;

  if (query === null) return sendJson(res, 400, { errors: [{ message: 'Expected a JSON body with a "query" string' }] });
  const user = key ? authenticate(state.store, key) : null;
  if (!user) {
    return sendJson(res, 401, unauthenticatedBody(key ? 'Invalid API key' : 'Missing API key: send `Authorization: X-API-Key: <key>`'));
  }
  if (parsed instanceof GraphQLError) return sendJson(res, 400, { errors: [withCode(parsed, 'GRAPHQL_PARSE_FAILED')] });
  if (parsed!.errors.length) return sendJson(res, 200, { errors: parsed!.errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) });

  const isMutation = op?.operation === 'mutation';
  const delay = faults.find((f) => f.kind === 'consistencyDelay');
  const drop = faults.some((f) => f.kind === 'dropWrites');
  const generated: string[] = [];
  const ctx = (replay?: string[]): EmuContext => ({
    store: state.store, user, origin: state.origin, uploadSecret: state.uploadSecret, cache: new Map(),
    newId: () => {
      const id = replay?.shift() ?? newId();
      generated.push(id);
      return id;
    },
  });
  const run = (c: EmuContext) => execute({ schema: state.schema, document: parsed!.doc, variableValues: variables, operationName, contextValue: c }) as ExecutionResult;
  let result: ExecutionResult;
  if (isMutation && (drop || delay)) {
    result = rolledBack(state, () => run(ctx()));
    if (delay && !drop) {
      const ids = [...generated];
      const timer = setTimeout(() => {
        state.timers.delete(timer);
        try { run(ctx(ids)); } catch { /* the store may be closed */ }
      }, delay.kind === 'consistencyDelay' ? delay.ms : 0);
      state.timers.add(timer);
    }
  } else result = run(ctx());

  const post = faults.find((f) => (f.kind === 'status' || f.kind === 'hang') && f.afterWrite);
  if (post && failWith(state, res, post)) return;
  sendJson(res, 200, { data: result.data ?? null, ...(result.errors ? { errors: result.errors.map(formatError) } : {}) });
}

/**
 * Every error answered has a code. Errors raised on purpose keep theirs; graphql-js's own request
 * errors (variable values) are BAD_USER_INPUT; anything else is a fault of the emulator: masked as
 * INTERNAL_SERVER_ERROR with a fixed message, as Apollo Server masks it (no raw text or stack).
 */
function formatError(error: GraphQLError): GraphQLFormattedError {
  if (typeof error.extensions.code === 'string') return error.toJSON();
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) {
    return { message: 'Internal server error', locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return withCode(error, 'BAD_USER_INPUT');
}

function rolledBack(state: EmulatorState, fn: () => ExecutionResult): ExecutionResult {
  let result: ExecutionResult | undefined;
  try {
    state.store.tx(() => {
      result = fn();
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result!;
}
