import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import { IMPORT_COLUMNS } from "./bases.schema.ts";
import { listStaffBases } from "./bases.server.ts";
import { EXPORT_HEADERS, prepareBasesXlsx } from "./bases-export.server.ts";
import { importBases, importTemplateXlsx, previewImport } from "./bases-import.server.ts";

const clock = fixedClock("2024-03-10T10:00:00+08:00");
let t: TestContext;
let office: MadeUser;
let admin: MadeUser;
let city: MadeUser;
let longyouStaff: MadeUser;
let jiangshanStaff: MadeUser;
let linkedOrg: MadeUser;

const COUNTIES = ["柯城区", "衢江区", "常山县", "开化县", "龙游县", "江山市"];
const CATEGORIES = ["科技场馆", "文化场馆", "三农", "企业", "自然资源"];

/** A valid USCC for row i, distinct per row. */
function usccFor(i: number): string {
  const body = `52330800MB${String(i).padStart(4, "0")}0X0`;
  return body + usccCheckChar(body);
}

function row(i: number): Record<string, string | number> {
  const county = COUNTIES[i % COUNTIES.length];
  return {
    uscc: usccFor(i),
    name: `${county}测试第${i}号科普教育基地`,
    unitName: `${county}测试单位${i}`,
    county,
    category: CATEGORIES[i % CATEGORIES.length],
    address: `${county}测试路${i}号`,
    openingForm: "免费",
    openDays: 250 + (i % 100),
    bookingPhone: "0570-3027351",
    leaderName: "张负责",
    leaderPhone: "13812345678",
    contactName: "李联系",
    contactPhone: 13912345678,
    volunteerTeamName: `${county}测试单位${i}科技志愿服务队`,
    batchNo: (i % 7) + 1,
    recognizedYear: 2016 + (i % 7),
    certificateNo: "",
    intro: `第${i}号基地简介`,
  };
}

async function xlsx(rows: Record<string, string | number>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("基地导入");
  sheet.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key }));
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const collect = async (write: (out: PassThrough) => Promise<unknown>) => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c) => chunks.push(c));
  const done = new Promise((r) => out.on("end", r));
  await write(out);
  await done;
  return Buffer.concat(chunks);
};

async function exportRows(user: MadeUser, filter = {}) {
  const buf = await collect(await prepareBasesXlsx(t.ctx, actorOf(user), filter));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const rows: string[][] = [];
  wb.getWorksheet("科普教育基地")!.eachRow((r) =>
    rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ""))),
  );
  return rows;
}

const countBases = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom("bases")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestContext({ clock });
  office = await createUserRecord(t.ctx, { role: "office" });
  admin = await createUserRecord(t.ctx, { role: "admin" });
  city = await createUserRecord(t.ctx, { role: "city" });
  longyouStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshanStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  linkedOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330802", login: usccFor(0) });
});
afterAll(async () => t?.close());

describe("import", () => {
  const rows = Array.from({ length: 300 }, (_, i) => row(i));

  it("only the office and admin may import", async () => {
    const buf = await xlsx(rows.slice(0, 1));
    for (const u of [city, longyouStaff, linkedOrg]) {
      expect((await errorOf(previewImport(t.ctx, actorOf(u), buf))).code).toBe("FORBIDDEN");
    }
    expect((await previewImport(t.ctx, actorOf(admin), buf)).plan).toHaveLength(1);
  });

  it("the template has every column and reads back with no rows", async () => {
    const tpl = await importTemplateXlsx(t.ctx, actorOf(office));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl as never);
    const header = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    const r = await previewImport(t.ctx, actorOf(office), tpl);
    expect(r).toMatchObject({ rows: 0, problems: [] });
  });

  it("acceptance: 300 rows with one bad USCC report that row and import nothing", async () => {
    const bad = rows.map((r, i) =>
      i === 136
        ? { ...r, uscc: `${String(r.uscc).slice(0, 17)}${String(r.uscc)[17] === "0" ? "1" : "0"}` }
        : r,
    );
    const gen = await readGenerations(t.ctx, ["bases"]);
    const preview = await previewImport(t.ctx, actorOf(office), await xlsx(bad));
    expect(preview.rows).toBe(300);
    expect(preview.problems).toEqual([
      { row: 138, column: "统一社会信用代码", message: expect.stringContaining("校验位") },
    ]);
    const result = await importBases(t.ctx, actorOf(office), await xlsx(bad), { skipInvalid: false });
    expect(result.applied).toBe(false);
    expect(result.invalidRows).toEqual([138]);
    expect(await countBases()).toBe(0);
    expect(await readGenerations(t.ctx, ["bases"])).toBe(gen);
  });

  it("once fixed all 300 import, linked to no account (not even one with that USCC); again changes nothing", async () => {
    const buf = await xlsx(rows);
    const first = await importBases(t.ctx, actorOf(office), buf, { skipInvalid: false });
    expect(first).toMatchObject({ applied: true, created: 300, updated: 0, unchanged: 0, skipped: 0 });
    expect(await countBases()).toBe(300);
    const imported = await t.ctx.db
      .selectFrom("bases")
      .select(["id", "org_id"])
      .where("uscc", "=", usccFor(0))
      .executeTakeFirstOrThrow();
    expect(imported.org_id).toBeNull();
    const links = await t.ctx.db
      .selectFrom("base_accounts")
      .select("user_id")
      .where("base_id", "=", imported.id)
      .execute();
    expect(links).toEqual([]);
    expect(linkedOrg.login).toBe(usccFor(0));

    const before = await t.ctx.db
      .selectFrom("bases")
      .select(["id", "version", "updated_at"])
      .orderBy("id")
      .execute();
    const gen = await readGenerations(t.ctx, ["bases"]);
    const again = await importBases(t.ctx, actorOf(office), buf, { skipInvalid: false });
    expect(again).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 300 });
    expect(
      await t.ctx.db.selectFrom("bases").select(["id", "version", "updated_at"]).orderBy("id").execute(),
    ).toEqual(before);
    expect(await readGenerations(t.ctx, ["bases"])).toBe(gen);
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "base.import")
      .execute();
    expect(audit.map((a) => JSON.parse(a.detail!).created)).toEqual([300, 0]);
  });

  it("a changed row updates only that base; a duplicate USCC is an error on the second row; skipInvalid imports the rest", async () => {
    const changed = rows.slice(0, 3).map((r, i) => (i === 1 ? { ...r, intro: "更新后的简介" } : r));
    const file = [...changed, { ...row(3), name: "重复代码科普教育基地", uscc: usccFor(2) }, row(400)];
    const preview = await previewImport(t.ctx, actorOf(office), await xlsx(file));
    expect(preview.problems).toEqual([
      { row: 5, column: "统一社会信用代码", message: "与第4行的统一社会信用代码重复" },
    ]);
    expect(preview.plan.map((p) => p.action)).toEqual(["unchanged", "update", "unchanged", "create"]);
    // The update says what it changes before anything is written.
    expect(preview.plan[1].changes).toEqual([{ column: "简介", from: "第1号基地简介", to: "更新后的简介" }]);
    const refused = await importBases(t.ctx, actorOf(office), await xlsx(file), { skipInvalid: false });
    expect(refused.applied).toBe(false);
    expect(await countBases()).toBe(300);
    const done = await importBases(t.ctx, actorOf(office), await xlsx(file), { skipInvalid: true });
    expect(done).toMatchObject({ applied: true, created: 1, updated: 1, unchanged: 2, skipped: 1 });
    const updated = await t.ctx.db
      .selectFrom("bases")
      .select(["intro", "version"])
      .where("uscc", "=", usccFor(1))
      .executeTakeFirstOrThrow();
    expect(updated).toEqual({ intro: "更新后的简介", version: 2 });
    expect(await countBases()).toBe(301);
  });

  it("reports bad cells by row and column, and refuses a file without the template's header", async () => {
    const file = [{ ...row(500), county: "杭州市", openDays: 400, leaderPhone: "12345" }];
    const r = await previewImport(t.ctx, actorOf(office), await xlsx(file));
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([
      [2, "所在区域"],
      [2, "年开放天数"],
      [2, "负责人电话"],
    ]);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("x").addRow(["名称"]);
    const e = await errorOf(previewImport(t.ctx, actorOf(office), Buffer.from(await wb.xlsx.writeBuffer())));
    expect(e.message).toContain("表头缺少");
    expect((await errorOf(previewImport(t.ctx, actorOf(office), Buffer.from("not a zip")))).code).toBe(
      "VALIDATION",
    );
  });
});

describe("export", () => {
  it("has every column and is scoped: 江山市 never sees a 龙游县 base", async () => {
    const js = await exportRows(jiangshanStaff);
    expect(js[0]).toEqual(EXPORT_HEADERS);
    const jsTotal = (await listStaffBases(t.ctx, actorOf(jiangshanStaff), {})).total;
    expect(js.length - 1).toBe(jsTotal);
    expect(js.slice(1).every((r) => r[3] === "江山市")).toBe(true);
    const ly = await exportRows(longyouStaff);
    expect(ly.slice(1).every((r) => r[3] === "龙游县")).toBe(true);
    expect(ly.length).toBeGreaterThan(1);
    const all = await exportRows(office);
    expect(all.length - 1).toBe(301);
    expect(all[1][5]).toBe("正常");
  });

  it("writes times as real Excel dates in Beijing time under a frozen, filtered header", async () => {
    const { sheet, headers, rows } = await openExport(await prepareBasesXlsx(t.ctx, actorOf(office), {}));
    expectFrozenFilteredHeader(sheet, headers.length, rows.length);
    const updated = column(sheet, headers, "最近更新");
    expect(updated.every((v) => v instanceof Date)).toBe(true);
    // Imported at 10:00 in Beijing.
    expect((updated[0] as Date).toISOString()).toBe("2024-03-10T10:00:00.000Z");
  });

  it("follows the list's filters, and organizations may not export", async () => {
    const filtered = await exportRows(office, { q: "第1号科普" });
    expect(filtered.slice(1).map((r) => r[1])).toEqual([
      "柯城区测试第1号科普教育基地".replace("柯城区", COUNTIES[1]),
    ]);
    expect((await errorOf(prepareBasesXlsx(t.ctx, actorOf(linkedOrg), {}))).code).toBe("FORBIDDEN");
  });
});

// Last: it adds a base, which the export counts above would see.
describe("import reads cells as the clerk meant them", () => {
  it("reads the clerk's cells: a date cell as the year, a landline stored as a number with its 0 back", async () => {
    const r = {
      ...row(900),
      recognizedYear: new Date(Date.UTC(2019, 5, 1)) as unknown as number,
      bookingPhone: 5703027351,
      county: "衢江区",
    };
    const preview = await previewImport(t.ctx, actorOf(office), await xlsx([r]));
    expect(preview.problems).toEqual([]);
    expect(preview.notes).toEqual([
      { row: 2, column: "预约参观电话", message: expect.stringContaining("开头的0已丢失") },
    ]);
    await importBases(t.ctx, actorOf(office), await xlsx([r]), { skipInvalid: false });
    const base = await t.ctx.db
      .selectFrom("bases")
      .select(["recognized_year", "booking_phone"])
      .where("uscc", "=", usccFor(900))
      .executeTakeFirstOrThrow();
    expect(base).toEqual({ recognized_year: 2019, booking_phone: "0570-3027351" });
    // A changed county shows by name.
    const moved = await previewImport(t.ctx, actorOf(office), await xlsx([{ ...r, county: "龙游县" }]));
    expect(moved.plan[0].changes).toContainEqual({ column: "所在区域", from: "衢江区", to: "龙游县" });
  });

  it("takes 附件2's short county names and the new columns; a sheet without them leaves them alone", async () => {
    const r = {
      ...row(901),
      county: "柯城",
      recognizedYear: 2021,
      recognizedAt: new Date(Date.UTC(2021, 5, 18)) as unknown as string,
      area: "1200.5",
      openingHours: "周二至周日 9:00-17:00",
      volunteerCount: 25,
      status: "已认定",
    };
    const preview = await previewImport(t.ctx, actorOf(office), await xlsx([r]));
    expect(preview.problems).toEqual([]);
    await importBases(t.ctx, actorOf(office), await xlsx([r]), { skipInvalid: false });
    const read = () =>
      t.ctx.db
        .selectFrom("bases")
        .select(["region_code", "recognized_at", "area_sqm", "opening_hours", "volunteer_count", "status"])
        .where("uscc", "=", usccFor(901))
        .executeTakeFirstOrThrow();
    const stored = await read();
    expect(stored).toEqual({
      region_code: "330802",
      recognized_at: "2021-06-17T16:00:00.000Z",
      area_sqm: 1200.5,
      opening_hours: "周二至周日 9:00-17:00",
      volunteer_count: 25,
      status: "active",
    });

    // An older template, without the new columns, changes none of them.
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("基地导入");
    const old = IMPORT_COLUMNS.slice(0, 18);
    sheet.columns = old.map((c) => ({ header: c.header, key: c.key }));
    sheet.addRow({ ...r, county: "柯城区", intro: "新的简介" });
    const oldFile = Buffer.from(await wb.xlsx.writeBuffer());
    const update = await previewImport(t.ctx, actorOf(office), oldFile);
    expect(update.problems).toEqual([]);
    expect(update.plan[0].changes).toEqual([{ column: "简介", from: "第901号基地简介", to: "新的简介" }]);
    await importBases(t.ctx, actorOf(office), oldFile, { skipInvalid: false });
    expect(await read()).toEqual(stored);
  });

  it("refuses a day outside 认定年份, a bad area, and a status change on an existing base", async () => {
    const r = { ...row(901), county: "柯城区", recognizedYear: 2021 };
    const bad = await previewImport(
      t.ctx,
      actorOf(office),
      await xlsx([
        { ...r, recognizedAt: "2020-06-18" },
        { ...row(902), area: "很大", status: "暂停" },
      ]),
    );
    expect(bad.problems).toEqual([
      { row: 2, column: "认定日期", message: "认定日期与认定年份不一致" },
      { row: 3, column: "面积(平方米)", message: "面积须为大于0的数字（平方米）" },
      { row: 3, column: "状态", message: "状态应为：已认定、警示、已撤销，或留空" },
    ]);
    const revoke = await previewImport(t.ctx, actorOf(office), await xlsx([{ ...r, status: "已撤销" }]));
    expect(revoke.problems).toEqual([
      { row: 2, column: "状态", message: expect.stringContaining("请在基地管理中办理警示或撤销") },
    ]);
    expect(revoke.plan).toEqual([]);
  });
});
