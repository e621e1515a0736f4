/**
 * DateTime inputs, one feature: the `DateTime` scalar (schema/), the date checks filters use, and
 * `useDateTimeInput()`, which turns every rejected DateTime value into BAD_USER_INPUT naming its
 * input field (`extensions.field`), for literals and variables alike.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext } from '../../context.js';
import type { BffPlugin } from '../plugin.js';
import { nameDateInputErrors } from './field-names.js';

export { dateInputTime, isDateInput } from './dates.js';
export { DateInputError, DateTimeScalar } from './scalar.js';

export function useDateTimeInput(): BffPlugin {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async didEncounterErrors({ errors, document, schema, request }) {
      nameDateInputErrors(errors, document, schema, request.variables);
    },
  };
  const plugin: ApolloServerPlugin<BffContext> = {
    async requestDidStart() {
      return listener;
    },
  };
  return { apollo: [plugin] };
}
