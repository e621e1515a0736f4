/**
 * In-memory fake of the mutation port, for stage tests: a tiny asset store with the upstream
 * semantics the pipeline relies on (reference §7.1), a call log, and hooks to inject failures.
 */
import type { AppendManyAssetsData, AssetData, AssetWhere, InputType, MutationUpstream, Selection, UpstreamAsset } from '../../src/mutations/upstream-port.js';
import { loadConfig, type MutationSettings } from '../../src/config.js';
import { BffError, BffErrorCode } from '../../src/errors/index.js';
import { parseAsset } from '../../src/upstream/assets.js';

/** An asset as the upstream stores it: JSON fields are strings (the port parses them on read). */
export interface FakeAsset extends UpstreamAsset {
  projectId: string;
  externalId: string;
  status: string;
  jsonMetadata: string;
  content?: string;
  jsonContent?: string;
  labels: Array<{ id: string }>;
}

export type Method = keyof MutationUpstream;
export interface Call {
  method: Method;
  args: unknown[];
}

/** Return a value to replace the call's behaviour, or throw to fail it; undefined = normal. */
export type Hook = (call: Call, nth: number) => void | 'drop';

export class FakeUpstream implements MutationUpstream {
  assets = new Map<string, FakeAsset>();
  calls: Call[] = [];
  uploads = new Map<string, { body: string; contentType: string }>();
  inputType: InputType | null = 'TEXT';
  hooks = new Map<Method, Hook>();
  /** Extra external-id lookups (duplicates across assets). */
  private counts = new Map<Method, number>();

  seed(projectId: string, n: number, opts: { prefix?: string; labeled?: boolean } = {}): string[] {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const id = `${projectId}-a${this.assets.size}`;
      this.assets.set(id, {
        id, projectId, externalId: `${opts.prefix ?? 'ext-'}${i}`, status: opts.labeled ? 'LABELED' : 'TODO',
        labels: opts.labeled ? [{ id: `l-${id}` }] : [], priority: 0, jsonMetadata: '{}', toBeLabeledBy: [],
      });
      ids.push(id);
    }
    return ids;
  }

  count(method: Method): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private enter(method: Method, args: unknown[]): boolean {
    const call = { method, args };
    this.calls.push(call);
    const nth = (this.counts.get(method) ?? 0) + 1;
    this.counts.set(method, nth);
    return this.hooks.get(method)?.(call, nth) === 'drop';
  }

  private matches(a: FakeAsset, where: AssetWhere): boolean {
    if (where.project?.id && a.projectId !== where.project.id) return false;
    if (where.idIn && !where.idIn.includes(a.id)) return false;
    if (where.id && a.id !== where.id) return false;
    if (where.statusIn && !where.statusIn.includes(a.status as never)) return false;
    if (where.externalIdStrictlyIn && !where.externalIdStrictlyIn.includes(a.externalId)) return false;
    return true;
  }

  async updatePropertiesInAssets(ids: readonly string[], data: readonly AssetData[]) {
    if (this.enter('updatePropertiesInAssets', [ids, data])) return [...ids];
    ids.forEach((id, i) => {
      const a = this.assets.get(id);
      if (!a) throw new BffError(BffErrorCode.UPSTREAM_ERROR, 'not found');
      const d = data[i] ?? {};
      if (d.externalId != null) a.externalId = d.externalId;
      if (d.priority != null) a.priority = d.priority;
      if (d.jsonMetadata != null) a.jsonMetadata = d.jsonMetadata;
      if (d.consensusMark != null) a.consensusMark = d.consensusMark;
      if (d.toBeLabeledBy != null) a.toBeLabeledBy = d.toBeLabeledBy.map((email) => ({ email: email as string }));
      if (d.resolution != null) a.resolution = d.resolution;
    });
    return [...ids];
  }

  private move(method: Method, ids: readonly string[], apply: (a: FakeAsset) => boolean): string | null {
    if (this.enter(method, [ids])) return null;
    let project: string | null = null;
    for (const id of ids) {
      const a = this.assets.get(id);
      if (a && apply(a)) project ??= a.projectId;
    }
    return project;
  }

  async deleteManyFromDataset(ids: readonly string[]) {
    return this.move('deleteManyFromDataset', ids, (a) => this.assets.delete(a.id));
  }
  async addAllLabeledAssetsToReview(ids: readonly string[]) {
    return this.move('addAllLabeledAssetsToReview', ids, (a) => a.labels.length > 0 && a.status !== 'TO_REVIEW' && ((a.status = 'TO_REVIEW'), true));
  }
  async sendBackAssetsToQueue(ids: readonly string[]) {
    return this.move('sendBackAssetsToQueue', ids, (a) => ((a.status = 'ONGOING'), true));
  }

  async appendManyAssets(projectId: string, data: AppendManyAssetsData) {
    if (this.enter('appendManyAssets', [projectId, data])) return [];
    const ids = (data.idArray ?? []) as string[];
    for (const id of ids) if (this.assets.has(id)) throw new BffError(BffErrorCode.UPSTREAM_ERROR, 'exists');
    ids.forEach((id, i) => {
      this.assets.set(id, {
        id, projectId, externalId: data.externalIDArray?.[i] ?? id, status: 'TODO', labels: [],
        content: data.contentArray?.[i] ?? '', jsonContent: data.jsonContentArray?.[i] ?? '', jsonMetadata: data.jsonMetadataArray?.[i] ?? '{}',
      });
    });
    return ids;
  }

  async filterExistingAssets(projectId: string, externalIds: readonly string[]) {
    this.enter('filterExistingAssets', [projectId, externalIds]);
    const have = new Set([...this.assets.values()].filter((a) => a.projectId === projectId).map((a) => a.externalId));
    return externalIds.filter((e) => have.has(e));
  }

  async createUploadBucketSignedUrls(paths: readonly string[]) {
    this.enter('createUploadBucketSignedUrls', [paths]);
    return paths.map((p) => `https://bucket.test/${p}?sig=x&id=${encodeURIComponent(p)}`);
  }

  async upload(signedUrl: string, body: string, contentType: string) {
    this.enter('upload', [signedUrl, body, contentType]);
    this.uploads.set(signedUrl, { body, contentType });
  }

  async countAssets(where: AssetWhere) {
    this.enter('countAssets', [where]);
    return [...this.assets.values()].filter((a) => this.matches(a, where)).length;
  }

  async readAssets(where: AssetWhere, selection: Selection, first: number, skip: number) {
    this.enter('readAssets', [where, selection, first, skip]);
    // Only `id` and the selected fields, as the upstream answers.
    const pick = (a: FakeAsset): UpstreamAsset => Object.fromEntries(Object.entries(a).filter(([key]) => key === 'id' || key in selection)) as UpstreamAsset;
    return [...this.assets.values()].filter((a) => this.matches(a, where)).slice(skip, skip + first).map((a) => parseAsset(pick(a)));
  }

  async resolveExternalIds(projectId: string, externalIds: readonly string[]) {
    this.enter('resolveExternalIds', [projectId, externalIds]);
    const all = [...this.assets.values()].filter((a) => a.projectId === projectId);
    return externalIds.map((e) => all.filter((a) => a.externalId === e).map((a) => a.id));
  }

  async projectInputType(projectId: string) {
    this.enter('projectInputType', [projectId]);
    return this.inputType;
  }
}

/** The settings `loadConfig` builds by default, no wait between upload attempts, then `overrides`. */
export function testSettings(overrides: Partial<MutationSettings> = {}): MutationSettings {
  return { ...loadConfig({}).mutations, uploadRetryDelayMs: 0, ...overrides };
}

export function outcomeUnknownError(): BffError {
  return new BffError(BffErrorCode.UPSTREAM_TIMEOUT, 'timeout', {}, { outcomeUnknown: true });
}

/** The extensions of the error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (e) {
    return (e as BffError).extensions as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
