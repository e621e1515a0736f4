/**
 * The error vocabulary: typed details per code (pinned with @ts-expect-error), `outcomeUnknown`
 * as a property of the error (not an extension the pipeline reads), and what `formatError` shows.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BffError, BffErrorCode, badUserInput, clientClosedRequest, withDetails } from '../../src/errors/index.js';
import { formatError } from '../../src/errors/index.js';
import { batchMayHaveBeenApplied, isOutcomeUnknown } from '../../src/mutations/dispatch.js';

/** What a client sees of `error` thrown by a resolver of `path`. */
function shown(error: Error, path = ['m']) {
  const located = new GraphQLError(error.message, { originalError: error, path });
  return formatError(located.toJSON(), located);
}

describe('BffError details', () => {
  it('are typed per code', () => {
    // @ts-expect-error ASSET_NOT_FOUND requires its lists of missing ids
    void new BffError(BffErrorCode.ASSET_NOT_FOUND, 'missing');
    // @ts-expect-error RATE_LIMITED has no `field`
    void new BffError(BffErrorCode.RATE_LIMITED, 'slow down', { retryAfterMs: 10, field: 'x' });
    // @ts-expect-error CLIENT_CLOSED_REQUEST carries no details
    void new BffError(BffErrorCode.CLIENT_CLOSED_REQUEST, 'gone', { reason: 'x' });
    // @ts-expect-error outcomeUnknown is an option of the error, not a detail
    void new BffError(BffErrorCode.UPSTREAM_TIMEOUT, 'timeout', { outcomeUnknown: true });
    const error = new BffError(BffErrorCode.ASSET_NOT_FOUND, 'missing', { missingIds: ['a'], missingExternalIds: [] });
    expect(error.details).toEqual({ missingIds: ['a'], missingExternalIds: [] });
    expect(error.extensions).toEqual({ missingIds: ['a'], missingExternalIds: [], code: 'ASSET_NOT_FOUND' });
  });

  it('are shown to the client next to the code; UNAUTHENTICATED also sets HTTP 401 (not shown)', () => {
    expect(shown(badUserInput('where.createdAtGte', 'bad date', { position: 3 }))).toEqual({
      message: 'bad date',
      path: ['m'],
      locations: undefined,
      extensions: { position: 3, field: 'where.createdAtGte', code: 'BAD_USER_INPUT' },
    });
    const unauthenticated = new BffError(BffErrorCode.UNAUTHENTICATED, 'Send a key.');
    expect(unauthenticated.extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(shown(unauthenticated).extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('CLIENT_CLOSED_REQUEST is a code of the vocabulary', () => {
    const error = clientClosedRequest();
    expect(error).toMatchObject({ code: 'CLIENT_CLOSED_REQUEST', message: 'The client closed the request.', outcomeUnknown: false });
    expect(shown(error).extensions).toEqual({ code: 'CLIENT_CLOSED_REQUEST' });
  });
});

describe('outcome unknown', () => {
  const unknown = new BffError(BffErrorCode.UPSTREAM_ERROR, 'The Kili API failed (HTTP 500).', { upstreamStatus: 500 }, { outcomeUnknown: true });
  const known = new BffError(BffErrorCode.UPSTREAM_ERROR, 'The Kili API returned an error.', { upstreamCode: 'X' });

  it('is read by the pipeline from the error itself, never from client-visible extensions', () => {
    expect([batchMayHaveBeenApplied(unknown), isOutcomeUnknown(unknown)]).toEqual([true, true]);
    expect([batchMayHaveBeenApplied(known), isOutcomeUnknown(known)]).toEqual([false, false]);
    const lookalike = new GraphQLError('x', { extensions: { code: 'UPSTREAM_ERROR', outcomeUnknown: true } });
    expect([batchMayHaveBeenApplied(lookalike), isOutcomeUnknown(lookalike)]).toEqual([false, false]);
  });

  it('is shown to the client by formatError as outcomeUnknown: true, and only then', () => {
    expect(shown(unknown).extensions).toEqual({ upstreamStatus: 500, code: 'UPSTREAM_ERROR', outcomeUnknown: true });
    expect(shown(known).extensions).toEqual({ upstreamCode: 'X', code: 'UPSTREAM_ERROR' });
  });

  it('survives a copy with more details', () => {
    const copy = withDetails(unknown, 'more', { unknownOutcomeAssetIds: ['a1'] });
    expect(copy).toMatchObject({ code: 'UPSTREAM_ERROR', message: 'more', outcomeUnknown: true });
    expect(copy.details).toEqual({ upstreamStatus: 500, unknownOutcomeAssetIds: ['a1'] });
  });
});
