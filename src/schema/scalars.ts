/**
 * Internal. The `JSON` scalar (DESIGN §3): any JSON value. (`DateTime` belongs to the DateTime
 * input feature, src/plugins/date-time-input.)
 */
import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => valueFromASTUntyped(node, variables),
});
