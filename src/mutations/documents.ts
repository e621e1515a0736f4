/**
 * Upstream GraphQL documents of the mutation pipeline (internal), exactly as the Kili SDK sends
 * them after graphql-core's `print_ast` (reference §2.1, §2.2): anonymous where the SDK's are,
 * root fields aliased (`data:`, `external_ids:`, `urls:`).
 */
import type { ReadField } from './ports.js';

export const UPDATE_PROPERTIES_IN_ASSETS =
  'mutation ($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) {\n  data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) {\n    id\n  }\n}';

const whereMutation = (field: string): string => `mutation ($where: AssetWhere!) {\n  data: ${field}(where: $where) {\n    id\n  }\n}`;

export const DELETE_MANY_FROM_DATASET = whereMutation('deleteManyFromDataset');
export const ADD_ALL_LABELED_ASSETS_TO_REVIEW = whereMutation('addAllLabeledAssetsToReview');
export const SEND_BACK_ASSETS_TO_QUEUE = whereMutation('sendBackAssetsToQueue');

export const APPEND_MANY_ASSETS =
  'mutation appendManyAssets($data: AppendManyAssetsData!, $where: ProjectWhere!) {\n  data: appendManyAssets(data: $data, where: $where) {\n    id\n  }\n}';

export const FILTER_EXISTING_ASSETS =
  'query FilterExistingAssets($projectID: ID!, $externalIDs: [String!]!) {\n  external_ids: filterExistingAssets(projectID: $projectID, externalIDs: $externalIDs)\n}';

export const CREATE_UPLOAD_BUCKET_SIGNED_URLS = 'query ($filePaths: [String!]) {\n  urls: createUploadBucketSignedUrls(filePaths: $filePaths)\n}';

export const COUNT_ASSETS = 'query countAssets($where: AssetWhere!) {\n  data: countAssets(where: $where)\n}';

export const PROJECT_INPUT_TYPE =
  'query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) {\n  data: projects(where: $where, first: $first, skip: $skip) {\n    inputType\n  }\n}';

/** `assets` with `id` plus the given dotted leaf fields, nested as the SDK's fragment builder does. */
export function assetsDocument(fields: readonly ReadField[]): string {
  const tree = new Map<string, Set<string>>();
  const leaves: string[] = ['id'];
  for (const field of fields) {
    const [root, leaf] = field.split('.') as [string, string | undefined];
    if (leaf === undefined) {
      if (!leaves.includes(root)) leaves.push(root);
    } else {
      const set = tree.get(root) ?? new Set<string>();
      tree.set(root, set.add(leaf));
    }
  }
  const lines = leaves.map((f) => `    ${f}`);
  for (const [root, set] of tree) lines.push(`    ${root} {\n${[...set].map((f) => `      ${f}`).join('\n')}\n    }`);
  return `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n  data: assets(where: $where, skip: $skip, first: $first) {\n${lines.join('\n')}\n  }\n}`;
}
