/**
 * Argument shapes of the six public mutations (internal mirror of schema/bff.graphql, DESIGN §3),
 * kept structural so that the generated resolver argument types are assignable to them.
 */

export interface AssetInputArg {
  content?: string | null;
  jsonContent?: unknown;
  externalId?: string | null;
  jsonMetadata?: unknown;
  isHoneypot?: boolean | null;
  /** Deprecated: computed from labels upstream; ignored with a warning (as the SDK). */
  status?: string | null;
}

export interface ResolutionArg {
  width: number;
  height: number;
}

export interface PageResolutionArg {
  pageNumber: number;
  width: number;
  height: number;
  rotation?: number | null;
}

export interface AssetPropertiesInputArg {
  id?: string | null;
  externalId?: string | null;
  priority?: number | null;
  jsonMetadata?: unknown;
  consensusMark?: number | null;
  honeypotMark?: number | null;
  toBeLabeledBy?: readonly string[] | null;
  content?: string | null;
  jsonContent?: unknown;
  isUsedForConsensus?: boolean | null;
  isHoneypot?: boolean | null;
  resolution?: ResolutionArg | null;
  pageResolutions?: readonly PageResolutionArg[] | null;
  /** Deprecated: ignored with a warning. */
  status?: string | null;
}

export interface ExternalIdChangeInputArg {
  id?: string | null;
  externalId?: string | null;
  newExternalId: string;
}

export interface AppendArgs {
  projectId: string;
  assets: readonly AssetInputArg[];
  waitUntilAvailability?: boolean | null;
}

export interface UpdateArgs {
  projectId?: string | null;
  assets: readonly AssetPropertiesInputArg[];
}

export interface ChangeExternalIdsArgs {
  projectId?: string | null;
  assets: readonly ExternalIdChangeInputArg[];
}

export interface IdListArgs {
  projectId?: string | null;
  assetIds?: readonly string[] | null;
  externalIds?: readonly string[] | null;
}

/** How the client named one asset. */
export type AssetRef = { kind: 'id'; id: string } | { kind: 'externalId'; externalId: string };
