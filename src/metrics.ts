/**
 * Prometheus metrics (DESIGN §10), on a registry of their own created once per process.
 * Labels never carry credentials or ids: only operation names, root fields and status classes.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new Histogram({
  name: 'bff_graphql_request_duration_seconds',
  help: 'GraphQL request duration',
  labelNames: ['operation', 'outcome'] as const,
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
  help: 'Upstream mutation batches sent',
  labelNames: ['root_field'] as const,
  registers: [registry],
});
