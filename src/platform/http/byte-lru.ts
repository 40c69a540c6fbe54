/** A least-recently-used map bounded by the bytes of its entries, each valid under one generation. */
export class ByteLru<E extends { generation: string; bytes: number }> {
  readonly #entries = new Map<string, E>();
  #bytes = 0;
  constructor(
    readonly maxBytes: number,
    /** Larger responses are not kept at all. */
    readonly maxEntryBytes = Math.max(1, Math.floor(maxBytes / 16)),
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The entry under `key` whatever its generation, leaving the order alone. */
  peek(key: string): E | undefined {
    return this.#entries.get(key);
  }

  /**
   * The entry under `key` if it is valid under `generation`: made under it, or, with `carry`,
   * made under another one that `carry` accepts (the entry then moves to `generation`).
   */
  get(key: string, generation: string, carry?: (e: E) => boolean): E | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    this.#entries.delete(key);
    if (e.generation !== generation) {
      if (!carry?.(e)) {
        this.#bytes -= e.bytes;
        return undefined;
      }
      e.generation = generation;
    }
    this.#entries.set(key, e);
    return e;
  }

  set(key: string, entry: E): void {
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= old.bytes;
    }
    if (entry.bytes > this.maxEntryBytes) return;
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
  }
}
