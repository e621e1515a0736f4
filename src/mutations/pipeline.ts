/**
 * The update, external-id change and id-list pipelines (internal):
 * `validate → resolve ids (plan.ts) → chunk (100) → dispatch ∥ verify → report (execute.ts)`:
 * verification of each batch starts as soon as it is applied, overlapping the dispatch of later
 * batches. Each `run…` function resolves with the stored part of `AssetMutationResult` or rejects
 * with a `BffError`.
 */
import type { MutationUpstream } from './upstream-port.js';
import type { ChangeExternalIdsArgs, IdListArgs, IdListKind, MutationKind, MutationOutcome, MutationSettings, UpdateArgs } from './types.js';
import type { Clock } from './verify.js';
import type { ExecuteReport } from './execute.js';
import { assertNever } from '../errors/index.js';
import { executePlan } from './execute.js';
import { planIdList, planUpdate } from './plan.js';

export interface PipelineDeps {
  upstream: MutationUpstream;
  settings: MutationSettings;
  clock?: Clock;
  /**
   * Seed of append's generated external ids: a hash of the credential hash, the `Idempotency-Key`
   * and the response key, or of a bulk operation's id; absent → random external ids.
   */
  idSeed?: string;
}

/** The outcome of a report that completed; rejects with its error otherwise. */
export function settled(report: ExecuteReport): MutationOutcome {
  if (report.error) throw report.error;
  return report.outcome;
}

/** delete / addToReview / sendBackToQueue. */
export async function runIdList(kind: IdListKind, args: IdListArgs, deps: PipelineDeps): Promise<MutationOutcome> {
  return settled(await executePlan(await planIdList(kind, args, deps), deps));
}

export function sendIdList(kind: IdListKind, upstream: MutationUpstream, ids: string[]): Promise<string | null> {
  switch (kind) {
    case 'deleteManyFromDataset':
      return upstream.deleteManyFromDataset(ids);
    case 'addToReview':
      return upstream.addAllLabeledAssetsToReview(ids);
    case 'sendBackToQueue':
      return upstream.sendBackAssetsToQueue(ids);
    default:
      return assertNever(kind, 'mutation kind');
  }
}

/** updatePropertiesInAssets / changeAssetExternalIds: both send `updatePropertiesInAssets`. */
export async function runUpdate(
  kind: Extract<MutationKind, 'updatePropertiesInAssets' | 'changeAssetExternalIds'>,
  args: UpdateArgs | ChangeExternalIdsArgs,
  deps: PipelineDeps,
): Promise<MutationOutcome> {
  return settled(await executePlan(await planUpdate(kind, args, deps), deps));
}
