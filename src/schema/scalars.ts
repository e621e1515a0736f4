/**
 * Internal. The public scalars (DESIGN §3): `JSON` (any JSON value) and `DateTime` (input:
 * `YYYY-MM-DD` or ISO-8601, rejected at parse time with BAD_USER_INPUT; output: ISO-8601).
 */
import { GraphQLScalarType, Kind, print, valueFromASTUntyped, type ValueNode } from 'graphql';
import { isDateInput } from '../filters/values.js';
import { INPUT_LIMITS, InputLimitError, literalDepth, valueDepth } from '../limits/index.js';

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

const { JSON_DEPTH } = INPUT_LIMITS;
const tooDeep = (depth: number) => new InputLimitError('JSON value nested too deeply', JSON_DEPTH, depth);

/** Input nesting is bounded (`JSON_DEPTH`) and measured without recursion, before any other use. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => {
    const depth = valueDepth(value);
    if (depth > JSON_DEPTH) throw tooDeep(depth);
    return value;
  },
  parseLiteral: (node, variables) => {
    const depth = literalDepth(node);
    if (depth > JSON_DEPTH) throw tooDeep(depth);
    return valueFromASTUntyped(node, variables);
  },
});
