/**
 * Internal, pure. Response-cache keys: what an operation's result depends on (its generation
 * scopes) and the stable form of its variables.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

/** Root fields scoped by their `projectId` argument. */
const PROJECT_FIELDS = new Set(['assets', 'countAssets']);
/** Root fields that read no asset data. */
const STATIC_FIELDS = new Set(['__typename', '__schema', '__type', '_service']);

function argumentValue(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.STRING) return value.value;
  return undefined;
}

/**
 * The generation scopes an operation's result depends on: `*`, plus `p:<projectId>` for each
 * project-scoped root field, plus `id` for any other root field that reads assets.
 */
export function dependencyScopes(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const scopes = new Set<string>(['*']);
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      } else if (PROJECT_FIELDS.has(selection.name.value)) {
        const arg = selection.arguments?.find((a) => a.name.value === 'projectId');
        const projectId = arg ? argumentValue(arg.value, variables) : undefined;
        scopes.add(typeof projectId === 'string' ? `p:${projectId}` : 'id');
      } else if (!STATIC_FIELDS.has(selection.name.value)) {
        scopes.add('id');
      }
    }
  };
  walk(operation.selectionSet);
  return [...scopes].sort();
}
