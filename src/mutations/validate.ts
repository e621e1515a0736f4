/**
 * Stage 1, validate (internal, pure): the SDK's argument rules (reference §6.3, §6.4, §4.1) for the
 * update, external-id change and id-list mutations. Nothing here calls upstream; every problem is a
 * `BAD_USER_INPUT` naming the field.
 */
import type { AssetData } from './upstream-port.js';
import type { AssetRef, ChangeExternalIdsArgs, IdListArgs, UpdateArgs } from './types.js';
import { BffWarningCode, badUserInput, type BffWarning } from '../errors/index.js';
import { duplicates, listForMessage, unique } from './lists.js';
import { buildAssetData } from './asset-data.js';

/** One asset to change, with the upstream `AssetData` to send for it. */
export interface RefItem {
  ref: AssetRef;
  data: AssetData;
  index: number;
}

export type Validated<T> = { kind: 'empty'; warnings: BffWarning[] } | { kind: 'ok'; value: T; warnings: BffWarning[] };

export function emptyWarning(mutation: string, argument: string): BffWarning {
  return {
    code: BffWarningCode.EMPTY_INPUT,
    field: argument,
    message: `Mutation '${mutation}' did nothing because the following argument is empty: ${argument}.`,
  };
}

/** Exactly one of `id` / `externalId`; external ids need `projectId`. */
export function refOf(item: { id?: string | null; externalId?: string | null }, index: number, projectId: string | null): AssetRef {
  const hasId = item.id != null && item.id !== '';
  const hasExternal = item.externalId != null && item.externalId !== '';
  if (hasId === hasExternal) {
    throw badUserInput(`assets[${index}]`, `assets[${index}] must give exactly one of id and externalId.`);
  }
  if (hasId) return { kind: 'id', id: item.id as string };
  if (projectId === null) {
    throw badUserInput('projectId', 'projectId is required to identify assets by externalId.');
  }
  return { kind: 'externalId', externalId: item.externalId as string };
}

export function validateUpdate(args: UpdateArgs): Validated<RefItem[]> {
  if (args.assets.length === 0) return { kind: 'empty', warnings: [emptyWarning('updatePropertiesInAssets', 'assets')] };
  const projectId = args.projectId ?? null;
  const warnings: BffWarning[] = [];
  const items: RefItem[] = [];
  const empty: number[] = [];
  let statusCount = 0;
  args.assets.forEach((input, index) => {
    const ref = refOf(input, index, projectId);
    if (input.status != null) statusCount += 1;
    const data = buildAssetData(input, `assets[${index}]`);
    if (Object.keys(data).length === 0) empty.push(index);
    else items.push({ ref, data, index });
  });
  if (statusCount > 0) warnings.push(statusIgnoredWarning(statusCount));
  if (empty.length > 0) {
    warnings.push({
      code: BffWarningCode.NOTHING_TO_UPDATE,
      field: 'assets',
      message: `Input assets at positions ${listForMessage(empty.map(String))} give no property to update and were skipped.`,
    });
  }
  // Every warning is kept: the ignored `status` too when nothing else was asked.
  if (items.length === 0) return { kind: 'empty', warnings };
  return { kind: 'ok', value: items, warnings };
}

export function validateChangeExternalIds(args: ChangeExternalIdsArgs): Validated<RefItem[]> {
  if (args.assets.length === 0) return { kind: 'empty', warnings: [emptyWarning('changeAssetExternalIds', 'assets')] };
  const projectId = args.projectId ?? null;
  const items = args.assets.map((input, index): RefItem => {
    const ref = refOf(input, index, projectId);
    if (input.newExternalId === '') {
      throw badUserInput(`assets[${index}].newExternalId`, `assets[${index}].newExternalId must not be empty.`);
    }
    return { ref, data: { externalId: input.newExternalId }, index };
  });
  const dup = duplicates(items.map((item) => item.data.externalId as string));
  if (dup.length > 0) {
    throw badUserInput('assets.newExternalId', `Several assets would get the same new external id: ${listForMessage(dup)}.`, {
      duplicateExternalIds: dup,
    });
  }
  return { kind: 'ok', value: items, warnings: [] };
}

/** delete / addToReview / sendBackToQueue: ids or external ids (not both), deduplicated. */
export function validateIdList(mutation: string, args: IdListArgs): Validated<AssetRef[]> {
  const { assetIds, externalIds } = args;
  if (assetIds != null && externalIds != null) {
    throw badUserInput('assetIds', 'Either provide assetIds or externalIds. Not both at the same time.');
  }
  if (assetIds == null && externalIds == null) {
    throw badUserInput('assetIds', 'Either provide assetIds, or projectId with externalIds.');
  }
  if (assetIds != null) {
    if (assetIds.length === 0) return { kind: 'empty', warnings: [emptyWarning(mutation, 'assetIds')] };
    return { kind: 'ok', value: unique(assetIds).map((id) => ({ kind: 'id', id })), warnings: [] };
  }
  const list = externalIds as readonly string[];
  if (list.length === 0) return { kind: 'empty', warnings: [emptyWarning(mutation, 'externalIds')] };
  if (args.projectId == null) throw badUserInput('projectId', 'projectId is required to identify assets by externalIds.');
  return { kind: 'ok', value: unique(list).map((externalId) => ({ kind: 'externalId', externalId })), warnings: [] };
}

export function statusIgnoredWarning(count: number): BffWarning {
  return {
    code: BffWarningCode.DEPRECATED_FIELD,
    field: 'assets.status',
    message: `status is computed from labels and cannot be set; it was ignored on ${count} asset(s).`,
  };
}
