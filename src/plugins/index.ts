/**
 * The request pipeline, in one ordered list (STYLE §7): each cross-cutting feature is one
 * `use<Feature>(opts)` from its folder (plugins/<feature>/index.ts). Limits first, then the
 * features that shape a request and its response, then observability, then the caller's extras.
 * Assembler: wiring only.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../config.js';
import type { BffContext } from '../context.js';
import type { Logger } from '../log.js';
import { useClientDisconnect } from './client-disconnect/index.js';
import { useDateTimeInput } from './date-time-input/index.js';
import { useInputLimits } from './input-limits/index.js';
import { useLimits } from './limits/index.js';
import { useNoStore } from './no-store/index.js';
import { useObservability } from './observability/index.js';
import { assemble, type Pipeline } from './plugin.js';
import { useResponseCache } from './response-cache/index.js';
import { useWarnings } from './warnings/index.js';

export type { BffPlugin, MutationResolver, MutationWrapper, Pipeline } from './plugin.js';

export interface PipelineOptions {
  config: Readonly<Config>;
  logger: Logger;
  /** Part of response-cache keys (changes with the public schema). */
  schemaVersion: string;
  /** Apollo plugins appended last (e.g. the HTTP server's drain plugin). */
  extra?: ApolloServerPlugin<BffContext>[];
}

export function bffPipeline({ config, logger, schemaVersion, extra = [] }: PipelineOptions): Pipeline {
  return assemble([
    // Apollo's default landing page loads Sandbox from a CDN; GraphiQL is served by the BFF itself.
    { apollo: [ApolloServerPluginLandingPageDisabled()] },
    // `cache-control: no-store` without a per-field hook.
    useNoStore(),
    // Depth, aliases, cost, tokens: rejected at validation, before anything runs.
    useLimits(config),
    // Rejected DateTime values → BAD_USER_INPUT naming the field.
    useDateTimeInput(),
    // JSON values nested past JSON_DEPTH → BAD_USER_INPUT naming the field (other bounds: src/limits/).
    useInputLimits(),
    // A query's upstream calls stop when its client leaves; a mutation's run to completion.
    useClientDisconnect(),
    // The request's warnings → extensions.warnings.
    useWarnings(),
    // After the warnings: cached responses keep their extensions.warnings. Mutations invalidate.
    useResponseCache({ ttlMs: config.RESPONSE_CACHE_TTL_MS, schemaVersion }),
    // Sees every response as sent: one log line and the request metrics.
    useObservability(logger),
    { apollo: extra },
  ]);
}
