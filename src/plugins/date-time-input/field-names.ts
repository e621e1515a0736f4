/**
 * Internal. Names the input field of a rejected DateTime value and gives the error the code
 * BAD_USER_INPUT, for literals (`where: { createdAtGte: "yesterday" }` → `where.createdAtGte`)
 * and variables (`$w` with `{ createdAtGte: "yesterday" }` → `w.createdAtGte`), from the
 * document's AST and the variables' types: never from the text of graphql-js's messages.
 */
import {
  Kind, coerceInputValue, typeFromAST, visit,
  type ASTNode, type DocumentNode, type GraphQLError, type GraphQLInputType, type GraphQLSchema, type VariableDefinitionNode,
} from 'graphql';
import { BffErrorCode } from '../../errors/index.js';
import { DateInputError } from './scalar.js';

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

/** Whether a DateTime parse failure is behind `error` (directly or through graphql-js's wrapping). */
export function isDateInputFailure(error: unknown): boolean {
  let current = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof DateInputError) return true;
    current = (current as { originalError?: unknown }).originalError;
  }
  return false;
}

/**
 * The fields of the DateTime values (or, with `isFailure`, of other rejected values) of variable
 * `definition` that fail to parse, in the order in which graphql-js reports them (`w.createdAtGte`,
 * `ws[1].createdAtLte`, or `d` for a DateTime variable).
 */
export function rejectedVariableFields(
  schema: GraphQLSchema,
  definition: VariableDefinitionNode,
  value: unknown,
  isFailure: (error: unknown) => boolean = isDateInputFailure,
): string[] {
  const name = definition.variable.name.value;
  const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
  if (!type || value === undefined) return [];
  const fields: string[] = [];
  coerceInputValue(value, type, (path, _invalid, error) => {
    if (isFailure(error)) fields.push(name + path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join(''));
  });
  return fields;
}

/**
 * Gives each DateTime input error of a request the code BAD_USER_INPUT and the `field` it is
 * about. Errors are those Apollo reports (validation: literals; execution: variables).
 */
export function nameDateInputErrors(errors: readonly GraphQLError[], document: DocumentNode | undefined, schema: GraphQLSchema, variables: Record<string, unknown> | undefined): void {
  const pending = new Map<VariableDefinitionNode, string[]>();
  for (const error of errors) {
    if (!isDateInputFailure(error)) continue;
    const node = error.nodes?.[0];
    let field: string | null | undefined;
    if (node?.kind === Kind.VARIABLE_DEFINITION) {
      if (!pending.has(node)) pending.set(node, rejectedVariableFields(schema, node, variables?.[node.variable.name.value]));
      field = pending.get(node)!.shift() ?? node.variable.name.value;
    } else if (node && document) {
      field = inputPathOf(document, node);
    }
    const extensions = error.extensions as Record<string, unknown>;
    extensions.code = BffErrorCode.BAD_USER_INPUT;
    if (field) extensions.field = field;
  }
}
