import type { Kysely } from "kysely";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import type { Actor, AppContext } from "#src/platform/context.ts";
import type { BaseAccountsTable, DB } from "#src/platform/db/schema.ts";

/**
 * The explicit link between an org account and a base (`base_accounts`, migration 0013). Every
 * ownership check goes through here; a base's USCC is public and never proves who acts for it.
 */

/** The ids of the bases the account is linked to, oldest link first. */
export async function linkedBaseIds(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("base_accounts")
    .select("base_id")
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.base_id);
}

export async function isLinkedToBase(db: Kysely<DB>, userId: string, baseId: string): Promise<boolean> {
  const row = await db
    .selectFrom("base_accounts")
    .select("base_id")
    .where("user_id", "=", userId)
    .where("base_id", "=", baseId)
    .executeTakeFirst();
  return !!row;
}

/** The active org accounts that act for the base (for notifications). */
export async function accountsOfBase(db: Kysely<DB>, baseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("base_accounts")
    .innerJoin("users", "users.id", "base_accounts.user_id")
    .select("users.id")
    .where("base_accounts.base_id", "=", baseId)
    .where("users.disabled_at", "is", null)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Links the account to the base inside the caller's transaction and audits it; linking twice is a no-op.
 * Returns whether a new link was made.
 */
export async function linkBaseAccount(
  ctx: Pick<AppContext, "clock">,
  trx: Kysely<DB>,
  actor: Actor,
  link: { baseId: string; userId: string; via: BaseAccountsTable["via"] },
): Promise<boolean> {
  const r = await trx
    .insertInto("base_accounts")
    .values({
      base_id: link.baseId,
      user_id: link.userId,
      via: link.via,
      created_by: actor.user?.id ?? null,
      created_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(["base_id", "user_id"]).doNothing())
    .returning("base_id")
    .executeTakeFirst();
  const made = !!r;
  if (made) {
    await recordAudit(ctx, trx, actor, {
      action: "base.link_account",
      targetType: "base",
      targetId: link.baseId,
      detail: { userId: link.userId, via: link.via },
    });
  }
  return made;
}
