/**
 * Append, stages validate + classify (internal, pure): the SDK's import rules (reference §4.3,
 * §4.4, §6.5) for assets given as hosted URLs, raw text, or rich-text `jsonContent`.
 * Every asset gets an external id (uuid4 hex when absent, or, with an `Idempotency-Key`, a hex id
 * derived from the key and the asset's position, the same on a retry); external ids repeated within
 * the input are `BAD_USER_INPUT` listing them (the SDK silently drops every copy, reference §9.11).
 */
import type { AppendManyAssetsData, InputType } from './upstream-port.js';
import type { AppendArgs, AssetInput } from './types.js';
import type { Validated } from './validate.js';
import { badUserInput, type BffWarning } from '../errors/index.js';
import { duplicates, listForMessage } from './lists.js';
import { encodeJsonContent, encodeMetadata } from './json-fields.js';
import { newExternalId, seededExternalId } from './client-ids.js';
import { emptyWarning, statusIgnoredWarning } from './validate.js';

export interface AppendDraft {
  index: number;
  externalId: string;
  /** False when the external id was generated here. */
  externalIdGiven: boolean;
  /**
   * True when the external id may already exist upstream: given by the client, or derived from the
   * `Idempotency-Key` (an earlier, failed run with the same key may have created the asset).
   */
  mayExist: boolean;
  input: AssetInput;
  jsonMetadata: string;
}

/** What must be uploaded before the asset can be created, and where its signed URL goes. */
export interface UploadSpec {
  target: 'content' | 'jsonContent';
  body: string;
  contentType: string;
}

export interface AppendRow {
  index: number;
  id: string;
  externalId: string;
  content: string;
  jsonContent: string;
  jsonMetadata: string;
  isHoneypot: boolean;
  upload: UploadSpec | null;
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

/** `idSeed`: set when the request has an `Idempotency-Key` (see `seededExternalId`). */
export function validateAppend(args: AppendArgs, idSeed: string | null = null): Validated<AppendDraft[]> {
  if (args.assets.length === 0) return { kind: 'empty', warnings: [emptyWarning('appendManyToDataset', 'assets')] };
  const warnings: BffWarning[] = [];
  const drafts = args.assets.map((input, index): AppendDraft => {
    const hasContent = input.content != null && input.content !== '';
    if (!hasContent && input.jsonContent == null) {
      throw badUserInput(`assets[${index}]`, `assets[${index}] needs content or jsonContent.`);
    }
    const given = input.externalId != null && input.externalId !== '';
    return {
      index,
      externalId: given ? (input.externalId as string) : idSeed === null ? newExternalId() : seededExternalId(idSeed, index),
      externalIdGiven: given,
      mayExist: given || idSeed !== null,
      input,
      jsonMetadata: input.jsonMetadata == null ? '{}' : encodeMetadata(input.jsonMetadata, `assets[${index}].jsonMetadata`),
    };
  });
  const dup = duplicates(drafts.filter((d) => d.externalIdGiven).map((d) => d.externalId));
  if (dup.length > 0) {
    throw badUserInput('assets.externalId', `These external ids appear more than once in the input: ${listForMessage(dup)}.`, {
      duplicateExternalIds: dup,
    });
  }
  const statusCount = args.assets.filter((a) => a.status != null).length;
  if (statusCount > 0) warnings.push(statusIgnoredWarning(statusCount));
  return { kind: 'ok', value: drafts, warnings };
}

/** True when classifying the drafts needs the project's input type (anything but hosted URLs). */
export function needsInputType(drafts: readonly AppendDraft[]): boolean {
  return drafts.some((d) => d.input.jsonContent != null || !isUrl(d.input.content ?? ''));
}

/**
 * Decides per asset what goes into `contentArray` / `jsonContentArray` and what is uploaded first
 * (reference §6.5, TEXT rows): raw text → uploaded `text/plain`; TEXT `jsonContent` (rich text) →
 * uploaded JSON; other project types take `jsonContent` inline and need URL content.
 */
export function classify(draft: AppendDraft, id: string, inputType: InputType | null): AppendRow {
  const { input, index } = draft;
  const content = input.content ?? '';
  const row: AppendRow = {
    index,
    id,
    externalId: draft.externalId,
    content,
    jsonContent: '',
    jsonMetadata: draft.jsonMetadata,
    isHoneypot: input.isHoneypot ?? false,
    upload: null,
  };
  if (input.jsonContent != null) {
    if (inputType === 'TEXT') {
      if (content !== '') throw badUserInput(`assets[${index}].content`, `assets[${index}]: give either content or jsonContent (rich text) for a TEXT project.`);
      row.upload = { target: 'jsonContent', body: encodeJsonContent(input.jsonContent), contentType: 'application/json' };
      return row;
    }
    row.jsonContent = encodeJsonContent(input.jsonContent);
  }
  if (content === '' || isUrl(content)) return row;
  if (inputType !== 'TEXT') {
    throw badUserInput(`assets[${index}].content`, `assets[${index}].content must be an http(s) URL for a ${inputType ?? 'non-TEXT'} project (raw content is for TEXT projects).`);
  }
  row.content = '';
  row.upload = { target: 'content', body: content, contentType: 'text/plain; charset=utf-8' };
  return row;
}

/** The bucket path of an upload (reference §4.4). */
export function uploadPath(projectId: string, row: AppendRow): string {
  return `projects/${projectId}/assets/${row.id}/${row.upload?.target ?? 'content'}`;
}

/** `AppendManyAssetsData` for rows whose uploads are done (reference §4.3, sync import). */
export function appendData(rows: readonly AppendRow[]): AppendManyAssetsData {
  return {
    contentArray: rows.map((r) => r.content),
    externalIDArray: rows.map((r) => r.externalId),
    idArray: rows.map((r) => r.id),
    isHoneypotArray: rows.map((r) => r.isHoneypot),
    jsonContentArray: rows.map((r) => r.jsonContent),
    jsonMetadataArray: rows.map((r) => r.jsonMetadata),
  };
}
