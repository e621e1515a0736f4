/**
 * Input limits, one feature: the bounds of every public input live in src/limits/ (checked by the
 * resolvers, the `JSON` scalar and the HTTP layer before anything runs); `useInputLimits()` gives
 * the values the `JSON` scalar rejects (nested deeper than `JSON_DEPTH`) the code BAD_USER_INPUT,
 * the `field` they are about, and the `limit` and `actual` nesting, for literals and variables alike.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Kind, type DocumentNode, type GraphQLError, type GraphQLSchema, type VariableDefinitionNode } from 'graphql';
import type { BffContext } from '../../context.js';
import { BffErrorCode } from '../../errors/index.js';
import { InputLimitError } from '../../limits/index.js';
import { inputPathOf, rejectedVariableFields } from '../date-time-input/field-names.js';
import type { BffPlugin } from '../plugin.js';

function limitCause(error: unknown): InputLimitError | null {
  let current = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof InputLimitError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return null;
}

function nameLimitErrors(errors: readonly GraphQLError[], document: DocumentNode | undefined, schema: GraphQLSchema, variables: Record<string, unknown> | undefined): void {
  const pending = new Map<VariableDefinitionNode, string[]>();
  for (const error of errors) {
    const cause = limitCause(error);
    if (!cause) continue;
    const node = error.nodes?.[0];
    let field: string | null | undefined;
    if (node?.kind === Kind.VARIABLE_DEFINITION) {
      if (!pending.has(node)) pending.set(node, rejectedVariableFields(schema, node, variables?.[node.variable.name.value], (e) => limitCause(e) !== null));
      field = pending.get(node)!.shift() ?? node.variable.name.value;
    } else if (node && document) {
      field = inputPathOf(document, node);
    }
    Object.assign(error.extensions as Record<string, unknown>, { code: BffErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}), limit: cause.limit, actual: cause.actual });
  }
}

export function useInputLimits(): BffPlugin {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async didEncounterErrors({ errors, document, schema, request }) {
      nameLimitErrors(errors, document, schema, request.variables);
    },
  };
  const plugin: ApolloServerPlugin<BffContext> = {
    async requestDidStart() {
      return listener;
    },
  };
  return { apollo: [plugin] };
}
