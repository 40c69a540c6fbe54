import { changeReportSchema } from "#src/modules/bases/bases.schema.ts";
import { fileChangeReport } from "#src/modules/bases/bases.server.ts";
import { DEMO_PASSWORD, seedDemo } from "#src/modules/demo/seed-demo.server.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import { createUserRecord, linkBase, TEST_PASSWORD } from "../support/factories.ts";

/** Who asks: the anonymous, orgs with and without records, county staff of the records' county and of another, the city-level roles, and a school principal (学校) holding the own side's 点单. */
export const PRINCIPALS = [
  "anon",
  "orgApplicant",
  "orgBase",
  "orgStranger",
  "countyOwn",
  "countyOther",
  "city",
  "office",
  "evaluator",
  "admin",
  "school",
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** "own": records of 柯城区 (330802), which orgApplicant and orgBase hold and countyOwn governs; "other": records of 龙游县 (330825), countyOther's, held by other orgs. */
export type Side = "own" | "other";

export interface RecordIds {
  application: string;
  applicationFile: string;
  base: string;
  activity: string;
  changeReport: string;
  user: string;
  notice: string;
  call: string;
  campaign: string;
  namingNotice: string;
  volunteer: string;
  /** An approved 科普助力双减 catalogue item of the base. */
  schoolItem: string;
  /** A school's order for that item. */
  schoolOrder: string;
  /** A published article of the base (新闻与交流). */
  article: string;
  /** A 警示 with 限期整改 of the base (动态管理). */
  warning: string;
}

export interface AccessFixture {
  logins: Record<Exclude<Principal, "anon">, { kind: "org" | "staff"; login: string; password: string }>;
  records: Record<Side, RecordIds>;
}

const OWN_REGION = "330802";
const OTHER_REGION = "330825";

async function one<T>(p: Promise<T | undefined>, what: string): Promise<T> {
  const v = await p;
  if (v === undefined) throw new Error(`route-access fixture: no ${what} in the demo data`);
  return v;
}

/** Seeds the demo data and picks, for each side, one record of every kind a route can name. */
export async function seedAccessFixture(ctx: AppContext): Promise<AccessFixture> {
  await seedDemo(ctx);
  const db = ctx.db;
  const stranger = await createUserRecord(ctx, { role: "org", regionCode: OWN_REGION });
  const school = await createUserRecord(ctx, { role: "school", regionCode: OWN_REGION });

  const applicationOf = (own: boolean) =>
    one(
      db
        .selectFrom("applications")
        .innerJoin("users", "users.id", "applications.org_id")
        .select(["applications.id", "users.uscc", "users.id as userId"])
        .where("applications.status", "not in", ["draft", "returned"])
        .where("applications.region_code", "=", own ? OWN_REGION : OTHER_REGION)
        .orderBy("applications.created_at")
        .executeTakeFirst(),
      "submitted application",
    );
  const ownApp = await applicationOf(true);
  const otherApp = await applicationOf(false);
  const fileOf = (applicationId: string) =>
    one(
      db
        .selectFrom("files")
        .select("id")
        .where("owner_type", "=", "application")
        .where("owner_id", "=", applicationId)
        .executeTakeFirst(),
      "application file",
    ).then((f) => f.id);

  // A base with activities whose organization has an account: the demo one of 柯城区, and one of
  // another county that gets its account here.
  const baseOf = (own: boolean) =>
    one(
      db
        .selectFrom("bases")
        .leftJoin("base_accounts", "base_accounts.base_id", "bases.id")
        .select(["bases.id", "bases.uscc", "bases.region_code", "base_accounts.user_id as userId"])
        .where("bases.status", "=", "active")
        .where("bases.region_code", "=", own ? OWN_REGION : OTHER_REGION)
        .where(({ exists, selectFrom }) =>
          exists(selectFrom("activities").select("id").whereRef("activities.base_id", "=", "bases.id")),
        )
        .orderBy((eb) => eb.case().when("base_accounts.user_id", "is", null).then(1).else(0).end())
        .orderBy("bases.id")
        .executeTakeFirst(),
      "base with activities",
    );
  const withAccount = async (b: Awaited<ReturnType<typeof baseOf>>) => {
    if (b.userId) return { ...b, userId: b.userId, password: DEMO_PASSWORD };
    const u = await createUserRecord(ctx, { role: "org", regionCode: b.region_code, login: b.uscc });
    await linkBase(ctx, b.id, u.id);
    return { ...b, userId: u.id, password: TEST_PASSWORD };
  };
  const ownBase = await withAccount(await baseOf(true));
  const otherBase = await withAccount(await baseOf(false));
  const activityOf = (baseId: string) =>
    one(
      db.selectFrom("activities").select("id").where("base_id", "=", baseId).orderBy("id").executeTakeFirst(),
      "activity",
    ).then((a) => a.id);

  const volunteerOf = async (b: { id: string; region_code: string }) => {
    const id = newId();
    const now = new Date().toISOString();
    await db
      .insertInto("volunteers")
      .values({
        id,
        base_id: b.id,
        region_code: b.region_code,
        name: "访问测试志愿者",
        phone: "13905709999",
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  };
  const schoolItemOf = async (b: { id: string; region_code: string }) => {
    const id = newId();
    const now = new Date().toISOString();
    await db
      .insertInto("school_items")
      .values({
        id,
        base_id: b.id,
        region_code: b.region_code,
        title: "访问测试课程",
        kind: "visit",
        subject_mask: 1,
        grade_mask: 1,
        weekday_mask: 127,
        duration_minutes: 60,
        students_per_session: 40,
        sessions_per_week: 2,
        available_from: "2026-01-01",
        available_to: "2030-12-31",
        fee: "free",
        status: "approved",
        review_reason: null,
        reviewed_by: null,
        reviewed_at: now,
        published_at: now,
        created_by: "fixture",
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto("school_item_counties")
      .values({ item_id: id, county_code: b.region_code, public: 1, published_at: now })
      .execute();
    return id;
  };
  const articleOf = async (b: { id: string; region_code: string; userId: string }) => {
    const id = newId();
    const now = new Date().toISOString();
    await db
      .insertInto("articles")
      .values({
        id,
        column_key: "news",
        title: "访问测试文章",
        summary: "正文",
        body_html: "<p>正文</p>",
        base_id: b.id,
        region_code: b.region_code,
        author_id: b.userId,
        author_name: "访问测试基地",
        status: "published",
        return_reason: null,
        reviewed_by: null,
        reviewed_at: now,
        submitted_at: now,
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  };
  const warningOf = async (b: { id: string; region_code: string }) => {
    const id = newId();
    const now = new Date().toISOString();
    await db
      .insertInto("base_warnings")
      .values({
        id,
        base_id: b.id,
        region_code: b.region_code,
        source: "manual",
        status: "rectifying",
        reason: "访问测试",
        measures: "访问测试",
        deadline: "2030-06-01T16:00:00.000Z",
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  };
  const schoolOrderOf = async (b: { id: string; region_code: string }, itemId: string, own: boolean) => {
    const orderer = own ? school : await createUserRecord(ctx, { role: "school", regionCode: b.region_code });
    const id = newId();
    const now = new Date().toISOString();
    await db
      .insertInto("school_orders")
      .values({
        id,
        item_id: itemId,
        base_id: b.id,
        base_region_code: b.region_code,
        school_id: orderer.id,
        school_region_code: b.region_code,
        preferred_dates: JSON.stringify(["2030-06-04"]),
        classes: 1,
        students: 30,
        sessions: 1,
        contact_name: "访问测试",
        contact_phone: "13905708888",
        status: "ordered",
        held_week: null,
        scheduled_date: null,
        proposed_date: null,
        reason: null,
        answer_due_at: "2030-06-01T00:00:00.000Z",
        answered_at: null,
        answer_minutes: null,
        activity_id: null,
        cancelled_by: null,
        delivered_students: null,
        rating_content: null,
        rating_organization: null,
        rating_safety: null,
        rating_comment: null,
        rated_at: null,
        reply: null,
        replied_at: null,
        reassigned_from: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  };
  const changeOf = async (userId: string) => {
    const u = await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    const actor = {
      user: {
        id: u.id,
        role: u.role,
        displayName: u.display_name,
        login: u.uscc!,
        regionCode: u.region_code,
        mustChangePassword: false,
      } satisfies SessionUser,
      ip: "127.0.0.1",
    };
    const input = changeReportSchema.parse({
      kind: "contact",
      happenedOn: "2026-01-05",
      contactName: "王联系",
      contactPhone: "13905701234",
      explanation: "联系人调整",
    });
    return (await fileChangeReport(ctx, actor, input)).id;
  };

  const notice = await one(
    db.selectFrom("public_notices").select("id").orderBy("id").executeTakeFirst(),
    "public notice",
  );
  const naming = await one(
    db.selectFrom("public_notices").select("id").where("kind", "=", "naming").executeTakeFirst(),
    "naming announcement",
  );
  const call = await one(db.selectFrom("calls").select("id").executeTakeFirst(), "call");
  const campaign = await one(
    db.selectFrom("campaigns").select("id").orderBy("id").executeTakeFirst(),
    "campaign",
  );
  const countyUser = (region: string) =>
    one(
      db
        .selectFrom("users")
        .select("id")
        .where("role", "=", "county")
        .where("region_code", "=", region)
        .executeTakeFirst(),
      "county user",
    ).then((u) => u.id);
  const ownItem = await schoolItemOf(ownBase);
  const otherItem = await schoolItemOf(otherBase);
  return {
    logins: {
      orgApplicant: { kind: "org", login: ownApp.uscc!, password: DEMO_PASSWORD },
      orgBase: { kind: "org", login: ownBase.uscc, password: ownBase.password },
      orgStranger: { kind: "org", login: stranger.login, password: TEST_PASSWORD },
      countyOwn: { kind: "staff", login: "kecheng", password: DEMO_PASSWORD },
      countyOther: { kind: "staff", login: "longyou", password: DEMO_PASSWORD },
      city: { kind: "staff", login: "city", password: DEMO_PASSWORD },
      office: { kind: "staff", login: "office", password: DEMO_PASSWORD },
      evaluator: { kind: "staff", login: "evaluator", password: DEMO_PASSWORD },
      admin: { kind: "staff", login: "admin", password: DEMO_PASSWORD },
      school: { kind: "org", login: school.login, password: TEST_PASSWORD },
    },
    records: {
      own: {
        application: ownApp.id,
        applicationFile: await fileOf(ownApp.id),
        base: ownBase.id,
        activity: await activityOf(ownBase.id),
        changeReport: await changeOf(ownBase.userId),
        user: await countyUser(OWN_REGION),
        notice: notice.id,
        call: call.id,
        campaign: campaign.id,
        namingNotice: naming.id,
        volunteer: await volunteerOf(ownBase),
        schoolItem: ownItem,
        schoolOrder: await schoolOrderOf(ownBase, ownItem, true),
        article: await articleOf(ownBase),
        warning: await warningOf(ownBase),
      },
      other: {
        application: otherApp.id,
        applicationFile: await fileOf(otherApp.id),
        base: otherBase.id,
        activity: await activityOf(otherBase.id),
        changeReport: await changeOf(otherBase.userId),
        user: await countyUser(OTHER_REGION),
        notice: notice.id,
        call: call.id,
        campaign: campaign.id,
        namingNotice: naming.id,
        volunteer: await volunteerOf(otherBase),
        schoolItem: otherItem,
        schoolOrder: await schoolOrderOf(otherBase, otherItem, false),
        article: await articleOf(otherBase),
        warning: await warningOf(otherBase),
      },
    },
  };
}
