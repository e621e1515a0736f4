/** The observability plugin logs the original of every error masked as INTERNAL_SERVER_ERROR. */
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BffError, BffErrorCode, clientClosedRequest } from '../../src/errors/index.js';
import { useObservability } from '../../src/plugins/observability/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

async function encounter(logger: ReturnType<typeof capture>['logger'], errors: GraphQLError[]) {
  const plugin = useObservability(logger).apollo![0]!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const hooks = (await plugin.requestDidStart!({ contextValue: {} } as any))!;
  const contextValue = { requestId: 'req-42', credential: { scheme: 'x-api-key', value: 'secret-key-1', hash: 'h' } };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await hooks.didEncounterErrors!({ errors, contextValue } as any);
}

describe('masked error logging', () => {
  it('logs an unknown error at error level with the request id, message and stack, never the credential', async () => {
    const { logger, lines } = capture();
    const boom = new TypeError('cannot read x of undefined while using secret-key-1');
    await encounter(logger, [new GraphQLError(boom.message, { originalError: boom, path: ['assets', 0, 'labels'] })]);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ level: 50, requestId: 'req-42', path: 'assets.0.labels' });
    const err = line.error as { type: string; message: string; stack: string };
    expect(err.type).toBe('TypeError');
    expect(err.message).toBe('cannot read x of undefined while using [redacted]');
    expect(err.stack).toContain('observability.test');
    expect(JSON.stringify(line)).not.toContain('secret-key-1');
  });

  it('does not log errors shown to the client as they are', async () => {
    const { logger, lines } = capture();
    const bff = new BffError(BffErrorCode.UPSTREAM_ERROR, 'The Kili API failed.');
    await encounter(logger, [
      new GraphQLError(bff.message, { originalError: bff }),
      new GraphQLError('Syntax Error: Unexpected Name "x".', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
      new GraphQLError('The client closed the request.', { originalError: clientClosedRequest(), path: ['countAssets'] }),
    ]);
    expect(lines).toHaveLength(0);
  });
});
