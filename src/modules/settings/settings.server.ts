import type { AppContext } from "#src/platform/context.ts";

export async function getSetting(ctx: Pick<AppContext, "db">, key: string): Promise<string | null> {
  const row = await ctx.db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value ?? null;
}

export async function putSetting(ctx: Pick<AppContext, "db">, key: string, value: string): Promise<void> {
  await ctx.db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}
