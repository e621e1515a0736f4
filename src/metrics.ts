/**
 * Prometheus metrics (DESIGN §10), on a registry of their own created once per process.
 * Labels never carry credentials, ids or client-chosen names: only operation types, root fields of
 * the schema (a fixed set), results and namespaces, so the number of series is bounded.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new Histogram({
  name: 'bff_graphql_request_duration_seconds',
  help: 'GraphQL request duration by operation type (query, mutation, subscription, unknown) and root field of the schema (multiple when several, none when not resolved)',
  labelNames: ['operation', 'root_field', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const upstreamDuration = new Histogram({
  name: 'bff_upstream_request_duration_seconds',
  help: 'Duration of one upstream HTTP attempt',
  labelNames: ['root_field', 'result'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const upstreamCallsPerRequest = new Histogram({
  name: 'bff_upstream_calls_per_request',
  help: 'Upstream HTTP attempts made for one GraphQL request',
  buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100, 200],
  registers: [registry],
});

export const cacheLookups = new Counter({
  name: 'bff_cache_lookups_total',
  help: 'Cache lookups by namespace and result (hit ratio = hit / all)',
  labelNames: ['namespace', 'result'] as const,
  registers: [registry],
});

export const mutationBatches = new Counter({
  name: 'bff_mutation_batches_total',
  help: 'Upstream mutation batches sent (one per upstream mutation call, retries not counted)',
  labelNames: ['root_field'] as const,
  registers: [registry],
});

export const bulkOperations = new Counter({
  name: 'bff_bulk_operations_total',
  help: 'Bulk operations entering a status, by mutation kind and status (QUEUED, RUNNING, then one final status)',
  labelNames: ['kind', 'status'] as const,
  registers: [registry],
});

export const bulkAssetsProcessed = new Counter({
  name: 'bff_bulk_assets_processed_total',
  help: 'Assets processed by finished bulk operations (sent and answered), by mutation kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});
