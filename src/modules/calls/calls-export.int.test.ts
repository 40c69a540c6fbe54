import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { createEighthBatchCall } from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { reviewedApplication } from "../../../tests/support/review-fixtures.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { beijingWall, column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import { CALLS_EXPORT_HEADERS, prepareCallsXlsx } from "./calls-export.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let longyouOffice: MadeUser;
let county: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  const callId = await createEighthBatchCall(t.ctx);
  office = await createUserRecord(t.ctx, { role: "office" });
  longyouOffice = await createUserRecord(t.ctx, { role: "office", regionCode: "330825" });
  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  await reviewedApplication(t.ctx, callId, "330825", "甲馆");
  await reviewedApplication(t.ctx, callId, "330802", "乙馆");
});
afterAll(async () => t?.close());

describe("the calls export", () => {
  it("lists calls with real dates, the last day and the submitted applications, and is audited", async () => {
    const { sheet, headers, rows } = await openExport(await prepareCallsXlsx(t.ctx, actorOf(office)));
    expect(headers).toEqual(CALLS_EXPORT_HEADERS);
    expect(rows).toHaveLength(1);
    expectFrozenFilteredHeader(sheet, headers.length, 1);
    expect(column(sheet, headers, "项目名称")).toEqual(["第八批衢州市科普教育基地创建"]);
    expect(column(sheet, headers, "开始申报时间")).toEqual([beijingWall("2023-01-09T16:00:00.000Z")]);
    // Open until 24:00 of 28 February: that day is the last.
    expect(column(sheet, headers, "截止日期")).toEqual([new Date("2023-02-28T00:00:00.000Z")]);
    expect(column(sheet, headers, "截止时刻")).toEqual([new Date("2023-03-01T00:00:00.000Z")]);
    expect(column(sheet, headers, "状态")).toEqual(["申报中"]);
    expect(column(sheet, headers, "推荐指标合计")).toEqual([36]);
    expect(column(sheet, headers, "已提交申报数")).toEqual([2]);
    const audited = await t.ctx.db
      .selectFrom("audit_events")
      .select("actor_id")
      .where("action", "=", "call.export")
      .execute();
    expect(audited).toEqual([{ actor_id: office.id }]);
  });

  it("counts only the actor's region's applications, and lists a county only its own calls", async () => {
    const { sheet, headers } = await openExport(await prepareCallsXlsx(t.ctx, actorOf(longyouOffice)));
    expect(column(sheet, headers, "已提交申报数")).toEqual([1]);
    // The city's call is not a county's to manage: its export lists none.
    const own = await openExport(await prepareCallsXlsx(t.ctx, actorOf(county)));
    expect(column(own.sheet, own.headers, "已提交申报数")).toEqual([]);
  });
});
