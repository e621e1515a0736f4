/**
 * Upstream `AssetData` for one asset (reference §4.1, keys in the SDK's order) and the read-back
 * comparison used to verify it (DESIGN §7 "values read back"). Internal, pure.
 */
import type { AssetPropertiesInput } from '../__generated__/bff.js';
import type { AssetData, Selection, UpstreamAsset } from './upstream-port.js';
import { badUserInput } from '../errors/index.js';
import { jsonField, jsonValue } from '../json-text.js';
import { encodeJsonContent, encodeMetadata, jsonEqual } from './json-fields.js';

/** Builds the `AssetData` of one update item; absent or null inputs contribute no key. */
export function buildAssetData(input: AssetPropertiesInput, at: string): AssetData {
  const data: AssetData = {};
  if (input.priority != null) data.priority = input.priority;
  if (input.jsonMetadata != null) data.jsonMetadata = encodeMetadata(input.jsonMetadata, `${at}.jsonMetadata`);
  if (input.consensusMark != null) data.consensusMark = mark(input.consensusMark, `${at}.consensusMark`);
  if (input.honeypotMark != null) data.honeypotMark = mark(input.honeypotMark, `${at}.honeypotMark`);
  if (input.toBeLabeledBy != null) {
    // Public contract: the list replaces the assignees (`[]` clears them). The SDK only resets
    // on an empty list, so a non-empty one adds to the old assignees; we always reset first.
    data.toBeLabeledBy = [...input.toBeLabeledBy];
    data.shouldResetToBeLabeledBy = true;
  }
  if (input.content != null) data.content = input.content;
  if (input.jsonContent != null) data.jsonContent = encodeJsonContent(input.jsonContent);
  if (input.isUsedForConsensus != null) data.isUsedForConsensus = input.isUsedForConsensus;
  if (input.isHoneypot != null) data.isHoneypot = input.isHoneypot;
  if (input.pageResolutions != null) data.pageResolutions = input.pageResolutions.map((p) => ({ ...p }));
  if (input.resolution != null) data.resolution = { width: input.resolution.width, height: input.resolution.height };
  return data;
}

function mark(value: number, field: string): number {
  if (!(value >= 0 && value <= 1)) throw badUserInput(field, `${field} must be between 0 and 1, got ${value}.`);
  return value;
}

/** What to read back to check `data` (`id` is always read). */
export function readBackSelection(data: AssetData): Selection {
  const selection: Selection = {};
  for (const key of Object.keys(data) as Array<keyof AssetData>) {
    switch (key) {
      case 'externalId':
      case 'priority':
      case 'jsonMetadata':
      case 'consensusMark':
      case 'honeypotMark':
      case 'content':
      case 'jsonContent':
      case 'isUsedForConsensus':
      case 'isHoneypot':
        selection[key] = true;
        break;
      case 'toBeLabeledBy':
        selection.toBeLabeledBy = { email: true };
        break;
      case 'resolution':
        selection.resolution = { width: true, height: true };
        break;
      case 'pageResolutions':
        selection.pageResolutions = { pageNumber: true, width: true, height: true, rotation: true };
        break;
      case 'shouldResetToBeLabeledBy':
      case 'status':
        break;
      default:
        // AssetData may grow fields that the BFF never sends; they need no read-back.
        break;
    }
  }
  return selection;
}

const near = (a: unknown, b: number): boolean => typeof a === 'number' && Math.abs(a - b) < 1e-9;

/** True when the read-back asset (JSON fields compared as values) shows every value of `data`. */
export function showsData(read: UpstreamAsset, data: AssetData): boolean {
  if (data.externalId != null && read.externalId !== data.externalId) return false;
  if (data.priority != null && read.priority !== data.priority) return false;
  if (data.jsonMetadata != null && !jsonEqual(jsonValue(read.jsonMetadata), jsonValue(jsonField(data.jsonMetadata)))) return false;
  if (data.consensusMark != null && !near(read.consensusMark, data.consensusMark)) return false;
  if (data.honeypotMark != null && !near(read.honeypotMark, data.honeypotMark)) return false;
  if (data.content != null && read.content !== data.content) return false;
  if (data.jsonContent != null && !jsonEqual(jsonValue(read.jsonContent), jsonValue(jsonField(data.jsonContent)))) return false;
  if (data.isUsedForConsensus != null && read.isUsedForConsensus !== data.isUsedForConsensus) return false;
  if (data.isHoneypot != null && read.isHoneypot !== data.isHoneypot) return false;
  if (data.toBeLabeledBy != null) {
    const got = new Set((read.toBeLabeledBy ?? []).map((u) => String(u.email).toLowerCase()));
    const want = new Set(data.toBeLabeledBy.flatMap((e) => (e == null ? [] : [e.toLowerCase()])));
    if (got.size !== want.size || ![...want].every((e) => got.has(e))) return false;
  }
  if (data.resolution != null) {
    const r = read.resolution;
    if (!r || !near(r.width, data.resolution.width) || !near(r.height, data.resolution.height)) return false;
  }
  if (data.pageResolutions != null) {
    const got = read.pageResolutions ?? [];
    const want = data.pageResolutions.filter((p) => p != null);
    if (got.length !== want.length) return false;
    const same = want.every((w) => {
      const g = got.find((p) => p.pageNumber === w.pageNumber);
      return g !== undefined && near(g.width, w.width) && near(g.height, w.height) && (g.rotation ?? 0) === (w.rotation ?? 0);
    });
    if (!same) return false;
  }
  return true;
}
