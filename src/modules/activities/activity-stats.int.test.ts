import { type Insertable, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertBase } from "#src/modules/bases/bases-directory.fixtures.ts";
import type { AppContext } from "#src/platform/context.ts";
import { migrateToLatest } from "#src/platform/db/database.ts";
import type { ActivitiesTable } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { actorOf, createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { activityStats } from "./activity-stats.server.ts";

// The statistics read running totals kept by triggers (migration 0011). Whatever is written — many
// rows in one statement, updates of any counted column, tags added and removed, a campaign moved to
// another year, deletes, concurrent writers — the totals must equal a fresh count of the activities.

/** Each rollup table recounted from the activities, as migration 0011's backfill does. */
const RECOUNT = {
  activity_stats_cells: sql`select region_code, start_month, type, count(*) as activities,
      sum(coalesce(actual_participants, 0)) as participants
    from activities group by region_code, start_month, type`,
  activity_stats_reports: sql`select region_code, start_month, report_status, count(*) as activities
    from activities group by region_code, start_month, report_status`,
  // Each activity counted for its county and again for every region above it.
  activity_stats_bases: sql`select substr(a.start_month, 1, 4) as start_year, up.code as region_code, a.base_id,
      count(*) as activities, sum(coalesce(a.actual_participants, 0)) as participants
    from activities a join (
      select code as county, code from regions
      union all select code, parent_code from regions where parent_code is not null
      union all select r.code, g.parent_code from regions r join regions g on g.code = r.parent_code
        where g.parent_code is not null
    ) up on up.county = a.region_code
    group by substr(a.start_month, 1, 4), up.code, a.base_id`,
  activity_stats_campaigns: sql`select l.campaign_id, a.region_code, count(*) as activities,
      sum(coalesce(a.actual_participants, 0)) as participants
    from activity_campaigns l join activities a on a.id = l.activity_id group by l.campaign_id, a.region_code`,
  activity_stats_campaign_bases: sql`select c.year as campaign_year, a.region_code, a.base_id, count(*) as links
    from activity_campaigns l join activities a on a.id = l.activity_id join campaigns c on c.id = l.campaign_id
    group by c.year, a.region_code, a.base_id`,
  activity_stats_participation: sql`select c.year as campaign_year, a.region_code, count(distinct a.base_id) as bases
    from activity_campaigns l join activities a on a.id = l.activity_id join campaigns c on c.id = l.campaign_id
    group by c.year, a.region_code`,
  base_counts: sql`select region_code, category_code, coalesce(opening_form, '') as opening_form, status,
      count(*) as bases from bases group by region_code, category_code, coalesce(opening_form, ''), status`,
};

type Row = Record<string, unknown>;
const normalized = (rows: Row[]) =>
  rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === "string" && /^-?\d+$/.test(v) && k !== "start_year" ? Number(v) : v,
          ]),
        ),
      ),
    )
    .sort();

/** Rows whose counts are all zero are kept by the triggers and skipped by readers. */
const COUNTS = ["activities", "participants", "links", "bases"];

async function expectRollupsMatch(ctx: AppContext): Promise<void> {
  for (const [table, recount] of Object.entries(RECOUNT)) {
    const kept = await sql<Row>`select * from ${sql.table(table)}`.execute(ctx.db);
    const live = kept.rows.filter((r) => COUNTS.some((c) => Number(r[c] ?? 0) !== 0));
    const expected = (await recount.execute(ctx.db)).rows as Row[];
    expect(normalized(live), table).toEqual(normalized(expected));
  }
}

/** A deterministic sequence, so a failure repeats. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ["lecture", "training", "contest", "exhibition"] as const;
const STATUSES = ["none", "submitted", "accepted", "returned"] as const;

function activityRows(random: () => number, n: number, bases: { id: string; region: string }[], by: string) {
  const now = new Date().toISOString();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: n }, (): Insertable<ActivitiesTable> => {
    const base = pick(bases);
    const month = `${pick([2023, 2024])}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}`;
    const status = pick(STATUSES);
    return {
      id: newId(),
      base_id: base.id,
      region_code: base.region,
      name: "统计测试活动",
      type: pick(TYPES),
      form: "offline",
      starts_at: `${month}-10T01:00:00.000Z`,
      ends_at: `${month}-10T03:00:00.000Z`,
      start_month: month,
      fee: "free",
      direction: "in",
      report_status: status,
      actual_participants: status === "none" || random() < 0.2 ? null : 1 + Math.floor(random() * 300),
      created_by: by,
      created_at: now,
      updated_at: now,
    };
  });
}

let t: TestContext;
let bases: { id: string; region: string }[];
let campaigns: string[];
let userId: string;

async function addCampaign(ctx: AppContext, year: number): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await ctx.db
    .insertInto("campaigns")
    .values({
      id,
      kind: "science_day",
      title: `${year}年全国科普日`,
      year,
      starts_on: `${year}-09-01`,
      ends_on: `${year}-09-30`,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestContext();
  userId = (await createUserRecord(t.ctx, { role: "office" })).id;
  bases = [];
  for (const region of ["330825", "330825", "330802", "330881"])
    bases.push({ id: await insertBase(t.ctx, { region_code: region }), region });
  campaigns = [
    await addCampaign(t.ctx, 2023),
    await addCampaign(t.ctx, 2023),
    await addCampaign(t.ctx, 2024),
  ];
});
afterAll(async () => t?.close());

describe("activity statistics rollups", () => {
  it("equal a fresh count through inserts, updates, tag changes, a campaign's new year and deletes", async () => {
    const { ctx } = t;
    const random = rng(7);
    // Many rows and tags in single statements (PostgreSQL's statement triggers group them).
    const rows = activityRows(random, 60, bases, userId);
    await ctx.db.insertInto("activities").values(rows).execute();
    const tags = rows.flatMap((r, i) =>
      i % 3 === 0
        ? []
        : campaigns.filter((_, j) => (i + j) % 2 === 0).map((c) => ({ activity_id: r.id, campaign_id: c })),
    );
    await ctx.db.insertInto("activity_campaigns").values(tags).execute();
    await expectRollupsMatch(ctx);
    expect(tags.length).toBeGreaterThan(20);

    // One statement changing many rows' report status and participants.
    await ctx.db
      .updateTable("activities")
      .set({ report_status: "accepted", actual_participants: 42 })
      .where("type", "=", "lecture")
      .execute();
    await expectRollupsMatch(ctx);

    // Every counted column of one tagged activity at once: county, base, month (and year), type.
    const tagged = tags[0].activity_id;
    await ctx.db
      .updateTable("activities")
      .set({
        region_code: bases[3].region,
        base_id: bases[3].id,
        start_month: "2024-12",
        type: "contest",
        report_status: "returned",
        actual_participants: null,
      })
      .where("id", "=", tagged)
      .execute();
    await expectRollupsMatch(ctx);

    // A column the statistics do not count leaves them alone.
    await ctx.db.updateTable("activities").set({ name: "改名后的活动" }).execute();
    await expectRollupsMatch(ctx);

    // Tags removed in one statement and one re-added.
    const untag = tags.slice(0, 10);
    await ctx.db
      .deleteFrom("activity_campaigns")
      .where(
        "activity_id",
        "in",
        untag.map((x) => x.activity_id),
      )
      .execute();
    await ctx.db.insertInto("activity_campaigns").values(untag[0]).execute();
    await expectRollupsMatch(ctx);

    // A campaign moved to another year takes its tagged bases with it.
    await ctx.db.updateTable("campaigns").set({ year: 2025 }).where("id", "=", campaigns[0]).execute();
    await expectRollupsMatch(ctx);

    // Bases: one added, one revoked, one moved to another county, one renamed, one deleted.
    const extra = await insertBase(ctx, { region_code: "330822" });
    await ctx.db.updateTable("bases").set({ status: "revoked" }).where("id", "=", bases[1].id).execute();
    await ctx.db.updateTable("bases").set({ region_code: "330824" }).where("id", "=", extra).execute();
    await ctx.db
      .updateTable("bases")
      .set({ opening_form: null, category_code: "enterprise" })
      .where("id", "=", extra)
      .execute();
    await ctx.db.updateTable("bases").set({ opening_form: "免费" }).where("id", "=", extra).execute();
    await ctx.db
      .updateTable("bases")
      .set({ name: "只改了名称的科普教育基地" })
      .where("id", "=", bases[2].id)
      .execute();
    await expectRollupsMatch(ctx);
    await ctx.db.deleteFrom("bases").where("id", "=", extra).execute();
    await expectRollupsMatch(ctx);

    // Activities deleted (their tags first, as the foreign key requires).
    const gone = rows.slice(0, 15).map((r) => r.id);
    await ctx.db.deleteFrom("activity_campaigns").where("activity_id", "in", gone).execute();
    await ctx.db.deleteFrom("activities").where("id", "in", gone).execute();
    await expectRollupsMatch(ctx);
    const left = await ctx.db
      .selectFrom("activities")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(45);
  });

  it("lose no count when writers in the same county and month commit at once", async () => {
    const { ctx } = t;
    const random = rng(11);
    const one = [bases[0]];
    const before = await ctx.db
      .selectFrom("activity_stats_cells")
      .select((eb) => eb.fn.sum<number | string>("activities").as("n"))
      .where("region_code", "=", one[0].region)
      .executeTakeFirstOrThrow();
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const [row] = activityRows(random, 1, one, userId);
        await ctx.db.transaction().execute(async (trx) => {
          await trx
            .insertInto("activities")
            .values({ ...row, start_month: "2024-06", type: "lecture", report_status: "none" })
            .execute();
          await trx
            .insertInto("activity_campaigns")
            .values({ activity_id: row.id, campaign_id: campaigns[2] })
            .execute();
        });
      }),
    );
    const after = await ctx.db
      .selectFrom("activity_stats_cells")
      .select((eb) => eb.fn.sum<number | string>("activities").as("n"))
      .where("region_code", "=", one[0].region)
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(12);
    await expectRollupsMatch(ctx);
  });
});

describe("activityStats", () => {
  it("ranks a base by all its activities for the city, and by the county's share for a county", async () => {
    const { ctx } = t;
    // A base whose activities lie in two counties (it moved; earlier activities keep their county).
    const moved = await ctx.db
      .selectFrom("activities")
      .select("id")
      .where("base_id", "=", bases[0].id)
      .where("start_month", "like", "2024-%")
      .limit(2)
      .execute();
    expect(moved.length).toBe(2);
    await ctx.db
      .updateTable("activities")
      .set({ region_code: "330802" })
      .where(
        "id",
        "in",
        moved.map((m) => m.id),
      )
      .execute();
    const top = (region?: string) =>
      sql<{ base_id: string; n: number | string; p: number | string }>`
        select base_id, count(*) as n, sum(coalesce(actual_participants, 0)) as p from activities
        where start_month like '2024-%' ${region ? sql`and region_code = ${region}` : sql``}
        group by base_id order by count(*) desc, base_id limit 20`
        .execute(ctx.db)
        .then((r) =>
          r.rows.map((x) => ({ baseId: x.base_id, activities: Number(x.n), participants: Number(x.p) })),
        );
    const city = await createUserRecord(ctx, { role: "city" });
    const kecheng = await createUserRecord(ctx, { role: "county", regionCode: "330802" });
    const cityStats = await activityStats(ctx, actorOf(city), 2024);
    expect(cityStats.byBase.map(({ name: _, ...b }) => b)).toEqual(await top());
    expect(cityStats.byBase.find((b) => b.baseId === bases[0].id)?.name).toMatch(/科普教育基地$/);
    const countyStats = await activityStats(ctx, actorOf(kecheng), 2024);
    expect(countyStats.byBase.map(({ name: _, ...b }) => b)).toEqual(await top("330802"));
    expect(countyStats.byBase.map((b) => b.baseId)).toContain(bases[0].id);
    // The totals agree with the cells, and the participation with its recount.
    expect(cityStats.total.activities).toBe(cityStats.byMonth.reduce((s, m) => s + m.activities, 0));
    const tagged = await sql<{ region_code: string; n: number | string }>`
      select a.region_code, count(distinct a.base_id) as n from activity_campaigns l
      join activities a on a.id = l.activity_id join campaigns c on c.id = l.campaign_id
      where c.year = 2024 group by a.region_code`.execute(ctx.db);
    for (const row of tagged.rows)
      expect(cityStats.participation.find((p) => p.code === row.region_code)?.participating).toBe(
        Number(row.n),
      );
    await expectRollupsMatch(ctx);
  });
});

describe("0011-activity-stats-rollups", () => {
  it("counts the activities an installation already had", async () => {
    const old = await createTestContext({ migratedTo: "0010-activities-stats-covering" });
    try {
      const { ctx } = old;
      const user = (await createUserRecord(ctx, { role: "office" })).id;
      const mine = [{ id: await insertBase(ctx, { region_code: "330802" }), region: "330802" }];
      const campaign = await addCampaign(ctx, 2024);
      const rows = activityRows(rng(3), 25, mine, user);
      await ctx.db.insertInto("activities").values(rows).execute();
      await ctx.db
        .insertInto("activity_campaigns")
        .values(rows.slice(0, 9).map((r) => ({ activity_id: r.id, campaign_id: campaign })))
        .execute();
      expect(await migrateToLatest(old.handle)).toContain("0011-activity-stats-rollups");
      await expectRollupsMatch(ctx);
      const cells = await ctx.db
        .selectFrom("activity_stats_cells")
        .select((eb) => eb.fn.sum<number | string>("activities").as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(cells.n)).toBe(25);
    } finally {
      await old.close();
    }
  });
});
