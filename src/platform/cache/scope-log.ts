import { SCOPE_WINDOW } from "./generations.server.ts";

/**
 * What a worker knows about the bumps of one generation key: for each value, the records the bump
 * named (its scope), or nothing when it may have touched anything. The response cache asks whether a
 * page about one record is still valid after some bumps (ADR 0011, "scoped changes").
 */
export class ScopeLog {
  /** Bumps in (from, to] are known; `from` = -1: nothing learned yet. */
  #from = -1;
  #to = -1;
  readonly #scopes = new Map<number, Set<string>>();
  #learning: Promise<void> = Promise.resolve();

  constructor(
    /** The scope rows of the bumps with after < value <= upTo. */
    private readonly read: (after: number, upTo: number) => Promise<Array<{ value: number; scope: string }>>,
    /** Bumps remembered (as many as the database keeps); a page older than that is not carried over. */
    private readonly window = SCOPE_WINDOW,
  ) {}

  /** Whether the bumps in (since, until] are known. */
  knows(since: number, until: number): boolean {
    return this.#from >= 0 && this.#from <= since && until <= this.#to;
  }

  /**
   * Reads what is missing of the bumps in (since, until]: one read at a time, in order. A range
   * wider than the window is not read (`untouched` then answers false).
   */
  learn(since: number, until: number): Promise<void> {
    if (this.knows(since, until) || until - since > this.window) return Promise.resolve();
    // A failed read fails its own callers only; the next learn reads again.
    this.#learning = this.#learning
      .catch(() => {})
      .then(async () => {
        if (this.#from < 0) {
          this.#from = since;
          this.#to = since;
        }
        if (since < this.#from) this.record(since, this.#from, await this.read(since, this.#from));
        if (until > this.#to) this.record(this.#to, until, await this.read(this.#to, until));
      });
    return this.#learning;
  }

  /**
   * Adds what the bumps in (after, upTo] named; the range must touch what is known (or be the first).
   * A value in the range with no row was an unscoped bump.
   */
  record(after: number, upTo: number, rows: ReadonlyArray<{ value: number; scope: string }>): void {
    if (this.#from < 0) {
      this.#from = after;
      this.#to = after;
    }
    if (upTo < this.#from || after > this.#to) return; // a gap would pass for unscoped bumps
    for (const r of rows) {
      const v = Number(r.value);
      if (v <= after || v > upTo) continue;
      const set = this.#scopes.get(v) ?? new Set<string>();
      set.add(r.scope);
      this.#scopes.set(v, set);
    }
    this.#from = Math.min(this.#from, after);
    this.#to = Math.max(this.#to, upTo);
    if (this.#to - this.#from > this.window) {
      this.#from = this.#to - this.window;
      for (const v of this.#scopes.keys()) if (v <= this.#from) this.#scopes.delete(v);
    }
  }

  /** True when every bump in (since, until] is known and named only records other than `id`. */
  untouched(id: string, since: number, until: number): boolean {
    if (since >= until || !this.knows(since, until)) return false;
    for (let v = since + 1; v <= until; v++) {
      const scope = this.#scopes.get(v);
      if (!scope || scope.has(id)) return false;
    }
    return true;
  }
}
