/**
 * Internal. The `JSON` scalar (DESIGN §3): any JSON value. (`DateTime` belongs to the DateTime
 * input feature, src/plugins/date-time-input.)
 */
import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import { INPUT_LIMITS, InputLimitError, literalDepth, valueDepth } from '../limits/index.js';

const { JSON_DEPTH } = INPUT_LIMITS;
const tooDeep = (depth: number) => new InputLimitError('JSON value nested too deeply', JSON_DEPTH, depth);

/**
 * Input nesting is bounded (`JSON_DEPTH`) and measured without recursion, before any other use;
 * past it, an `InputLimitError` that the input-limits feature (src/plugins/input-limits) turns
 * into BAD_USER_INPUT naming the field.
 */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  // Upstream JSON text (a JsonText) is written into the response as it is (src/json-text.ts).
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
