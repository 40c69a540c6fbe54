import { registerOrg } from "#src/modules/accounts/accounts.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { RegisterSchoolInput } from "./schools.schema.ts";

/**
 * 学校注册: a school registers like an organization (USCC, rate limit, password policy), as role
 * school, with its stages and address. It starts unverified; county staff verify it in 单位认证审核.
 */
export async function registerSchool(
  ctx: AppContext,
  actor: Actor,
  input: RegisterSchoolInput,
): Promise<SessionUser> {
  return registerOrg(ctx, actor, input, {
    role: "school",
    withAccount: async (trx, user) => {
      const now = ctx.clock.now().toISOString();
      await trx
        .insertInto("school_profiles")
        .values({
          user_id: user.id,
          stages: JSON.stringify(input.stages),
          address: input.address,
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
  });
}

export interface SchoolProfileView {
  stages: string[];
  address: string;
}

export async function getSchoolProfile(ctx: AppContext, userId: string): Promise<SchoolProfileView | null> {
  const row = await ctx.db
    .selectFrom("school_profiles")
    .select(["stages", "address"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? { stages: JSON.parse(row.stages) as string[], address: row.address } : null;
}
