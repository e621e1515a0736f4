/**
 * Internal. The upstream contract check: the BFF introspects the upstream it is pointed at and
 * validates every document it can send (documents.ts) against that schema, so that a renamed or
 * removed field is known at deploy (`/readyz` reports `upstream_contract: ok | drift` with the
 * failing document names, logged once), not from a user's failed request.
 *
 * Introspection needs a credential: the check runs at start with UPSTREAM_CONTRACT_KEY (the
 * embedded emulator's key when the BFF starts one); without it the contract is `unchecked` (the
 * BFF never introspects with a client's key). A check that cannot run (unreachable upstream,
 * refused key) stays `pending` and is tried again when `/readyz` asks, at most once a minute.
 */
import { buildClientSchema, getIntrospectionQuery, parse, validate, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import type { Logger } from '../log.js';
import type { Credential, UpstreamClient } from './client.js';
import { upstreamDocuments } from './documents.js';
import { systemClock, type Clock } from './sleep.js';

export type ContractState = 'unchecked' | 'pending' | 'ok' | 'drift';

export interface ContractStatus {
  state: ContractState;
  /** With `drift`: the names of the documents the upstream's schema rejects, e.g. `countAssets`. */
  failing: string[];
}

export interface UpstreamContract {
  /** The current status; `retry`: start the check again if it could not run (at most once a minute). */
  status(retry?: boolean): ContractStatus;
  /** The check in flight (resolved when none). Never rejects. */
  settled(): Promise<void>;
}

/** Wait after a check that could not run before `/readyz` starts another. */
const RETRY_AFTER_MS = 60_000;

/** The documents `schema` rejects, by name (pure). */
export function contractFailures(schema: GraphQLSchema): string[] {
  return upstreamDocuments()
    .filter(({ document }) => validate(schema, parse(document)).length > 0)
    .map(({ name }) => name);
}

/**
 * Starts the check at once when `credential` is given (never delays the caller); without one the
 * contract stays `unchecked`.
 */
export function createUpstreamContract(upstream: UpstreamClient, credential: Credential | null, logger: Logger, clock: Clock = systemClock): UpstreamContract {
  let status: ContractStatus = { state: credential ? 'pending' : 'unchecked', failing: [] };
  let running: Promise<void> = Promise.resolve();
  let lastFailure = Number.NEGATIVE_INFINITY;
  let inFlight = false;

  const run = async (key: Credential): Promise<void> => {
    inFlight = true;
    try {
      const data = await upstream.execute<IntrospectionQuery>(key, { query: getIntrospectionQuery(), rootField: '__schema', kind: 'query' });
      const failing = contractFailures(buildClientSchema(data));
      status = { state: failing.length === 0 ? 'ok' : 'drift', failing };
      if (failing.length === 0) logger.info({ documents: upstreamDocuments().length }, 'upstream contract: every document validates');
      else logger.warn({ failing }, 'upstream contract drift: the upstream schema rejects these documents');
    } catch (error) {
      lastFailure = clock.now();
      logger.warn({ code: (error as { code?: unknown }).code }, 'upstream contract check could not run; /readyz retries it');
    } finally {
      inFlight = false;
    }
  };
  if (credential) running = run(credential);

  return {
    status(retry = false) {
      if (retry && credential && status.state === 'pending' && !inFlight && clock.now() - lastFailure >= RETRY_AFTER_MS) running = run(credential);
      return status;
    },
    settled: () => running,
  };
}
