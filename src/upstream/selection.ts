/**
 * Internal. Selections of upstream fields (DESIGN §5): what one upstream `assets` read asks for.
 * Keys are upstream field names; which public fields map to which upstream ones is the
 * resolvers' business (src/resolvers/projection.ts). Selections are merged when one read serves
 * several callers, compared when a cached read may serve another, and printed (canonically, so
 * the text is also a cache key) into the `assets` document (documents.ts).
 */

/** A selection tree: a leaf is `true`, an object field its sub-selection. Keys are upstream field names. */
export interface Selection {
  [field: string]: Selection | true;
}

const USER: Selection = { id: true, email: true, firstname: true, lastname: true };
const LABEL: Selection = {
  ...leaves('id', 'createdAt', 'updatedAt', 'labelType', 'jsonResponse', 'consensusMark', 'honeypotMark', 'inferenceMark', 'isLatestLabelForUser'),
  author: USER,
};

/** Every upstream asset field the BFF reads: used when a caller gives no selection. */
export const FULL_ASSET_SELECTION: Selection = {
  ...leaves('id', 'externalId', 'content', 'jsonContent', 'jsonMetadata', 'createdAt', 'updatedAt', 'status', 'isHoneypot'),
  ...leaves('honeypotMark', 'consensusMark', 'inferenceMark', 'priority', 'skipped', 'isUsedForConsensus', 'projectId'),
  toBeLabeledBy: USER,
  resolution: leaves('width', 'height'),
  pageResolutions: leaves('pageNumber', 'width', 'height', 'rotation'),
  labels: LABEL,
  latestLabel: LABEL,
};

function leaves(...names: string[]): Selection {
  return Object.fromEntries(names.map((name) => [name, true]));
}

/** Union of selections (new object; inputs untouched). */
export function mergeSelections(...selections: Selection[]): Selection {
  const out: Selection = {};
  for (const selection of selections) {
    for (const [name, sub] of Object.entries(selection)) {
      const current = out[name];
      out[name] = sub === true ? true : mergeSelections(current && current !== true ? current : {}, sub);
    }
  }
  return out;
}

/** Whether `outer` contains every field of `inner`. */
export function coversSelection(outer: Selection, inner: Selection): boolean {
  return Object.entries(inner).every(([name, sub]) => {
    const have = outer[name];
    if (!have) return false;
    return sub === true || (have !== true && coversSelection(have, sub));
  });
}

/** Canonical GraphQL text of a selection (sorted), also used as a cache key. */
export function printSelection(selection: Selection): string {
  return Object.keys(selection)
    .sort()
    .map((name) => {
      const sub = selection[name]!;
      return sub === true ? name : `${name} { ${printSelection(sub)} }`;
    })
    .join(' ');
}
