/**
 * Internal. A validation rule bounding introspection, which graphql-armor's depth and cost limits
 * leave out: at most MAX_SCHEMA_FIELDS `__schema` and MAX_TYPE_FIELDS `__type` fields per
 * operation, aliases and fragment spreads counted (a fragment spread twice counts twice).
 * graphql-js's own MaxIntrospectionDepthRule bounds how deep one of them may go.
 */
import {
  GraphQLError, Kind,
  type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule,
} from 'graphql';

/** `__schema` fields per operation (the full schema once is all a client needs). */
export const MAX_SCHEMA_FIELDS = 1;
/** `__type` fields per operation. */
export const MAX_TYPE_FIELDS = 20;

interface Counts {
  schema: number;
  type: number;
}

export const IntrospectionLimitRule: ValidationRule = (context: ValidationContext) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Counts per fragment, computed once each (linear in the document, whatever the spreads).
  const memo = new Map<string, Counts>();
  const inProgress = new Set<string>();
  const count = (set: SelectionSetNode): Counts => {
    const total: Counts = { schema: 0, type: 0 };
    for (const selection of set.selections) {
      let part: Counts;
      if (selection.kind === Kind.FIELD) {
        part = selection.selectionSet ? count(selection.selectionSet) : { schema: 0, type: 0 };
        if (selection.name.value === '__schema') part.schema += 1;
        if (selection.name.value === '__type') part.type += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        part = count(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic fragments are reported by graphql-js's own rules.
        if (!fragment || inProgress.has(name)) continue;
        if (!memo.has(name)) {
          inProgress.add(name);
          memo.set(name, count(fragment.selectionSet));
          inProgress.delete(name);
        }
        part = memo.get(name)!;
      }
      total.schema += part.schema;
      total.type += part.type;
    }
    return total;
  };
  return {
    OperationDefinition(operation: OperationDefinitionNode) {
      const { schema, type } = count(operation.selectionSet);
      if (schema > MAX_SCHEMA_FIELDS) {
        context.reportError(new GraphQLError(`At most ${MAX_SCHEMA_FIELDS} \`__schema\` per operation (aliases and fragments count), got ${schema}.`, { nodes: operation }));
      }
      if (type > MAX_TYPE_FIELDS) {
        context.reportError(new GraphQLError(`At most ${MAX_TYPE_FIELDS} \`__type\` per operation (aliases and fragments count), got ${type}.`, { nodes: operation }));
      }
      return false;
    },
  };
};
