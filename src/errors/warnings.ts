/**
 * Non-fatal notices: a string enum of codes and the one `BffWarning` shape. A request's warnings
 * are listed in the response's `extensions.warnings`; a mutation's are also its result's
 * `warnings` field (the schema's `Warning` type: code, message, field).
 */

export const BffWarningCode = {
  /** A deprecated filter alias was used (`replacement` names the canonical field). */
  DEPRECATED_FILTER: 'DEPRECATED_FILTER',
  /** More `externalIdIn` entries than the upstream recommends (`replacement`: `externalIdStrictlyIn`). */
  TOO_MANY_PARTIAL_EXTERNAL_IDS: 'TOO_MANY_PARTIAL_EXTERNAL_IDS',
  /** A deprecated input field was given and ignored (e.g. `assets.status`). */
  DEPRECATED_FIELD: 'DEPRECATED_FIELD',
  /** The mutation's list argument is empty: nothing was done. */
  EMPTY_INPUT: 'EMPTY_INPUT',
  /** Some input items give nothing to change and were skipped. */
  NOTHING_TO_UPDATE: 'NOTHING_TO_UPDATE',
  /** The upstream leaves unlabeled assets where they are (review / queue moves). */
  UNLABELED_ASSETS_IGNORED: 'UNLABELED_ASSETS_IGNORED',
  /** Append skipped inputs whose external id already exists in the project. */
  EXISTING_EXTERNAL_IDS_SKIPPED: 'EXISTING_EXTERNAL_IDS_SKIPPED',
  /** Append with `waitUntilAvailability: false`: the assets' availability was not checked. */
  NOT_VERIFIED: 'NOT_VERIFIED',
  /**
   * A synchronous mutation ran past SYNC_BUDGET_MS: it answered with what was applied so far and
   * goes on as the bulk operation in its `operation` field.
   */
  CONTINUES_AS_BULK_OPERATION: 'CONTINUES_AS_BULK_OPERATION',
} as const;
export type BffWarningCode = (typeof BffWarningCode)[keyof typeof BffWarningCode];

export interface BffWarning {
  code: BffWarningCode;
  message: string;
  /** The input field the warning is about, e.g. `where.consensusMarkGt`, `assets.status`. */
  field: string;
  /** DEPRECATED_FILTER, TOO_MANY_PARTIAL_EXTERNAL_IDS: the field to use instead. */
  replacement?: string;
}

/** Each distinct warning once (same code, field and message), in first-seen order. */
export function dedupeWarnings(warnings: readonly BffWarning[]): BffWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.code}\u0000${w.field}\u0000${w.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
