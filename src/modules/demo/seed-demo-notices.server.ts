import { publishNotice } from "#src/modules/notices/notices.server.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";

/**
 * The 公示栏 of a fresh demo: last year's closed notice and naming announcement for the demo
 * bases of batch 7, and an open notice for the demo call's proposed applications.
 */
export async function seedDemoNotices(ctx: AppContext, callId: string): Promise<void> {
  const bases = await ctx.db
    .selectFrom("bases")
    .select(["id", "name", "unit_name", "region_code", "category_code"])
    .where("batch_no", "=", 7)
    .orderBy("region_code")
    .orderBy("name")
    .execute();
  if (bases.length) {
    const past = { id: newId(), naming: newId() };
    const entries = (noticeId: string) =>
      bases.map((b, i) => ({
        notice_id: noticeId,
        application_id: null,
        base_id: b.id,
        seq: i + 1,
        base_name: b.name,
        unit_name: b.unit_name,
        region_code: b.region_code,
        category_code: b.category_code,
        outcome: "named" as const,
      }));
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("public_notices")
        .values([
          {
            id: past.id,
            kind: "proposed",
            call_id: null,
            title: "第七批衢州市科普教育基地拟认定名单公示（演示数据）",
            body: "经单位申报、县（市、区）推荐、市科协评审和认定办公室审核，现将第七批拟认定名单予以公示。（演示数据）",
            contact: "衢州市科普教育基地认定与管理工作办公室，电话：0570-3027351",
            // Monday 2022-10-10 for 5 working days: to the end of Friday 2022-10-14.
            starts_at: "2022-10-09T16:00:00.000Z",
            working_days: 5,
            ends_at: "2022-10-14T16:00:00.000Z",
            status: "named",
            published_by: null,
            created_at: "2022-10-09T02:00:00.000Z",
            updated_at: "2022-11-01T02:00:00.000Z",
          },
          {
            id: past.naming,
            kind: "naming",
            call_id: null,
            title: "关于命名第七批衢州市科普教育基地的公告（演示数据）",
            body: `经申报、县（市、区）推荐、评审、认定办公室审核和公示，下列 ${bases.length} 家单位被命名为衢州市科普教育基地。（演示数据）`,
            contact: "衢州市科普教育基地认定与管理工作办公室，电话：0570-3027351",
            starts_at: "2022-11-01T02:00:00.000Z",
            working_days: 0,
            ends_at: "2022-11-01T02:00:00.000Z",
            status: "published",
            published_by: null,
            created_at: "2022-11-01T02:00:00.000Z",
            updated_at: "2022-11-01T02:00:00.000Z",
          },
        ])
        .execute();
      await trx
        .insertInto("notice_entries")
        .values([...entries(past.id), ...entries(past.naming)])
        .execute();
      await trx
        .updateTable("bases")
        .set({ naming_notice_id: past.naming })
        .where("batch_no", "=", 7)
        .execute();
    });
  }

  const proposed = await ctx.db
    .selectFrom("applications")
    .select("id")
    .where("call_id", "=", callId)
    .where("status", "=", "proposed")
    .orderBy("created_at")
    .orderBy("id")
    .limit(1)
    .execute();
  const office = await ctx.db
    .selectFrom("users")
    .select(["id", "display_name", "region_code"])
    .where("username", "=", "office")
    .executeTakeFirst();
  if (!proposed.length || !office) return;
  const user: SessionUser = {
    id: office.id,
    role: "office",
    displayName: office.display_name,
    login: "office",
    regionCode: office.region_code,
    mustChangePassword: false,
  };
  const today = new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  await publishNotice(
    ctx,
    { user, ip: null },
    {
      callId,
      applicationIds: proposed.map((a) => a.id),
      title: "第八批衢州市科普教育基地拟认定名单公示（演示数据）",
      body: "经单位申报、县（市、区）推荐、市科协评审和认定办公室审核，现将第八批拟认定名单予以公示。公示期间，如有异议，请以真实姓名或单位名义提出，并提供必要的证明材料。（演示数据）",
      contact: "衢州市科普教育基地认定与管理工作办公室，电话：0570-3027351",
      startDate: today,
      workingDays: 5,
      // Demo data seeded late in a year may reach one without holiday data: Monday–Friday is fine there.
      calendarConfirmed: true,
    },
  );
}
