/**
 * The update, external-id change and id-list pipelines (internal):
 * `validate → resolve ids → chunk (100) → dispatch ∥ verify → report`: verification of each batch
 * starts as soon as it is applied, overlapping the dispatch of later batches. Each function
 * resolves with the stored part of `AssetMutationResult` or rejects with a `BffError`.
 */
import type { AssetData, MutationUpstream } from './upstream-port.js';
import type { ChangeExternalIdsArgs, IdListArgs, IdListKind, MutationKind, MutationOutcome, MutationSettings, UpdateArgs } from './types.js';
import type { Clock, Probe, StreamingVerifier, VerifyResult } from './verify.js';
import type { ProbeDeps } from './probes.js';
import type { RefItem, Validated } from './validate.js';
import { BffWarningCode, assertNever } from '../errors/index.js';
import { listForMessage } from './lists.js';
import { type Batch, toBatches } from './batch.js';
import { type BatchAck, type DispatchReport, dispatchBatches, recheckUnknown } from './dispatch.js';
import { emptyOutcome, reportFailure } from './report.js';
import { idListProbe, readBackProbe } from './probes.js';
import { assertDistinct, assertNewExternalIdsFree, resolveRefs } from './resolve-ids.js';
import { validateChangeExternalIds, validateIdList, validateUpdate } from './validate.js';
import { streamingVerifier, systemClock } from './verify.js';

export interface PipelineDeps {
  upstream: MutationUpstream;
  settings: MutationSettings;
  clock?: Clock;
  /**
   * Seed of append's generated external ids when the request has an `Idempotency-Key` (a hash of
   * the credential hash, the key and the response key); absent → random external ids.
   */
  idSeed?: string;
}

/** delete / addToReview / sendBackToQueue. */
export async function runIdList(kind: IdListKind, args: IdListArgs, deps: PipelineDeps): Promise<MutationOutcome> {
  const { upstream, settings } = deps;
  const validated = validateIdList(kind, args);
  if (validated.kind === 'empty') return emptyOutcome(args.projectId ?? null, validated.warnings);
  const ids = await resolveRefs(upstream, args.projectId ?? null, validated.value, settings);
  // The probe reads `projectId` when it runs: the first batch acknowledged names it when the
  // client gave none (a scope for the checks, which select by id anyway).
  const probeDeps: ProbeDeps = { upstream, settings, projectId: args.projectId ?? null };
  const probe = idListProbe(kind, probeDeps);
  const verifier = streamingVerifier(probe, settings, settings.countChunkSize, deps.clock ?? systemClock);
  const send = (batch: Batch<null>) => sendIdList(kind, upstream, batch.ids).then((projectId) => ({ projectId }));
  const { report, result } = await dispatchVerified(toBatches(ids, settings.batchSize, () => null), settings, send, verifier, {
    onAck: (ack) => {
      probeDeps.projectId ??= ack.projectId;
    },
    recheck: probe,
  });
  const projectId = probeDeps.projectId;
  const warnings = [...validated.warnings];
  const skipped = new Set(result.skipped);
  if (skipped.size > 0) {
    warnings.push({
      code: BffWarningCode.UNLABELED_ASSETS_IGNORED,
      field: args.assetIds ? 'assetIds' : 'externalIds',
      message: `${skipped.size} asset(s) have no label, so the upstream left them where they were: ${listForMessage(ids.filter((id) => skipped.has(id)))}.`,
    });
  }
  return { projectId, assetIds: ids.filter((id) => !skipped.has(id)), batches: report.sent, verified: true, warnings };
}

function sendIdList(kind: IdListKind, upstream: MutationUpstream, ids: string[]): Promise<string | null> {
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
  const { upstream, settings } = deps;
  let validated: Validated<RefItem[]>;
  switch (kind) {
    case 'updatePropertiesInAssets':
      validated = validateUpdate(args as UpdateArgs);
      break;
    case 'changeAssetExternalIds':
      validated = validateChangeExternalIds(args as ChangeExternalIdsArgs);
      break;
    default:
      return assertNever(kind, 'mutation kind');
  }
  const projectId = args.projectId ?? null;
  if (validated.kind === 'empty') return emptyOutcome(projectId, validated.warnings);
  const items = validated.value;
  const ids = await resolveRefs(upstream, projectId, items.map((i) => i.ref), settings);
  assertDistinct(ids);
  if (kind === 'changeAssetExternalIds') {
    await assertNewExternalIdsFree(upstream, projectId, ids, items.map((i) => i.data.externalId as string), settings);
  }
  const dataById = new Map<string, AssetData>(ids.map((id, i) => [id, (items[i] as RefItem).data]));
  const batches = toBatches(ids, settings.batchSize, (part) => part.map((id) => dataById.get(id) as AssetData));
  const probe = readBackProbe(dataById, { upstream, settings, projectId });
  const verifier = streamingVerifier(probe, settings, settings.readChunkSize, deps.clock ?? systemClock);
  const { report } = await dispatchVerified(batches, settings, async (batch) => {
    await upstream.updatePropertiesInAssets(batch.ids, batch.payload);
    return { projectId };
  }, verifier, { recheck: probe });
  return { projectId, assetIds: ids, batches: report.sent, verified: true, warnings: validated.warnings };
}

/**
 * Dispatch with streamed verification: each batch joins the verifier as soon as it is applied
 * (`onAck` first, e.g. to learn the project), so checks run while later batches are sent. A failed
 * batch → the in-flight checks are let finish, the batches whose outcome is unknown are checked
 * once with `recheck` (idempotent mutations; append rechecks inside its sender), then
 * `PARTIAL_FAILURE` (or the upstream error); otherwise resolves once every asset is verified (or
 * rejects with `VERIFICATION_FAILED`).
 */
export async function dispatchVerified<P>(
  batches: readonly Batch<P>[],
  settings: MutationSettings,
  send: (batch: Batch<P>) => Promise<BatchAck>,
  verifier: StreamingVerifier,
  opts: { onAck?: (ack: BatchAck) => void; recheck?: Probe } = {},
): Promise<{ report: DispatchReport; result: VerifyResult }> {
  const report = await dispatchBatches(batches, settings.concurrency, send, (batch, ack) => {
    opts.onAck?.(ack);
    verifier.add(batch.ids);
  });
  if (report.failedBatch !== null) {
    await verifier.settle();
    if (opts.recheck) await recheckUnknown(report, batches, opts.recheck);
    // The recheck may find every failed batch applied after all: then this is a success.
    if (report.failed.length > 0) throw reportFailure(report);
  }
  return { report, result: await verifier.finish() };
}
