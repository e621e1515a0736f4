/**
 * Stages validate + resolve ids, as a serialisable plan (internal): what a mutation will send,
 * decided before anything changes. A synchronous mutation plans then executes at once
 * (execute.ts); a bulk operation plans in the request (bad input is an error, nothing is queued)
 * and executes later, possibly in another process, from the stored plan.
 */
import type { AssetData } from './upstream-port.js';
import type { AppendArgs, ChangeExternalIdsArgs, IdListArgs, IdListKind, MutationKind, UpdateArgs } from './types.js';
import type { AppendRow } from './append-prepare.js';
import type { PipelineDeps } from './pipeline.js';
import type { RefItem, Validated } from './validate.js';
import { BffWarningCode, assertNever, badUserInput, type BffWarning } from '../errors/index.js';
import { chunk, listForMessage, mapLimited } from './lists.js';
import { classify, needsInputType, validateAppend, type AppendDraft } from './append-prepare.js';
import { newAssetId } from './client-ids.js';
import { assertDistinct, assertNewExternalIdsFree, resolveRefs } from './resolve-ids.js';
import { validateChangeExternalIds, validateIdList, validateUpdate } from './validate.js';

interface PlanBase {
  projectId: string | null;
  /** Every asset the plan acts on, in input order; batch i is `ids[i*batchSize … (i+1)*batchSize)`. */
  ids: string[];
  /**
   * The project of each asset, read when the client named no project (`[id, projectId]` pairs,
   * JSON-serialisable); null when every asset is in `projectId`.
   */
  projectOf?: [string, string][] | null;
  warnings: BffWarning[];
}

/** A mutation's work, JSON-serialisable. `ids` empty: nothing to do (the warnings say why). */
export type MutationPlan =
  | (PlanBase & { kind: IdListKind; field: 'assetIds' | 'externalIds' })
  | (PlanBase & { kind: 'updatePropertiesInAssets' | 'changeAssetExternalIds'; data: AssetData[] })
  | (PlanBase & { kind: 'appendManyToDataset'; projectId: string; rows: AppendRow[]; verified: boolean });

/** delete / addToReview / sendBackToQueue: the ids, resolved and checked to exist. */
export async function planIdList(kind: IdListKind, args: IdListArgs, deps: PipelineDeps): Promise<MutationPlan> {
  const validated = validateIdList(kind, args);
  const field = args.assetIds ? 'assetIds' : 'externalIds';
  const projectId = args.projectId ?? null;
  if (validated.kind === 'empty') return { kind, field, projectId, ids: [], projectOf: null, warnings: validated.warnings };
  const { ids, projectOf } = await resolveRefs(deps.upstream, projectId, validated.value, deps.settings);
  return { kind, field, projectId, ids, projectOf: pairs(projectOf), warnings: [...validated.warnings] };
}

/** updatePropertiesInAssets / changeAssetExternalIds: ids resolved, distinct, new external ids free. */
export async function planUpdate(
  kind: Extract<MutationKind, 'updatePropertiesInAssets' | 'changeAssetExternalIds'>,
  args: UpdateArgs | ChangeExternalIdsArgs,
  deps: PipelineDeps,
): Promise<MutationPlan> {
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
  if (validated.kind === 'empty') return { kind, projectId, ids: [], projectOf: null, data: [], warnings: validated.warnings };
  const items = validated.value;
  const { ids, projectOf } = await resolveRefs(upstream, projectId, items.map((i) => i.ref), settings);
  assertDistinct(ids);
  if (kind === 'changeAssetExternalIds') {
    await assertNewExternalIdsFree(upstream, projectId, ids, items.map((i) => i.data.externalId as string), settings, projectOf);
  }
  return { kind, projectId, ids, projectOf: pairs(projectOf), data: items.map((i) => i.data), warnings: validated.warnings };
}

/**
 * Append: validate → classify → skip existing external ids → client ids. Generated external ids
 * derive from `deps.idSeed` when set (Idempotency-Key, bulk operation id), so a rerun of the same
 * request or operation never duplicates.
 */
export async function planAppend(args: AppendArgs, deps: PipelineDeps): Promise<MutationPlan> {
  const { upstream, settings } = deps;
  const { projectId } = args;
  const verified = args.waitUntilAvailability !== false;
  const validated = validateAppend(args, deps.idSeed ?? null);
  if (validated.kind === 'empty') return { kind: 'appendManyToDataset', projectId, ids: [], projectOf: null, rows: [], verified, warnings: validated.warnings };
  const warnings = [...validated.warnings];
  let inputType = null;
  if (needsInputType(validated.value)) {
    inputType = await upstream.projectInputType(projectId);
    if (inputType === null) throw badUserInput('projectId', `Project ${projectId} does not exist or you do not have access to it.`);
  }
  const rows = validated.value.map((draft) => classify(draft, newAssetId(), inputType));
  const existing = await existingExternalIds(deps, projectId, validated.value);
  if (existing.size > 0) {
    warnings.push({
      code: BffWarningCode.EXISTING_EXTERNAL_IDS_SKIPPED,
      field: 'assets.externalId',
      message: `${existing.size} input asset(s) were skipped because their external id already exists in the project: ${listForMessage([...existing])}.`,
    });
  }
  const toCreate = rows.filter((r) => !existing.has(r.externalId));
  return { kind: 'appendManyToDataset', projectId, ids: toCreate.map((r) => r.id), projectOf: null, rows: toCreate, verified, warnings };

  async function existingExternalIds(d: PipelineDeps, project: string, drafts: readonly AppendDraft[]): Promise<Set<string>> {
    const given = drafts.filter((x) => x.mayExist).map((x) => x.externalId);
    const found = await mapLimited(chunk(given, settings.filterExistingChunkSize), settings.concurrency, (part) =>
      d.upstream.filterExistingAssets(project, part),
    );
    return new Set(found.flat());
  }
}

function pairs(projectOf: ReadonlyMap<string, string> | null): [string, string][] | null {
  return projectOf === null ? null : [...projectOf];
}

/** Plans any of the six mutations from its GraphQL arguments. */
export function planMutation(kind: MutationKind, args: object, deps: PipelineDeps): Promise<MutationPlan> {
  switch (kind) {
    case 'appendManyToDataset':
      return planAppend(args as AppendArgs, deps);
    case 'updatePropertiesInAssets':
    case 'changeAssetExternalIds':
      return planUpdate(kind, args as UpdateArgs | ChangeExternalIdsArgs, deps);
    case 'deleteManyFromDataset':
    case 'addToReview':
    case 'sendBackToQueue':
      return planIdList(kind, args as IdListArgs, deps);
    default:
      return assertNever(kind, 'mutation kind');
  }
}
