/**
 * The per-mutation verification probes (internal), DESIGN §7: delete → none left; addToReview →
 * `TO_REVIEW` (unlabeled assets are skipped: upstream ignores them, reference §7.1);
 * sendBackToQueue → `ONGOING`; append → the created ids exist; update / external-id change → the
 * values read back. Count queries first (one per 1000 ids); reads only where counts fall short.
 */
import type { AssetData, MutationUpstream } from './upstream-port.js';
import type { IdListKind, MutationSettings } from './types.js';
import type { Probe } from './verify.js';
import { assertNever } from '../errors/index.js';
import { partitionByCount, readByIds } from './read-by-ids.js';
import { readBackSelection, showsData } from './asset-data.js';
import { mergeSelections } from '../upstream/selection.js';

export interface ProbeDeps {
  upstream: MutationUpstream;
  settings: MutationSettings;
  projectId: string | null;
}

/** Probe for the id-list mutations. */
export function idListProbe(kind: IdListKind, deps: ProbeDeps): Probe {
  switch (kind) {
    case 'deleteManyFromDataset':
      return async (ids) => {
        const { matched, unmatched } = await partitionByCount(deps.upstream, ids, deps.projectId, deps.settings);
        return { confirmed: unmatched, skipped: [], pending: matched };
      };
    case 'addToReview':
      return statusProbe('TO_REVIEW', deps);
    case 'sendBackToQueue':
      return statusProbe('ONGOING', deps);
    default:
      return assertNever(kind, 'mutation kind');
  }
}

/** Assets in `status` are confirmed; of the others, those without any label are skipped. */
function statusProbe(status: 'TO_REVIEW' | 'ONGOING', deps: ProbeDeps): Probe {
  return async (ids) => {
    const { upstream, settings, projectId } = deps;
    const { matched, unmatched } = await partitionByCount(upstream, ids, projectId, settings, { statusIn: [status] });
    if (unmatched.length === 0) return { confirmed: matched, skipped: [], pending: [] };
    const read = await readByIds(upstream, unmatched, { status: true, labels: { id: true } }, projectId, settings);
    const skipped: string[] = [];
    const pending: string[] = [];
    const confirmed = [...matched];
    for (const id of unmatched) {
      const asset = read.get(id);
      if (asset?.status === status) confirmed.push(id);
      else if (asset && (asset.labels ?? []).length === 0) skipped.push(id);
      else pending.push(id);
    }
    return { confirmed, skipped, pending };
  };
}

/** Append: every created id exists. */
export function existsProbe(deps: ProbeDeps): Probe {
  return async (ids) => {
    const { matched, unmatched } = await partitionByCount(deps.upstream, ids, deps.projectId, deps.settings);
    return { confirmed: matched, skipped: [], pending: unmatched };
  };
}

/** Update / external-id change: each asset reads back the values sent to it. */
export function readBackProbe(dataById: ReadonlyMap<string, AssetData>, deps: ProbeDeps): Probe {
  return async (ids) => {
    const selection = mergeSelections(...ids.map((id) => readBackSelection(dataById.get(id) ?? {})));
    const read = await readByIds(deps.upstream, ids, selection, deps.projectId, deps.settings);
    const confirmed: string[] = [];
    const pending: string[] = [];
    for (const id of ids) {
      const asset = read.get(id);
      const data = dataById.get(id);
      (asset && data && showsData(asset, data) ? confirmed : pending).push(id);
    }
    return { confirmed, skipped: [], pending };
  };
}
