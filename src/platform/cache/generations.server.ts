import type { CompiledQuery, Kysely } from "kysely";
import type { AppContext } from "#src/platform/context.ts";
import type { DB } from "#src/platform/db/schema.ts";

/** Kinds of data that caches depend on. Bump the key in the transaction that changes the data. */
export type GenerationKey =
  | "applications"
  | "bases"
  | "notices"
  | "activities"
  | "school_services"
  | "articles"
  | "evaluation_entries";

/** How many past bumps of a key keep their scope rows (older ones are pruned as bumps go by). */
export const SCOPE_WINDOW = 10_000;

/**
 * Marks data of this kind as changed. Call inside the writing transaction, so both commit together.
 * `scope`: the ids of the only records the change touched (a base edited, revoked, recommended); a
 * cached page about another record then stays valid (ADR 0011). Omit it when the change may touch
 * anything (an import, a naming, a data fix).
 */
export async function bumpGeneration(
  db: Kysely<DB>,
  key: GenerationKey,
  scope?: readonly string[],
): Promise<void> {
  const row = await db
    .insertInto("generations")
    .values({ key, value: 1 })
    .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb("generations.value", "+", 1) })))
    .returning("value")
    .executeTakeFirstOrThrow();
  if (!scope?.length) return;
  const value = Number(row.value);
  await db
    .insertInto("generation_scopes")
    .values([...new Set(scope)].map((s) => ({ key, value, scope: s })))
    // Rows left from before a reset of the counter must not fail the write.
    .onConflict((oc) => oc.doNothing())
    .execute();
  if (value % 100 === 0)
    await db
      .deleteFrom("generation_scopes")
      .where("key", "=", key)
      .where("value", "<=", value - SCOPE_WINDOW)
      .execute();
}

/**
 * The query for a set of keys, compiled once per database: the response cache reads generations on
 * every anonymous page view, where building and compiling the query cost more than running it.
 */
const compiled = new WeakMap<Kysely<DB>, Map<string, CompiledQuery<{ key: string; value: number }>>>();

function generationsQuery(db: Kysely<DB>, keys: readonly GenerationKey[]) {
  let byKeys = compiled.get(db);
  if (!byKeys) {
    byKeys = new Map();
    compiled.set(db, byKeys);
  }
  const id = keys.join(",");
  let query = byKeys.get(id);
  if (!query) {
    query = db.selectFrom("generations").select(["key", "value"]).where("key", "in", keys).compile();
    byKeys.set(id, query);
  }
  return query;
}

/** The current counters of these kinds, as one string that changes whenever any of them does. */
export async function readGenerations(ctx: AppContext, keys: readonly GenerationKey[]): Promise<string> {
  const { rows } = await ctx.db.executeQuery(generationsQuery(ctx.db, keys));
  const byKey = new Map(rows.map((r) => [r.key, String(r.value)]));
  return keys.map((k) => `${k}:${byKey.get(k) ?? 0}`).join(",");
}

/**
 * A bounded in-process cache whose entries are valid only under the generation they were
 * computed in. Entries are kept per database (tests open many), oldest first out when full.
 */
export class GenerationCache<V> {
  readonly #byDatabase = new WeakMap<object, Map<string, { generation: string; value: V }>>();
  constructor(readonly maxEntries: number) {}

  async get(ctx: AppContext, key: string, generation: string, compute: () => Promise<V>): Promise<V> {
    let entries = this.#byDatabase.get(ctx.db);
    if (!entries) {
      entries = new Map();
      this.#byDatabase.set(ctx.db, entries);
    }
    const hit = entries.get(key);
    if (hit && hit.generation === generation) return hit.value;
    const value = await compute();
    entries.delete(key);
    entries.set(key, { generation, value });
    if (entries.size > this.maxEntries) entries.delete(entries.keys().next().value!);
    return value;
  }
}

/**
 * Shares reads among concurrent callers without ever answering a caller with a read that began
 * before it called (it could miss a change committed just before): a caller that finds a read in
 * flight waits for the one that starts when that read ends, which everyone who called meanwhile
 * shares. Under load on PostgreSQL, one query then serves many page views instead of one each.
 */
export function coalescedReads<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const p = read();
    running = p;
    const clear = () => {
      if (running === p) running = null;
    };
    p.then(clear, clear);
    return p;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}

/** The scope rows of the bumps of `key` with after < value <= upTo (see `bumpGeneration`). */
export async function readGenerationScopes(
  ctx: AppContext,
  key: GenerationKey,
  after: number,
  upTo: number,
): Promise<Array<{ value: number; scope: string }>> {
  const rows = await ctx.db
    .selectFrom("generation_scopes")
    .select(["value", "scope"])
    .where("key", "=", key)
    .where("value", ">", after)
    .where("value", "<=", upTo)
    .execute();
  return rows.map((r) => ({ value: Number(r.value), scope: r.scope }));
}
