/**
 * Internal. Every GraphQL document the BFF sends to the upstream, built here and nowhere else.
 * The `assets` document is built once per distinct selection (selection.ts); the mutations and
 * checks are exactly as the Kili SDK sends them after graphql-core's `print_ast` (reference §2.1,
 * §2.2): anonymous where the SDK's are, root fields aliased (`data:`, `external_ids:`, `urls:`).
 */
import { printSelection, type Selection } from './selection.js';

const assetsDocuments = new Map<string, string>();

/** The `assets` document for a selection, built once per distinct selection (the SDK's shape). */
export function assetsDocument(selection: Selection): string {
  const fields = printSelection(selection);
  let document = assetsDocuments.get(fields);
  if (!document) {
    document = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) { data: assets(where: $where, skip: $skip, first: $first) { ${fields} } }`;
    if (assetsDocuments.size < 10_000) assetsDocuments.set(fields, document);
  }
  return document;
}

export const COUNT_ASSETS = 'query countAssets($where: AssetWhere!) { data: countAssets(where: $where) }';

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

export const PROJECT_INPUT_TYPE =
  'query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) {\n  data: projects(where: $where, first: $first, skip: $skip) {\n    inputType\n  }\n}';
