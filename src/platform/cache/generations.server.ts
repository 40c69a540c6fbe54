import type { Kysely } from "kysely";
import type { AppContext } from "#src/platform/context.ts";
import type { DB } from "#src/platform/db/schema.ts";

/** Kinds of data that caches depend on. Bump the key in the transaction that changes the data. */
export type GenerationKey = "applications" | "bases" | "notices" | "activities";

/** Marks data of this kind as changed. Call inside the writing transaction, so both commit together. */
export async function bumpGeneration(db: Kysely<DB>, key: GenerationKey): Promise<void> {
  await db
    .insertInto("generations")
    .values({ key, value: 1 })
    .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb("generations.value", "+", 1) })))
    .execute();
}

/** The current counters of these kinds, as one string that changes whenever any of them does. */
export async function readGenerations(ctx: AppContext, keys: readonly GenerationKey[]): Promise<string> {
  const rows = await ctx.db
    .selectFrom("generations")
    .select(["key", "value"])
    .where("key", "in", keys)
    .execute();
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
