/**
 * Compiled execution: queries and mutations seen more than once are compiled by graphql-jit into
 * plain functions (no per-field argument coercion, resolve-info allocation or completion dispatch;
 * variables coerced by generated code) and run through Apollo Server's executor hook (its
 * `gateway` interface, here serving the BFF's own schema). Operations seen fewer times,
 * subscriptions, and anything graphql-jit cannot compile run on graphql-js as before. Compiled
 * operations write values of the built-in scalars and of enums as resolvers give them
 * (`disableLeafSerialization`): the BFF's own values are serialized by their types, and upstream
 * objects are serialized once when read (src/schema/leaves.ts). Parsing, validation, plugins and
 * error formatting stay Apollo's. Invalid variables get graphql-js's errors (messages, nodes,
 * BAD_USER_INPUT), whichever executor runs.
 *
 * Bounded: at most `maxEntries` operations are remembered (sightings and compiled functions, least
 * recently used dropped first), and only operations of at most `maxFields` fields are compiled:
 * compiling takes about 1 ms for the SDK's default selection but grows faster than the document
 * (a 1,000-alias lookup takes most of a second of blocked event loop), so large documents, which
 * rarely repeat, stay on graphql-js.
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, getVariableValues, Kind, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface CompiledExecutionOptions {
  /**
   * Sightings of an operation (document and operation name) after which it is compiled: 2 = from
   * its second request on; 1 = at once; 0 = never (graphql-js only).
   */
  compileAfter: number;
  /** Operations remembered at most. @default 1000 */
  maxEntries?: number;
  /** Largest operation compiled, in field selections (fragments expanded). @default 200 */
  maxFields?: number;
}

/**
 * Field selections of an operation, fragments expanded where spread, counting stops past `limit`
 * (so a huge or cyclic-looking document costs at most `limit` steps).
 */
export function fieldCount(document: DocumentNode, operation: OperationDefinitionNode, limit: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let count = 0;
  const walk = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (count > limit) return;
      if (selection.kind === Kind.FIELD) {
        count += 1;
        if (selection.selectionSet) walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return count;
}

/**
 * Whether a variables object holds an empty list anywhere (the one value graphql-jit's coercion
 * accepts where graphql-js refuses it: as an input object). Iterative; every value is visited once.
 */
export function holdsEmptyList(variables: Record<string, unknown> | undefined): boolean {
  if (!variables) return false;
  const stack: unknown[] = [variables];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) return true;
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
    } else {
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Apollo Server's executor hook and the executor it loads. */
export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

type Entry = { seen: number; compiled?: CompiledQuery | null };

/** A small LRU map: `get` refreshes, `set` drops the least recently used beyond `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

export interface CompiledExecutor {
  /** Runs one operation: compiled when seen often enough, graphql-js otherwise. */
  run(args: {
    document: DocumentNode;
    /** The operation Apollo resolved (null: let graphql-js report why there is none). */
    operation: OperationDefinitionNode | null;
    /** Identifies the document text (Apollo's query hash). */
    key: string;
    operationName: string | null;
    variables: Record<string, unknown> | undefined;
    contextValue: unknown;
  }): Promise<ExecutionResult> | ExecutionResult;
  /** Operations currently compiled (metrics, tests). */
  compiledCount(): number;
}

export function createCompiledExecutor(schema: GraphQLSchema, options: CompiledExecutionOptions): CompiledExecutor {
  const entries = new Lru<Entry>(options.maxEntries ?? 1000);
  const maxFields = options.maxFields ?? 200;
  let compiled = 0;
  const slow = (document: DocumentNode, operationName: string | null, variables: Record<string, unknown> | undefined, contextValue: unknown) =>
    execute({ schema, document, operationName, variableValues: variables, contextValue });
  /** graphql-js's coercion (its errors, or its values), then the compiled operation. */
  const coercedByGraphqlJs = (query: CompiledQuery, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined, contextValue: unknown) => {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 50 });
    return coerced.errors ? { errors: coerced.errors } : query.query(undefined, contextValue, coerced.coerced);
  };
  return {
    run({ document, operation, key, operationName, variables, contextValue }) {
      if (options.compileAfter <= 0 || !operation || operation.operation === 'subscription') return slow(document, operationName, variables, contextValue);
      const id = `${operationName ?? ''}\u0000${key}`;
      let entry = entries.get(id);
      if (!entry) {
        entry = { seen: 0 };
        entries.set(id, entry);
      }
      entry.seen += 1;
      if (entry.compiled === undefined && entry.seen >= options.compileAfter) {
        // null: too large to compile, or refused by graphql-jit (reported errors): stays on graphql-js.
        const result = fieldCount(document, operation, maxFields) > maxFields ? null : compileQuery(schema, document, operationName ?? undefined, { customJSONSerializer: false, disableLeafSerialization: true });
        entry.compiled = result && isCompiledQuery(result) ? result : null;
        if (entry.compiled) compiled += 1;
      }
      if (!entry.compiled) return slow(document, operationName, variables, contextValue);
      // Variables are coerced by graphql-jit's generated code: 1.2 ms against graphql-js's 33 ms
      // for 10,000 mutation inputs. It accepts the values graphql-js accepts and coerces them alike
      // (test/bff/variable-coercion.test.ts), except one: an empty list where an input object is
      // expected, which graphql-js refuses; variables holding an empty list are coerced by
      // graphql-js.
      if (holdsEmptyList(variables)) return coercedByGraphqlJs(entry.compiled, operation, variables, contextValue);
      const result = entry.compiled.query(undefined, contextValue, variables ?? {});
      if (isPromiseLike(result) || 'data' in result) return result;
      // Refused by graphql-jit: graphql-js's errors, or, for what only graphql-jit refuses (an
      // omitted non-null variable or input field that has a default, which graphql-jit does not
      // apply), graphql-js's values, with which the compiled operation runs.
      return coercedByGraphqlJs(entry.compiled, operation, variables, contextValue);
    },
    compiledCount: () => compiled,
  };
}

/**
 * Apollo Server's executor hook (`new ApolloServer({ gateway })`) serving `schema` through a
 * compiled executor. Apollo validates against the schema given here and calls the executor
 * after its own parsing, validation and plugins, exactly where it would call graphql-js.
 */
export function compiledExecutionGateway(schema: GraphQLSchema, options: CompiledExecutionOptions): GatewayInterface {
  const executor = createCompiledExecutor(schema, options);
  const run: GatewayExecutor = (requestContext) =>
    executor.run({
      document: requestContext.document,
      operation: requestContext.operation ?? null,
      // Apollo's hash of the query text: the same text is the same document.
      key: requestContext.queryHash,
      operationName: requestContext.operationName ?? requestContext.request.operationName ?? null,
      variables: requestContext.request.variables,
      contextValue: requestContext.context,
    }) as ReturnType<GatewayExecutor>;
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor: run };
    },
    async stop() {},
  };
}

/** The answer Apollo Server gives `stringifyResult`: its fields in output order. */
type ApolloResult = { data?: Record<string, unknown> | null; errors?: unknown; extensions?: unknown };

/**
 * Apollo Server's `stringifyResult`: the answer serialised by `stringify`, after which the
 * answer's `data` is emptied. Apollo hands the text to the HTTP layer and reads the answer no more.
 *
 * Why: Apollo Server's executor hook (`gateway`, used above) wraps each request in an object
 * literal with a `status` getter and setter that close over Apollo's request context
 * (`makeGatewayGraphQLRequestContext`, Apollo Server 5.5). V8 gives every evaluation of a literal
 * with accessors a hidden class of its own, in the old generation, and until the next full
 * collection that class keeps the closures, so the request context with its answer, alive through
 * young-generation collections, which copy and then promote it all. Measured with
 * `--trace-gc-nvp` under the SDK's default query at concurrency 1: 1.83 MB promoted per
 * scavenge, 0.22 MB with the answer released here (the answer's leaves are the upstream's strings).
 * Apollo's context then holds only the request's own small objects until that collection.
 */
export function stringifyAndRelease(stringify: (result: ApolloResult) => string): (result: ApolloResult) => string {
  return (result) => {
    const text = stringify(result);
    const data = result.data;
    if (data) for (const key of Object.keys(data)) delete data[key];
    return text;
  };
}
