/**
 * Stages chunk → dispatch ∥ verify → report, from a plan (internal). Verification of each batch
 * starts as soon as it is applied, overlapping the dispatch of later batches. Never rejects for an
 * upstream failure: the report carries the error (`PARTIAL_FAILURE`, the upstream error,
 * `VERIFICATION_FAILED`) next to the lists, so a synchronous mutation throws it and a bulk
 * operation records it.
 *
 * Hooks for bulk operations (`ExecuteHooks`): a resume plan (batches already applied are not
 * sent again; batches that were in flight are first re-checked with the mutation's own
 * outcome-unknown check), a stop signal checked before each batch (cancel), and a callback per
 * batch (checkpoint, progress).
 */
import type { AssetData } from './upstream-port.js';
import type { MutationOutcome } from './types.js';
import type { AppendRow } from './append-prepare.js';
import type { MutationPlan } from './plan.js';
import type { PipelineDeps } from './pipeline.js';
import type { Probe, StreamingVerifier } from './verify.js';
import { BffError, BffWarningCode, assertNever, type BffWarning } from '../errors/index.js';
import { listForMessage } from './lists.js';
import { type Batch, toBatches } from './batch.js';
import { type BatchAck, type BatchOutcome, dispatchBatches, recheckUnknown } from './dispatch.js';
import { projectsReport, reportFailure, type RetryAdvice } from './report.js';
import { projectsOf } from './resolve-ids.js';
import { existsProbe, idListProbe, readBackProbe } from './probes.js';
import { sendAppendBatch } from './append.js';
import { sendIdList } from './pipeline.js';
import { uploadRows } from './append-upload.js';
import { streamingVerifier, systemClock } from './verify.js';

/** Where an interrupted bulk operation stands (its checkpoint). */
export interface ResumePlan {
  /** Batches known applied. */
  done: ReadonlySet<number>;
  /** Batches started and never settled: their outcome is unknown. */
  inFlight: ReadonlySet<number>;
  /** Batches sent by earlier runs. */
  sent: number;
}

export interface ExecuteHooks {
  resume?: ResumePlan;
  /** Asked before each batch; true stops it and every later one (cancel). */
  shouldStop?: () => boolean | Promise<boolean>;
  /** Before a batch is sent (checkpoint: "in flight"). */
  onBatchStart?: (index: number) => void | Promise<void>;
  /** Once a batch is applied or failed: its ids, and those known applied. */
  onBatchSettled?: (index: number, ids: readonly string[], appliedIds: readonly string[]) => void | Promise<void>;
}

export interface ExecuteReport {
  /** What `AssetMutationResult` reports: `assetIds` are the assets actually affected. */
  outcome: MutationOutcome;
  applied: string[];
  failed: string[];
  unknown: string[];
  /** Not sent because of a cancel. */
  notSent: string[];
  canceled: boolean;
  /** Why the mutation did not complete, or null. */
  error: BffError | null;
}

interface KindParts<P> {
  batches: Batch<P>[];
  /** `inFlight`: a run that died sent this batch and never heard back. */
  send: (batch: Batch<P>, inFlight: boolean) => Promise<BatchAck>;
  /** Re-check of a batch whose outcome is unknown (idempotent mutations); null: the sender re-checks. */
  recheck: Probe | null;
  verifier: StreamingVerifier | null;
  onAck?: (ack: BatchAck) => void;
  /** What a PARTIAL_FAILURE tells the client about retrying. @default 'idempotent' */
  retry?: RetryAdvice;
  /** Warnings added once the run is over (from what verification skipped). */
  finalWarnings: (skipped: ReadonlySet<string>) => BffWarning[];
}

export async function executePlan(plan: MutationPlan, deps: PipelineDeps, hooks: ExecuteHooks = {}): Promise<ExecuteReport> {
  const warnings = [...plan.warnings];
  const priorSent = hooks.resume?.sent ?? 0;
  const projectOf = plan.projectOf ? new Map(plan.projectOf) : null;
  if (plan.ids.length === 0) {
    const outcome = { ...projectsReport([], plan.projectId), assetIds: [], batches: priorSent, verified: true, warnings };
    return { outcome, applied: [], failed: [], unknown: [], notSent: [], canceled: false, error: null };
  }
  const parts = kindParts(plan, deps, projectOf) as KindParts<unknown>;
  const inFlight = hooks.resume?.inFlight ?? new Set<number>();
  const send = async (batch: Batch<unknown>): Promise<BatchAck> => {
    await hooks.onBatchStart?.(batch.index);
    if (inFlight.has(batch.index) && parts.recheck) {
      // Sent by a run that died before hearing back: skip it when the check shows it applied.
      const check = await parts.recheck(batch.ids).catch(() => null);
      if (check && check.pending.length === 0) return { projectId: plan.projectId };
    }
    return parts.send(batch, inFlight.has(batch.index));
  };
  const report = await dispatchBatches(
    parts.batches,
    deps.settings.concurrency,
    send,
    (batch, ack) => {
      parts.onAck?.(ack);
      parts.verifier?.add(batch.ids);
    },
    {
      done: hooks.resume?.done,
      shouldStop: hooks.shouldStop,
      onSettled: (index, outcome: BatchOutcome) => {
        const ids = parts.batches[index]?.ids ?? [];
        const applied = outcome.kind === 'applied' ? ids : outcome.kind === 'failed' ? outcome.appliedIds : [];
        return hooks.onBatchSettled?.(index, ids, applied);
      },
    },
  );
  let error: BffError | null = null;
  if (report.failedBatch !== null) {
    await parts.verifier?.settle();
    if (parts.recheck) await recheckUnknown(report, parts.batches, parts.recheck);
    if (report.failed.length > 0) error = reportFailure(report, parts.retry);
  }
  let skipped = new Set<string>();
  let verified = plan.kind !== 'appendManyToDataset' || plan.verified;
  if (!error && parts.verifier) {
    try {
      skipped = new Set((await parts.verifier.finish()).skipped);
    } catch (e) {
      if (!(e instanceof BffError)) throw e;
      error = e;
      verified = false;
    }
  }
  if (error) verified = false;
  const assetIds = report.applied.filter((id) => !skipped.has(id));
  const outcome: MutationOutcome = {
    ...projectsReport(projectsOf(assetIds, plan.projectId, projectOf), plan.projectId),
    assetIds,
    batches: priorSent + report.sent,
    verified,
    warnings: [...warnings, ...parts.finalWarnings(skipped)],
  };
  return { outcome, applied: report.applied, failed: report.failed, unknown: report.unknown, notSent: report.notSent, canceled: report.halted, error };
}

function kindParts(plan: MutationPlan, deps: PipelineDeps, projectOf: ReadonlyMap<string, string> | null): KindParts<unknown> {
  const { upstream, settings } = deps;
  const clock = deps.clock ?? systemClock;
  const none = () => [];
  switch (plan.kind) {
    case 'deleteManyFromDataset':
    case 'addToReview':
    case 'sendBackToQueue': {
      const kind = plan.kind;
      // The checks are scoped to the project when there is exactly one (they select by id anyway).
      const projects = projectsOf(plan.ids, plan.projectId, projectOf);
      const probe = idListProbe(kind, { upstream, settings, projectId: projects.length === 1 ? (projects[0] as string) : null });
      return {
        batches: toBatches(plan.ids, settings.batchSize, () => null),
        send: (batch) => sendIdList(kind, upstream, batch.ids).then((projectId) => ({ projectId })),
        recheck: probe,
        verifier: streamingVerifier(probe, settings, settings.countChunkSize, clock),
        finalWarnings: (skipped) =>
          skipped.size === 0
            ? []
            : [
                {
                  code: BffWarningCode.UNLABELED_ASSETS_IGNORED,
                  field: plan.field,
                  message: `${skipped.size} asset(s) have no label, so the upstream left them where they were: ${listForMessage(plan.ids.filter((id) => skipped.has(id)))}.`,
                },
              ],
      };
    }
    case 'updatePropertiesInAssets':
    case 'changeAssetExternalIds': {
      const dataById = new Map<string, AssetData>(plan.ids.map((id, i) => [id, plan.data[i] as AssetData]));
      const probe = readBackProbe(dataById, { upstream, settings, projectId: plan.projectId });
      return {
        batches: toBatches(plan.ids, settings.batchSize, (part) => part.map((id) => dataById.get(id) as AssetData)),
        send: async (batch) => {
          await upstream.updatePropertiesInAssets(batch.ids, batch.payload as AssetData[]);
          return { projectId: plan.projectId };
        },
        recheck: probe,
        verifier: streamingVerifier(probe, settings, settings.readChunkSize, clock),
        finalWarnings: none,
      };
    }
    case 'appendManyToDataset': {
      const { projectId } = plan;
      const rowById = new Map(plan.rows.map((r) => [r.id, r]));
      const batches = toBatches(plan.ids, settings.batchSize, (ids) => ids.map((id) => rowById.get(id) as AppendRow));
      return {
        batches,
        send: async (batch, inFlight) => {
          const rows = batch.payload as AppendRow[];
          await uploadRows(upstream, projectId, rows, settings, clock);
          // In flight when its run died: first ask which of its external ids are stored.
          await sendAppendBatch(upstream, projectId, rows, settings, { outcomeUnknown: inFlight });
          return { projectId };
        },
        recheck: null,
        retry: 'append',
        verifier: plan.verified ? streamingVerifier(existsProbe({ upstream, settings, projectId }), settings, settings.countChunkSize, clock) : null,
        finalWarnings: () => (plan.verified ? [] : [unverifiedWarning()]),
      };
    }
    default:
      return assertNever(plan, 'mutation plan');
  }
}

function unverifiedWarning(): BffWarning {
  return {
    code: BffWarningCode.NOT_VERIFIED,
    field: 'waitUntilAvailability',
    message: 'waitUntilAvailability is false: the upstream accepted the assets, but their availability was not checked.',
  };
}
