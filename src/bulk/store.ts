/**
 * Where bulk operations live (internal): the record, its plan and sealed credential while it runs,
 * its checkpoint, its final lists, and change events. Two implementations with one contract
 * (store-memory.ts for the embedded default, store-redis.ts shared by replicas); the shared test
 * suite runs against both.
 */
import type { MutationPlan } from '../mutations/plan.js';
import type { BulkLists, BulkRecord, BulkStatus, Checkpoint } from './types.js';

export interface ListFilter {
  projectId: string | null;
  statuses: readonly BulkStatus[] | null;
}

export interface ProgressDelta {
  processed: number;
  applied: number;
  failed: number;
  unknown: number;
}

export interface BulkStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Stores a new operation with its plan and sealed credential (null: it runs in this process and
   * needs neither stored). Resolves false, storing nothing, when the id exists already.
   */
  create(record: BulkRecord, plan: MutationPlan | null, sealedCredential: string | null): Promise<boolean>;
  /** The record, or null when unknown or expired. */
  get(id: string): Promise<BulkRecord | null>;
  /** An owner's operations, newest first, filtered, paged. */
  list(owner: string, filter: ListFilter, first: number, skip: number): Promise<BulkRecord[]>;
  /** Operations of an owner that are not final (running-limit and queue bounds). */
  activeCount(owner: string): Promise<number>;
  /** Sets fields of a record (status, timestamps…) and announces the change. */
  patch(id: string, fields: Partial<BulkRecord>): Promise<void>;
  /** Marks a cancel request and announces it. */
  requestCancel(id: string): Promise<void>;
  isCancelRequested(id: string): Promise<boolean>;
  plan(id: string): Promise<MutationPlan | null>;
  /** Stores the plan of an operation created before its plan was known (a hand-off while planning). */
  setPlan(id: string, plan: MutationPlan): Promise<void>;
  sealedCredential(id: string): Promise<string | null>;
  /** Checkpoint: batch `index` was sent. */
  markStarted(id: string, index: number): Promise<void>;
  /** Checkpoint: batch `index` settled (`applied` known applied); counts progress; announces it. */
  markSettled(id: string, index: number, applied: readonly string[], delta: ProgressDelta): Promise<void>;
  checkpoint(id: string): Promise<Checkpoint>;
  /**
   * Final status: stores the lists and the final fields, deletes the plan, the credential and the
   * checkpoint, starts the retention period, announces the change.
   */
  finish(id: string, fields: Partial<BulkRecord>, lists: BulkLists): Promise<void>;
  /** Final lists; while running, what the checkpoint shows applied (in batch order). */
  lists(id: string): Promise<BulkLists>;
  /** Calls `listener` after each change of the operation; returns the unsubscribe function. */
  subscribe(id: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** Newest operations kept per owner (older ones are dropped from the index and deleted). */
export const MAX_RECORDS_PER_OWNER = 1000;
