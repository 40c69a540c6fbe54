import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertBase } from "#src/modules/bases/bases-import.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { ReportStatus } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { actorOf, createUserRecord, type MadeUser, makeUscc } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { beijingWall, column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import {
  ACTIVITY_REPORTS_EXPORT_HEADERS,
  prepareActivityReportsXlsx,
  reportTabOf,
} from "./activity-reports-export.server.ts";
import { CAMPAIGNS_EXPORT_HEADERS, prepareCampaignsXlsx } from "./campaigns-export.server.ts";

const clock = fixedClock("2024-06-10T10:00:00+08:00");
let t: TestContext;
let city: MadeUser;
/** A reviewer limited to 龙游县, to show the region scope is in the query. */
let longyouReviewer: MadeUser;
let office: MadeUser;
let longyouCounty: MadeUser;
let campaignId: string;

async function activity(regionCode: string, name: string, status: ReportStatus, submittedAt: string | null) {
  const baseId = await insertBase(
    t.ctx.db,
    {
      uscc: makeUscc(),
      org_id: null,
      name: `${name}基地`,
      unit_name: name,
      region_code: regionCode,
      category_code: "science_venue",
      batch_no: 5,
      recognized_year: 2020,
    },
    clock.now().toISOString(),
  );
  const id = newId();
  await t.ctx.db
    .insertInto("activities")
    .values({
      id,
      base_id: baseId,
      region_code: regionCode,
      name,
      type: "lecture",
      form: "offline",
      starts_at: "2024-05-12T01:00:00.000Z",
      ends_at: "2024-05-12T03:00:00.000Z",
      start_month: "2024-05",
      fee: "free",
      direction: "in",
      contact_name: "林老师",
      contact_phone: "13905701234",
      expected_participants: 100,
      actual_participants: status === "none" ? null : 86,
      report_status: status,
      report_links: JSON.stringify(["https://news.example.cn/a/1"]),
      report_submitted_at: submittedAt,
      report_reviewed_by: null,
      report_reviewed_at: null,
      report_return_reason: status === "returned" ? "照片不清晰" : null,
      reminder_sent_at: null,
      created_by: office.id,
      created_at: clock.now().toISOString(),
      updated_at: clock.now().toISOString(),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  city = await createUserRecord(t.ctx, { role: "city" });
  longyouReviewer = await createUserRecord(t.ctx, { role: "city", regionCode: "330825" });
  office = await createUserRecord(t.ctx, { role: "office" });
  longyouCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  const longyou = await activity("330825", "龙游讲座", "submitted", "2024-05-13T16:30:00.000Z");
  await activity("330802", "柯城讲座", "submitted", "2024-05-14T01:00:00.000Z");
  await activity("330881", "江山讲座", "returned", "2024-05-14T02:00:00.000Z");
  campaignId = newId();
  await t.ctx.db
    .insertInto("campaigns")
    .values({
      id: campaignId,
      kind: "science_day",
      title: "2024年全国科普日",
      year: 2024,
      starts_on: "2024-09-01",
      ends_on: "2024-09-30",
      created_at: "2024-06-01T00:00:00.000Z",
      updated_at: "2024-06-01T00:00:00.000Z",
    })
    .execute();
  await t.ctx.db
    .insertInto("activity_campaigns")
    .values({ activity_id: longyou, campaign_id: campaignId })
    .execute();
});
afterAll(async () => t?.close());

const audited = (action: string) =>
  t.ctx.db.selectFrom("audit_events").select("actor_id").where("action", "=", action).execute();

describe("the activity reports export", () => {
  it("has the list's tab (待审核 by default), real dates, a frozen filtered header, and is audited", async () => {
    const { sheet, headers, rows } = await openExport(
      await prepareActivityReportsXlsx(t.ctx, actorOf(city), reportTabOf(new URLSearchParams())),
    );
    expect(headers).toEqual(ACTIVITY_REPORTS_EXPORT_HEADERS);
    expect(rows.map((r) => r[0]).sort()).toEqual(["柯城讲座", "龙游讲座"]);
    expectFrozenFilteredHeader(sheet, headers.length, 2);
    const i = rows.findIndex((r) => r[0] === "龙游讲座");
    expect(column(sheet, headers, "开始时间")[i]).toEqual(beijingWall("2024-05-12T01:00:00.000Z"));
    expect(column(sheet, headers, "小结提交时间")[i]).toEqual(beijingWall("2024-05-13T16:30:00.000Z"));
    expect(column(sheet, headers, "活动参与人数")[i]).toBe(86);
    expect(await audited("activity.export_reports")).toEqual([{ actor_id: city.id }]);
  });

  it("applies the tab", async () => {
    const { rows, sheet, headers } = await openExport(
      await prepareActivityReportsXlsx(
        t.ctx,
        actorOf(city),
        reportTabOf(new URLSearchParams("status=returned")),
      ),
    );
    expect(rows.map((r) => r[0])).toEqual(["江山讲座"]);
    expect(column(sheet, headers, "退回原因")).toEqual(["照片不清晰"]);
  });

  it("holds only the actor's region, and is refused to county staff", async () => {
    const { rows } = await openExport(
      await prepareActivityReportsXlsx(t.ctx, actorOf(longyouReviewer), "submitted"),
    );
    expect(rows.map((r) => r[2])).toEqual(["龙游县"]);
    const err = await prepareActivityReportsXlsx(t.ctx, actorOf(longyouCounty), "submitted").catch((e) => e);
    expect(err.code).toBe("FORBIDDEN");
  });
});

describe("the campaigns export", () => {
  it("lists campaigns with real dates and the answering activities, and is audited", async () => {
    const { sheet, headers, rows } = await openExport(await prepareCampaignsXlsx(t.ctx, actorOf(office)));
    expect(headers).toEqual(CAMPAIGNS_EXPORT_HEADERS);
    expect(rows).toHaveLength(1);
    expectFrozenFilteredHeader(sheet, headers.length, 1);
    expect(column(sheet, headers, "开始日期")).toEqual([new Date("2024-09-01T00:00:00.000Z")]);
    expect(column(sheet, headers, "结束日期")).toEqual([new Date("2024-09-30T00:00:00.000Z")]);
    expect(column(sheet, headers, "发布时间")).toEqual([beijingWall("2024-06-01T00:00:00.000Z")]);
    expect(column(sheet, headers, "状态")).toEqual(["进行中"]);
    expect(column(sheet, headers, "响应活动数")).toEqual([1]);
    expect(await audited("campaign.export")).toEqual([{ actor_id: office.id }]);
  });

  it("is refused to county staff", async () => {
    expect((await prepareCampaignsXlsx(t.ctx, actorOf(longyouCounty)).catch((e) => e)).code).toBe(
      "FORBIDDEN",
    );
  });
});
