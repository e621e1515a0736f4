/**
 * The append pipeline (internal): validate → classify → skip existing external ids
 * (`filterExistingAssets`, 1000 per call) → assign client ids → batches of 100 (uploads, then
 * `appendManyAssets`), each batch's ids checked to exist as soon as it is applied → report.
 *
 * Retry safety (DESIGN §7): `appendManyAssets` is not idempotent, so the upstream client never
 * resends it. When a batch's outcome is unknown (the error's `outcomeUnknown`), this stage asks
 * `filterExistingAssets` which of the batch's external ids are stored and resends only the others
 * (same client ids), at most `appendResends` times.
 */
import type { MutationUpstream } from './upstream-port.js';
import type { AppendArgs, MutationOutcome, MutationSettings } from './types.js';
import type { AppendDraft, AppendRow } from './append-prepare.js';
import type { PipelineDeps } from './pipeline.js';
import { BffWarningCode, badUserInput, type BffWarning } from '../errors/index.js';
import { chunk, listForMessage, mapLimited } from './lists.js';
import { type Batch, toBatches } from './batch.js';
import { BatchFailure, dispatchBatches, isOutcomeUnknown } from './dispatch.js';
import { emptyOutcome, reportFailure } from './report.js';
import { appendData, classify, needsInputType, validateAppend } from './append-prepare.js';
import { existsProbe } from './probes.js';
import { newAssetId } from './client-ids.js';
import { dispatchVerified } from './pipeline.js';
import { uploadRows } from './append-upload.js';
import { streamingVerifier, systemClock } from './verify.js';

export async function runAppend(args: AppendArgs, deps: PipelineDeps): Promise<MutationOutcome> {
  const { upstream, settings } = deps;
  const clock = deps.clock ?? systemClock;
  const { projectId } = args;
  const validated = validateAppend(args, deps.idSeed ?? null);
  if (validated.kind === 'empty') return emptyOutcome(projectId, validated.warnings);
  const warnings = [...validated.warnings];
  let inputType = null;
  if (needsInputType(validated.value)) {
    inputType = await upstream.projectInputType(projectId);
    if (inputType === null) throw badUserInput('projectId', `Project ${projectId} does not exist or you do not have access to it.`);
  }
  const rows = validated.value.map((draft) => classify(draft, newAssetId(), inputType));
  const existing = await existingExternalIds(upstream, projectId, validated.value, settings);
  if (existing.size > 0) {
    warnings.push({
      code: BffWarningCode.EXISTING_EXTERNAL_IDS_SKIPPED,
      field: 'assets.externalId',
      message: `${existing.size} input asset(s) were skipped because their external id already exists in the project: ${listForMessage([...existing])}.`,
    });
  }
  const toCreate = rows.filter((r) => !existing.has(r.externalId));
  if (toCreate.length === 0) return emptyOutcome(projectId, warnings);
  const rowById = new Map(toCreate.map((r) => [r.id, r]));
  const batches = toBatches(
    toCreate.map((r) => r.id),
    settings.batchSize,
    (ids) => ids.map((id) => rowById.get(id) as AppendRow),
  );
  const send = async (batch: Batch<AppendRow[]>) => {
    await uploadRows(upstream, projectId, batch.payload, settings, clock);
    await sendAppendBatch(upstream, projectId, batch.payload, settings);
    return { projectId };
  };
  const ids = toCreate.map((r) => r.id);
  const verified = args.waitUntilAvailability !== false;
  let sent: number;
  if (verified) {
    const verifier = streamingVerifier(existsProbe({ upstream, settings, projectId }), settings, settings.countChunkSize, clock);
    sent = (await dispatchVerified(batches, settings, send, verifier)).report.sent;
  } else {
    const report = await dispatchBatches(batches, settings.concurrency, send);
    if (report.failedBatch !== null) throw reportFailure(report);
    sent = report.sent;
    warnings.push(unverifiedWarning());
  }
  return { projectId, assetIds: ids, batches: sent, verified, warnings };
}

/** The external ids that may exist (given, or derived from an Idempotency-Key) and do. */
async function existingExternalIds(
  upstream: MutationUpstream,
  projectId: string,
  drafts: readonly AppendDraft[],
  settings: MutationSettings,
): Promise<Set<string>> {
  const given = drafts.filter((d) => d.mayExist).map((d) => d.externalId);
  const found = await mapLimited(chunk(given, settings.filterExistingChunkSize), settings.concurrency, (part) =>
    upstream.filterExistingAssets(projectId, part),
  );
  return new Set(found.flat());
}

/**
 * Sends one batch; on an unknown outcome, resends only the rows not found upstream. Rejects with
 * `BatchFailure` carrying the ids known to be stored when the batch ends half-applied.
 */
export async function sendAppendBatch(
  upstream: MutationUpstream,
  projectId: string,
  rows: readonly AppendRow[],
  settings: MutationSettings,
): Promise<void> {
  let pending = [...rows];
  const stored: string[] = [];
  for (let attempt = 0; ; attempt += 1) {
    try {
      await upstream.appendManyAssets(projectId, appendData(pending));
      return;
    } catch (error) {
      // A resend may fail because the previous attempt landed after all: re-check then too.
      if (!isOutcomeUnknown(error) && attempt === 0) throw new BatchFailure(error, stored);
      let found: Set<string>;
      try {
        found = new Set(await upstream.filterExistingAssets(projectId, pending.map((r) => r.externalId)));
      } catch {
        throw new BatchFailure(error, stored);
      }
      stored.push(...pending.filter((r) => found.has(r.externalId)).map((r) => r.id));
      pending = pending.filter((r) => !found.has(r.externalId));
      if (pending.length === 0) return;
      if (!isOutcomeUnknown(error) || attempt >= settings.appendResends) throw new BatchFailure(error, stored);
    }
  }
}

function unverifiedWarning(): BffWarning {
  return {
    code: BffWarningCode.NOT_VERIFIED,
    field: 'waitUntilAvailability',
    message: 'waitUntilAvailability is false: the upstream accepted the assets, but their availability was not checked.',
  };
}
