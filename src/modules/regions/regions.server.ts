import type { AppContext } from "#src/platform/context.ts";
import type { Database } from "#src/platform/db/database.ts";
import type { Region } from "#src/platform/db/schema.ts";

// Regions change only by migration or admin action, so each database's tree is cached.
const cache = new WeakMap<Database, Promise<Region[]>>();

export function listRegions(ctx: Pick<AppContext, "db">): Promise<Region[]> {
  let p = cache.get(ctx.db);
  if (!p) {
    p = ctx.db.selectFrom("regions").selectAll().orderBy("level").orderBy("sort").execute();
    cache.set(ctx.db, p);
  }
  return p;
}

export function invalidateRegions(ctx: Pick<AppContext, "db">): void {
  cache.delete(ctx.db);
}

export async function listCounties(ctx: Pick<AppContext, "db">, parentCode = "330800"): Promise<Region[]> {
  return (await listRegions(ctx)).filter((r) => r.level === "county" && r.parent_code === parentCode);
}

/** The region and every region below it. */
export async function regionSubtree(ctx: Pick<AppContext, "db">, code: string): Promise<string[]> {
  const all = await listRegions(ctx);
  const out = [code];
  for (let i = 0; i < out.length; i++) {
    for (const r of all) if (r.parent_code === out[i]) out.push(r.code);
  }
  return all.some((r) => r.code === code) ? out : [];
}

export async function regionName(ctx: Pick<AppContext, "db">, code: string): Promise<string> {
  return (await listRegions(ctx)).find((r) => r.code === code)?.name ?? code;
}
