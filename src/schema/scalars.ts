/**
 * Internal. The public scalars (DESIGN §3): `JSON` (any JSON value) and `DateTime` (input:
 * `YYYY-MM-DD` or ISO-8601, rejected at parse time with BAD_USER_INPUT; output: ISO-8601).
 */
import { GraphQLScalarType, Kind, print, valueFromASTUntyped, type ValueNode } from 'graphql';
import { isDateInput } from '../filters/values.js';

/**
 * Thrown by DateTime parsing. A plain Error on purpose: graphql-js then attaches the value's AST
 * node (literals) or its path (variables), from which the error formatter names the input field;
 * the formatter gives it the code BAD_USER_INPUT.
 */
export class DateInputError extends Error {
  constructor(value: unknown) {
    super(`DateTime must be a date \`YYYY-MM-DD\` or an ISO-8601 date-time, got ${JSON.stringify(value)}.`);
    this.name = 'DateInputError';
  }
}

function parseDate(value: unknown): string {
  if (typeof value === 'string' && isDateInput(value)) return value;
  throw new DateInputError(value);
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date (`YYYY-MM-DD`) or an ISO-8601 date-time.',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return value;
    throw new TypeError('DateTime cannot represent a non-string value');
  },
  parseValue: parseDate,
  parseLiteral: (node: ValueNode) => parseDate(node.kind === Kind.STRING ? node.value : print(node)),
});

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => valueFromASTUntyped(node, variables),
});
