/**
 * Internal. The in-memory store of a bounded keyv namespace: a Map that keeps at most `maxBytes`
 * of values (keyv hands it serialized strings; their UTF-8 size is counted, keys included) and at
 * most `maxEntries` entries, dropping the least recently used first. Reads refresh recency.
 * `onEvict` hears of every entry dropped to make room (not of deletes or replacements).
 */
export interface LruLimits {
  /** @default Infinity */
  maxBytes?: number;
  /** @default Infinity */
  maxEntries?: number;
  onEvict?: (key: string) => void;
  /** Size of a value, bytes. @default UTF-8 length of the string (of its JSON for other values) */
  sizeOf?: (value: unknown) => number;
}

const defaultSizeOf = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : Buffer.byteLength(JSON.stringify(value) ?? ''));

export class LruMap extends Map<string, unknown> {
  #bytes = 0;
  readonly #sizes = new Map<string, number>();
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #onEvict?: (key: string) => void;
  readonly #sizeOf: (value: unknown) => number;

  constructor({ maxBytes = Infinity, maxEntries = Infinity, onEvict, sizeOf = defaultSizeOf }: LruLimits) {
    super();
    this.#maxBytes = maxBytes;
    this.#maxEntries = maxEntries;
    this.#onEvict = onEvict;
    this.#sizeOf = sizeOf;
  }

  /** Bytes held (keys and values). */
  get bytes(): number {
    return this.#bytes;
  }

  override get(key: string): unknown {
    if (!super.has(key)) return undefined;
    const value = super.get(key);
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: string, value: unknown): this {
    this.delete(key);
    const size = Buffer.byteLength(key) + this.#sizeOf(value);
    // A value larger than the whole store is not kept (it would evict everything for nothing).
    if (size > this.#maxBytes) return this;
    super.set(key, value);
    this.#sizes.set(key, size);
    this.#bytes += size;
    while (this.#bytes > this.#maxBytes || this.size > this.#maxEntries) {
      const oldest = this.keys().next().value as string;
      this.delete(oldest);
      this.#onEvict?.(oldest);
    }
    return this;
  }

  override delete(key: string): boolean {
    const size = this.#sizes.get(key);
    if (size === undefined) return false;
    this.#sizes.delete(key);
    this.#bytes -= size;
    return super.delete(key);
  }

  override clear(): void {
    this.#sizes.clear();
    this.#bytes = 0;
    super.clear();
  }
}
