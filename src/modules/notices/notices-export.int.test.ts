import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { createEighthBatchCall } from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { reviewedApplication } from "../../../tests/support/review-fixtures.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { beijingWall, column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import { objectionSchema } from "./notices.schema.ts";
import { fileObjection, publishNotice } from "./notices.server.ts";
import {
  NOTICES_EXPORT_HEADERS,
  OBJECTIONS_EXPORT_HEADERS,
  prepareNoticesXlsx,
  prepareObjectionsXlsx,
} from "./notices-export.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let county: MadeUser;
let noticeId: string;

beforeAll(async () => {
  t = await createTestContext({ clock });
  const callId = await createEighthBatchCall(t.ctx);
  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  const city = await createUserRecord(t.ctx, { role: "city" });
  office = await createUserRecord(t.ctx, { role: "office" });
  const steps = [
    { by: county, action: "recommend" as const },
    { by: city, action: "pass" as const },
    { by: office, action: "confirm" as const },
  ];
  const a = await reviewedApplication(t.ctx, callId, "330825", "甲馆", steps);
  const b = await reviewedApplication(t.ctx, callId, "330825", "乙馆", steps);
  clock.set("2023-09-28T09:00:00+08:00");
  noticeId = await publishNotice(t.ctx, actorOf(office), {
    callId,
    applicationIds: [a.id, b.id],
    title: "第八批拟认定名单公示",
    body: "现予公示。",
    contact: "市科协科普部 0570-3027351",
    startDate: "2023-09-29",
    workingDays: 5,
  });
  clock.set("2023-09-30T08:15:00+08:00");
  await fileObjection(
    t.ctx,
    { user: null, ip: "203.0.113.7" },
    noticeId,
    objectionSchema.parse({
      applicationId: a.id,
      objectorKind: "individual",
      objectorName: "王异议",
      objectorPhone: "13800001111",
      content: "开放天数与申报不符。",
    }),
  );
});
afterAll(async () => t?.close());

describe("the notices export", () => {
  it("lists each notice with real dates, its list size and objections, and is audited", async () => {
    const { sheet, headers, rows } = await openExport(await prepareNoticesXlsx(t.ctx, actorOf(office)));
    expect(headers).toEqual(NOTICES_EXPORT_HEADERS);
    expect(rows).toHaveLength(1);
    expectFrozenFilteredHeader(sheet, headers.length, 1);
    expect(column(sheet, headers, "标题")).toEqual(["第八批拟认定名单公示"]);
    expect(column(sheet, headers, "公示开始时间")).toEqual([new Date("2023-09-29T00:00:00.000Z")]);
    // Five working days from Friday 29 September, over the National Day holiday: to 11 October.
    expect(column(sheet, headers, "公示截止日期")).toEqual([new Date("2023-10-11T00:00:00.000Z")]);
    expect(column(sheet, headers, "名单数量")).toEqual([2]);
    expect(column(sheet, headers, "异议数")).toEqual([1]);
    expect(column(sheet, headers, "待核实异议数")).toEqual([1]);
    const audited = await t.ctx.db
      .selectFrom("audit_events")
      .select("actor_id")
      .where("action", "=", "notice.export")
      .execute();
    expect(audited).toEqual([{ actor_id: office.id }]);
  });

  it("lists the objections with the objector, the base and typed times, audited as personal data", async () => {
    const { sheet, headers, rows } = await openExport(await prepareObjectionsXlsx(t.ctx, actorOf(office)));
    expect(headers).toEqual(OBJECTIONS_EXPORT_HEADERS);
    expectFrozenFilteredHeader(sheet, headers.length, 1);
    expect(rows[0]).toEqual(
      expect.arrayContaining(["第八批拟认定名单公示", "甲馆科普教育基地", "王异议", "13800001111", "待核实"]),
    );
    expect(column(sheet, headers, "提交时间")).toEqual([beijingWall("2023-09-30T00:15:00.000Z")]);
    expect(column(sheet, headers, "处理时间")).toEqual([null]);
    const audited = await t.ctx.db
      .selectFrom("audit_events")
      .select("actor_id")
      .where("action", "=", "objection.export")
      .execute();
    expect(audited).toEqual([{ actor_id: office.id }]);
  });

  it("lists a county none of the city's notices or objections (it runs only its own county-level calls)", async () => {
    const notices = await openExport(await prepareNoticesXlsx(t.ctx, actorOf(county)));
    expect(notices.sheet.actualRowCount).toBe(1);
    const objections = await openExport(await prepareObjectionsXlsx(t.ctx, actorOf(county)));
    expect(objections.sheet.actualRowCount).toBe(1);
  });
});
