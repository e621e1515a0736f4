/**
 * Names the input field of literal DateTime (and over-sized JSON) values rejected during validation (e.g.
 * `where: { createdAtGte: "yesterday" }` → `extensions.field = "where.createdAtGte"`), so every
 * BAD_USER_INPUT names its field. Variables are named by the error formatter from graphql-js's path.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Kind, visit, type ASTNode, type DocumentNode, type GraphQLError } from 'graphql';
import { InputLimitError } from '../limits/index.js';
import { DateInputError } from '../schema/scalars.js';

/** `arg.field.sub` path of an input value node inside `document`, or null. */
export function inputPathOf(document: DocumentNode, target: ASTNode): string | null {
  let found: string | null = null;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined;
      const names = [...ancestors, parent, node]
        .filter((a): a is ASTNode => !Array.isArray(a) && typeof a === 'object' && a !== null && 'kind' in a)
        .filter((a) => a.kind === Kind.ARGUMENT || a.kind === Kind.OBJECT_FIELD)
        .map((a) => (a as { name: { value: string } }).name.value);
      found = names.join('.') || null;
      return false;
    },
  });
  return found;
}

export function bffPluginInputFieldNames(): ApolloServerPlugin {
  // Stateless: one listener object for every request (validation only runs for documents that
  // are not in Apollo's document store yet).
  const listener: GraphQLRequestListener<BaseContext> = {
    async validationDidStart({ document }) {
      return async (errors?: readonly Error[]) => {
        if (!errors?.length) return;
        for (const error of errors as readonly GraphQLError[]) {
          const node = error.nodes?.[0];
          if (!(error.originalError instanceof DateInputError || error.originalError instanceof InputLimitError) || !node) continue;
          const field = inputPathOf(document, node);
          if (field) (error.extensions as Record<string, unknown>).field = field;
        }
      };
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
