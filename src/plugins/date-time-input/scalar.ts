/**
 * Internal. The `DateTime` scalar (DESIGN §3). Input: `YYYY-MM-DD` or ISO-8601, anything else
 * rejected with a `DateInputError` while the request is validated (literals) or its variables
 * coerced; output: ISO-8601.
 */
import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { isDateInput } from './dates.js';

/**
 * Thrown by DateTime parsing. A plain Error on purpose: graphql-js then attaches the value's AST
 * node (literals) or its variable (variables), from which this feature's plugin names the input
 * field and gives the error the code BAD_USER_INPUT.
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
