/**
 * The documents the Kili Python SDK sends (reference §2), as graphql-core's print_ast renders
 * them: anonymous where the SDK is, root fields aliased, variable types as the SDK declares them.
 */
export const ASSET_FIELDS = `{
    content
    createdAt
    externalId
    id
    isHoneypot
    jsonMetadata
    labels {
      author {
        id
        email
      }
      createdAt
      id
      jsonResponse
    }
    skipped
    status
  }`;

export const ASSETS = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) ${ASSET_FIELDS}
}`;

export const ASSET_IDS = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) {
    id
  }
}`;

export const COUNT_ASSETS = `query countAssets($where: AssetWhere!) {
  data: countAssets(where: $where)
}`;

export const FILTER_EXISTING = `query FilterExistingAssets($projectID: ID!, $externalIDs: [String!]!) {
  external_ids: filterExistingAssets(projectID: $projectID, externalIDs: $externalIDs)
}`;

export const SIGNED_URLS = `query ($filePaths: [String!]) {
  urls: createUploadBucketSignedUrls(filePaths: $filePaths)
}`;

export const projectsQuery = (fields: string) => `query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) {
  data: projects(where: $where, first: $first, skip: $skip) {
    ${fields}
  }
}`;

export const ME = `query me {
  data: viewer {
    email
  }
}`;

export const COUNT_ORGANIZATIONS = `query countOrganizations($where: OrganizationWhere!) {
  data: countOrganizations(where: $where)
}`;

export const ORGANIZATIONS = `query organizations($where: OrganizationWhere!, $first: PageSize!, $skip: Int!) {
  data: organizations(where: $where, first: $first, skip: $skip) {
    license {
      uploadLocalData
    }
  }
}`;

export const COUNT_NOTIFICATIONS = `query countNotifications($where: NotificationWhere!) {
  data: countNotifications(where: $where)
}`;

export const NOTIFICATIONS = `query notifications($where: NotificationWhere!, $first: PageSize!, $skip: Int!) {
  data: notifications(where: $where, first: $first, skip: $skip) {
    createdAt
    hasBeenSeen
    id
    message
    status
    userID
  }
}`;

export const API_KEYS = `query apiKeys($where: ApiKeyWhere!) {
  data: apiKeys(where: $where, skip: 0, first: 1) {
    expiryDate
  }
}`;

export const RAW_VIEWER = '{ viewer { id email } }';

export const APPEND_MANY_ASSETS = `mutation appendManyAssets($data: AppendManyAssetsData!, $where: ProjectWhere!) {
  data: appendManyAssets(data: $data, where: $where) {
    id
  }
}`;

export const APPEND_FRAMES_ASYNC = `mutation ($data: AppendManyFramesToDatasetAsynchronouslyData!, $where: ProjectWhere!) {
  data: appendManyFramesToDatasetAsynchronously(data: $data, where: $where) {
    id
  }
}`;

export const UPDATE_PROPERTIES = `mutation ($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) {
  data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) {
    id
  }
}`;

export const DELETE_MANY = `mutation ($where: AssetWhere!) {
  data: deleteManyFromDataset(where: $where) {
    id
  }
}`;

export const ADD_TO_REVIEW = `mutation ($where: AssetWhere!) {
  data: addAllLabeledAssetsToReview(where: $where) {
    id
  }
}`;

export const SEND_BACK_TO_QUEUE = `mutation ($where: AssetWhere!) {
  data: sendBackAssetsToQueue(where: $where) {
    id
  }
}`;

export const SET_CONSENSUS = `mutation setAssetConsensus($assetId: ID, $externalId: String, $projectId: ID!, $isConsensus: Boolean!) {
  data: setAssetConsensus(assetId: $assetId, externalId: $externalId, projectId: $projectId, isConsensus: $isConsensus)
}`;

export const ASSIGN = `mutation assignAssetsToLabelers($where: AssetWhere!, $userIds: [String!]!) {
  data: assignAssetsToLabelers(where: $where, userIds: $userIds) {
    id
  }
}`;

export const SKIP = `mutation SkipAsset($reason: String!, $where: AssetWhere!) {
  skipAsset(reason: $reason, where: $where) {
    id
  }
}`;

export const UNSKIP = `mutation UnskipAsset($projectId: ID!, $assetId: ID!) {
  unskipAsset(projectId: $projectId, assetId: $assetId)
}`;

/** Every SDK document, for the validation-against-introspection test. */
export const ALL_DOCUMENTS: Record<string, string> = {
  ASSETS, ASSET_IDS, COUNT_ASSETS, FILTER_EXISTING, SIGNED_URLS, ME, COUNT_ORGANIZATIONS, ORGANIZATIONS,
  COUNT_NOTIFICATIONS, NOTIFICATIONS, API_KEYS, RAW_VIEWER, APPEND_MANY_ASSETS, APPEND_FRAMES_ASYNC,
  UPDATE_PROPERTIES, DELETE_MANY, ADD_TO_REVIEW, SEND_BACK_TO_QUEUE, SET_CONSENSUS, ASSIGN, SKIP, UNSKIP,
  PROJECTS_STEPS: projectsQuery('steps {\n      id\n      name\n    }\n    workflowVersion'),
  PROJECTS_INTERFACE: projectsQuery('inputType\n    jsonInterface'),
  PROJECTS_CONNECTIONS: projectsQuery('inputType\n    dataConnections {\n      id\n    }'),
  PROJECTS_INPUT: projectsQuery('inputType'),
};

/** Minimal asset where, as the SDK sends it after null stripping. */
export const where = (projectId: string, extra: Record<string, unknown> = {}) => ({ project: { id: projectId }, label: {}, issue: {}, ...extra });
