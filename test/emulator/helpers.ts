/**
 * Emulator test helpers: one emulator per test file (in-memory, dev controls on), a client that
 * sends GraphQL exactly like the Kili Python SDK (gql 3.5 over requests), and the demo oracle.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const ADMIN_KEY = 'test-admin-key';

/** Starts an emulator for the file and resets it before each test. */
export function useEmulator(options: EmulatorOptions = {}): { readonly emu: Emulator } {
  const holder = {} as { emu: Emulator };
  beforeAll(async () => {
    holder.emu = await startEmulator({ port: 0, dev: true, apiKey: ADMIN_KEY, log: () => {}, ...options });
  });
  beforeEach(async () => {
    if (options.dev === false) return;
    await control(holder.emu, 'POST', '/__emulator/reset', { seed: options.seed ?? 'demo' });
  });
  afterAll(async () => {
    await holder.emu?.close();
  });
  return holder;
}

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** SDK headers (reference §1.2). */
export function sdkHeaders(key: string | null): Record<string, string> {
  return {
    ...(key === null ? {} : { Authorization: `X-API-Key: ${key}` }),
    Accept: 'application/json',
    'Content-Type': 'application/json',
    'apollographql-client-name': 'python-sdk',
    'apollographql-client-version': '26.1.5',
    'kili-client-name': 'python-sdk',
    'kili-client-language-name': 'Python',
    'kili-client-method-name': 'assets',
  };
}

/** POSTs like gql: `{query, variables}`, the `variables` key omitted when empty, no operationName. */
export async function gql<T = Record<string, unknown>>(emu: Emulator, query: string, variables?: Record<string, unknown>, key: string | null = ADMIN_KEY, signal?: AbortSignal): Promise<GqlResponse<T>> {
  const body = variables && Object.keys(variables).length ? { query, variables } : { query };
  const res = await fetch(emu.url, { method: 'POST', headers: sdkHeaders(key), body: JSON.stringify(body), signal });
  const text = await res.text();
  let parsed: GqlResponse<T>['body'];
  try {
    parsed = JSON.parse(text) as GqlResponse<T>['body'];
  } catch {
    parsed = { errors: [{ message: text }] };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Data of a successful call; throws with the errors otherwise. */
export async function data<T = Record<string, unknown>>(emu: Emulator, query: string, variables?: Record<string, unknown>, key: string | null = ADMIN_KEY): Promise<T> {
  const r = await gql<T>(emu, query, variables, key);
  if (r.status !== 200 || r.body.errors?.length) throw new Error(`GraphQL failed (${r.status}): ${JSON.stringify(r.body)}`);
  return r.body.data as T;
}

/** One raw dev-control call (the emulator's own tests check the protocol itself). */
export function control<T = unknown>(emu: Emulator, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return new EmulatorControl(emu.origin, emu.apiKey).call<T>(method, path, body);
}

export const TEXT = 'project-demo-text';
export const IMAGE = 'project-demo-image';
export const OUTSIDER = 'project-outsider';
export const LABELER_KEY = 'demo-labeler-key';
export const REVIEWER_KEY = 'demo-reviewer-key';
export const OUTSIDER_KEY = 'demo-outsider-key';

export const pad = (i: number) => String(i).padStart(4, '0');
export const textId = (i: number) => `demo-text-asset-${pad(i)}`;
export const imageId = (i: number) => `demo-image-asset-${pad(i)}`;
export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
