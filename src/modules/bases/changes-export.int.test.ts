import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import {
  actorOf,
  createUserRecord,
  linkBase,
  type MadeUser,
  makeUscc,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { beijingWall, column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import { changeReportSchema } from "./bases.schema.ts";
import { decideChangeReport, fileChangeReport } from "./bases.server.ts";
import { insertBase } from "./bases-import.server.ts";
import { CHANGES_EXPORT_HEADERS, changeFilterOf, prepareChangesXlsx } from "./changes-export.server.ts";

const clock = fixedClock("2024-03-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
/** An office account limited to 龙游县, to show the region scope is in the query. */
let longyouOffice: MadeUser;
let longyouCounty: MadeUser;

async function baseWithOrg(regionCode: string, name: string): Promise<MadeUser> {
  const org = await createUserRecord(t.ctx, { role: "org", regionCode });
  const id = await insertBase(
    t.ctx.db,
    {
      uscc: org.login ?? makeUscc(),
      org_id: org.id,
      name,
      unit_name: name,
      region_code: regionCode,
      category_code: "science_venue",
      address: "地址",
      contact_name: "原联系人",
      contact_phone: "13800001111",
      batch_no: 5,
      recognized_year: 2020,
    },
    clock.now().toISOString(),
  );
  await linkBase(t.ctx, id, org.id);
  return org;
}

const file = (org: MadeUser, kind: "contact" | "rename", happenedOn: string) =>
  fileChangeReport(
    t.ctx,
    actorOf(org),
    changeReportSchema.parse(
      kind === "contact"
        ? { kind, happenedOn, contactName: "新联系人", contactPhone: "13900002222", explanation: "换人" }
        : { kind, happenedOn, name: "柯城新名科普教育基地", unitName: "更名单位", explanation: "更名" },
    ),
  );

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
  longyouOffice = await createUserRecord(t.ctx, { role: "office", regionCode: "330825" });
  longyouCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  const longyou = await baseWithOrg("330825", "龙游基地");
  const kecheng = await baseWithOrg("330802", "柯城基地");
  const jiangshan = await baseWithOrg("330881", "江山基地");
  await file(longyou, "contact", "2024-02-01");
  await file(kecheng, "rename", "2023-10-01");
  const done = await file(jiangshan, "contact", "2024-01-20");
  clock.set("2024-03-11T09:00:00+08:00");
  await decideChangeReport(t.ctx, actorOf(office), done.id, {
    decision: "approve",
    reply: "同意",
    version: done.version,
  });
});
afterAll(async () => t?.close());

describe("the change reports export", () => {
  it("opens on the pending queue like the list, with real dates, a frozen filtered header, audited", async () => {
    const { sheet, headers, rows } = await openExport(
      await prepareChangesXlsx(t.ctx, actorOf(office), changeFilterOf(new URLSearchParams())),
    );
    expect(headers).toEqual(CHANGES_EXPORT_HEADERS);
    expect(rows.map((r) => r[0]).sort()).toEqual(["柯城基地", "龙游基地"]);
    expectFrozenFilteredHeader(sheet, headers.length, 2);
    const i = rows.findIndex((r) => r[0] === "龙游基地");
    expect(column(sheet, headers, "变更发生日期")[i]).toEqual(new Date("2024-02-01T00:00:00.000Z"));
    expect(column(sheet, headers, "报告期限")[i]).toEqual(new Date("2024-05-01T00:00:00.000Z"));
    expect(column(sheet, headers, "提交时间")[i]).toEqual(beijingWall("2024-03-10T02:00:00.000Z"));
    expect(String(column(sheet, headers, "变更内容")[i])).toContain("新联系人");
    // Filed more than three months after the change.
    expect(rows.find((r) => r[0] === "柯城基地")?.[6]).toBe("是");
    const audited = await t.ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "change_report.export")
      .execute();
    expect(audited.map((a) => a.actor_id)).toEqual([office.id]);
  });

  it("applies the status and kind filters", async () => {
    const approved = await openExport(
      await prepareChangesXlsx(
        t.ctx,
        actorOf(office),
        changeFilterOf(new URLSearchParams("status=approved")),
      ),
    );
    expect(approved.rows.map((r) => r[0])).toEqual(["江山基地"]);
    expect(column(approved.sheet, approved.headers, "处理时间")[0]).toEqual(
      beijingWall("2024-03-11T01:00:00.000Z"),
    );
    const all = await openExport(
      await prepareChangesXlsx(
        t.ctx,
        actorOf(office),
        changeFilterOf(new URLSearchParams("status=&kind=rename")),
      ),
    );
    expect(all.rows.map((r) => r[0])).toEqual(["柯城基地"]);
  });

  it("holds only the rows of the actor's region, and is refused to county staff", async () => {
    const mine = await openExport(
      await prepareChangesXlsx(t.ctx, actorOf(longyouOffice), changeFilterOf(new URLSearchParams("status="))),
    );
    expect(mine.rows.map((r) => r[1])).toEqual(["龙游县"]);
    const err = await prepareChangesXlsx(t.ctx, actorOf(longyouCounty), {}).catch((e) => e);
    expect(err.code).toBe("FORBIDDEN");
  });
});
