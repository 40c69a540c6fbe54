import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { extractPdfText } from "#src/platform/pdf/extract-pdf-text.ts";
import { openStorage } from "#src/platform/storage/index.ts";
import {
  attachRequiredFiles,
  createEighthBatchCall,
  validApplicationForm,
} from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import {
  prepareApplicationsXlsx,
  renderApplicationFormPdf,
  writeAttachmentsZip,
} from "./application-export.server.ts";
import { draftFromForm } from "./applications.schema.ts";
import { saveDraft, startApplication, submitApplication } from "./applications.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let callId: string;
let longyouApp: string;
let jiangshanApp: string;
let longyou: MadeUser;
let jiangshan: MadeUser;
let city: MadeUser;

async function submitted(regionCode: string, baseName: string) {
  const org = await createUserRecord(t.ctx, { role: "org", regionCode });
  const id = await startApplication(t.ctx, actorOf(org), callId);
  const { version } = await saveDraft(
    t.ctx,
    actorOf(org),
    id,
    draftFromForm({ ...validApplicationForm(), regionCode, baseName }),
    1,
  );
  await attachRequiredFiles(t.ctx, id, regionCode);
  await submitApplication(t.ctx, actorOf(org), id, version);
  return id;
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

beforeAll(async () => {
  t = await createTestContext({ clock });
  t.ctx.config = { ...t.ctx.config, dataDir: `/tmp/kepu-export-${process.pid}-${Date.now()}` };
  callId = await createEighthBatchCall(t.ctx);
  longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(t.ctx, { role: "city" });
  longyouApp = await submitted("330825", "龙游甲科普教育基地");
  jiangshanApp = await submitted("330881", "江山乙科普教育基地");
});
afterAll(async () => t?.close());

async function rowsOf(user: MadeUser) {
  const write = await prepareApplicationsXlsx(t.ctx, actorOf(user), callId);
  const buf = await collect(write);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const sheet = wb.getWorksheet("申报汇总")!;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
  return rows;
}

describe("XLSX export", () => {
  it("has a header and one row per application with every field and the stage", async () => {
    const rows = await rowsOf(city);
    expect(rows[0]).toContain("基地名称");
    expect(rows[0]).toContain("科普教育基地简介");
    expect(rows[0]).toContain("当前阶段");
    const names = rows.slice(1).map((r) => r[3]);
    expect(names).toEqual(expect.arrayContaining(["龙游甲科普教育基地", "江山乙科普教育基地"]));
    expect(rows[0][0]).toBe("申报编号");
    expect(rows[0].at(-1)).toBe("系统编号");
    const row = rows.find((r) => r.at(-1) === longyouApp)!;
    expect(row[0]).toBe("2023-第八批-龙游-001");
    expect(rows.find((r) => r.at(-1) === jiangshanApp)![0]).toBe("2023-第八批-江山-001");
    expect(row[1]).toBe("待县级推荐");
    expect(row[2]).toBe("龙游县");
    expect(row[19]).toHaveLength(1000);
  });

  it("never puts another county's rows in a county user's export", async () => {
    const rows = await rowsOf(jiangshan);
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([jiangshanApp]);
    expect((await rowsOf(longyou)).slice(1).map((r) => r.at(-1))).toEqual([longyouApp]);
  });

  it("refuses organizations", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    await expect(prepareApplicationsXlsx(t.ctx, actorOf(org), callId)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("attachments ZIP", () => {
  it("packs every stored file under its slot's folder, only for those in scope", async () => {
    const storage = openStorage(t.ctx.config);
    const files = await t.ctx.db.selectFrom("files").selectAll().where("owner_id", "=", longyouApp).execute();
    for (const f of files)
      await storage.put(f.storage_key, Readable.from([Buffer.from(`bytes of ${f.original_name}`)]));
    const zip = await collect((out) => writeAttachmentsZip(t.ctx, actorOf(longyou), longyouApp, out));
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    expect(zip.includes(Buffer.from("基地概况照片/"))).toBe(true);
    await expect(
      collect((out) => writeAttachmentsZip(t.ctx, actorOf(jiangshan), longyouApp, out)),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("printable 申报表", () => {
  it("renders the application's own fields in Chinese, for those in scope only", async () => {
    const { pdf, contentDisposition } = await renderApplicationFormPdf(t.ctx, actorOf(longyou), longyouApp);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = extractPdfText(pdf)
      .map((p) => p.text)
      .join("\n");
    expect(text).toContain("科普教育基地申报表");
    expect(text).toContain("龙游甲科普教育基地");
    expect(text).toContain("龙游县科技馆科技志愿服务队");
    expect(text.replace(/\s+/g, "")).toContain("申报编号：2023-第八批-龙游-001");
    expect(contentDisposition).toContain("filename*=UTF-8''");
    expect(decodeURIComponent(contentDisposition)).toContain("申报表-2023-第八批-龙游-001-");
    await expect(renderApplicationFormPdf(t.ctx, actorOf(jiangshan), longyouApp)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
