import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { fixedClock } from "#src/platform/clock.ts";
import { openStorage } from "#src/platform/storage/index.ts";
import { createEighthBatchCall } from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { reviewedApplication } from "../../../tests/support/review-fixtures.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { beijingWall, column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import { prepareBatchAttachmentsZip } from "./application-batch-zip.server.ts";
import {
  APPLICATIONS_EXPORT_HEADERS,
  prepareApplicationsXlsx,
  renderApplicationFormPdf,
} from "./application-export.server.ts";

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let callId: string;
let longyou: MadeUser;
let jiangshan: MadeUser;
let city: MadeUser;
let inspected: string;
let declined: string;
let waiting: string;

const audited = (action: string) =>
  t.ctx.db
    .selectFrom("audit_events")
    .select(["actor_id", "target_id"])
    .where("action", "=", action)
    .execute();

beforeAll(async () => {
  t = await createTestContext({ clock });
  t.ctx.config = { ...t.ctx.config, dataDir: `/tmp/kepu-review-export-${process.pid}-${Date.now()}` };
  callId = await createEighthBatchCall(t.ctx);
  longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(t.ctx, { role: "city" });
  inspected = (
    await reviewedApplication(t.ctx, callId, "330825", "龙游甲", [
      { by: longyou, action: "recommend", opinion: "材料齐全，同意推荐。", opinionDate: "2023-02-21" },
      {
        by: city,
        action: "inspect",
        inspectedOn: "2023-02-22",
        inspectors: "张三、李四",
        findings: "场馆开放正常。",
      },
      { by: city, action: "pass", opinion: "评审通过。", score: "92" },
    ])
  ).id;
  declined = (
    await reviewedApplication(t.ctx, callId, "330825", "龙游乙", [
      { by: longyou, action: "decline", opinion: "开放天数不足。" },
    ])
  ).id;
  waiting = (await reviewedApplication(t.ctx, callId, "330881", "江山丙")).id;
  // Some bytes for every attachment, so the batch ZIP has something to pack.
  const storage = openStorage(t.ctx.config);
  const files = await t.ctx.db.selectFrom("files").select(["storage_key", "original_name"]).execute();
  for (const f of files)
    await storage.put(f.storage_key, Readable.from([Buffer.from(`bytes of ${f.original_name}`)]));
});
afterAll(async () => t?.close());

describe("the review export", () => {
  it("has the county's and the city's opinions and the site inspection, with real dates", async () => {
    const { sheet, headers } = await openExport(await prepareApplicationsXlsx(t.ctx, actorOf(city), callId));
    expect(headers).toEqual(APPLICATIONS_EXPORT_HEADERS);
    expectFrozenFilteredHeader(sheet, headers.length, 3);
    const ids = column(sheet, headers, "系统编号");
    const cell = (id: string, header: string) => column(sheet, headers, header)[ids.indexOf(id)];
    expect(cell(inspected, "县级推荐结论")).toBe("推荐");
    expect(cell(inspected, "县级推荐意见")).toBe("材料齐全，同意推荐。");
    expect(cell(inspected, "县级意见日期")).toEqual(new Date("2023-02-21T00:00:00.000Z"));
    expect(cell(inspected, "市级评审结论")).toBe("评审通过");
    expect(cell(inspected, "市级评审意见")).toBe("评审通过。");
    expect(cell(inspected, "市级评分")).toBe(92);
    // No date written: the day it was recorded, in Beijing.
    expect(cell(inspected, "市级意见日期")).toEqual(new Date("2023-02-20T00:00:00.000Z"));
    expect(cell(inspected, "实地抽查日期")).toEqual(new Date("2023-02-22T00:00:00.000Z"));
    expect(cell(inspected, "抽查人员")).toBe("张三、李四");
    expect(cell(inspected, "抽查情况")).toBe("场馆开放正常。");
    expect(cell(inspected, "提交时间")).toEqual(beijingWall("2023-02-20T02:00:00.000Z"));
    expect(cell(declined, "县级推荐结论")).toBe("不予推荐");
    expect(cell(declined, "市级评审结论")).toBeNull();
    expect(cell(waiting, "县级推荐结论")).toBeNull();
    expect(await audited("application.export_xlsx")).toEqual([{ actor_id: city.id, target_id: callId }]);
  });

  it("holds none of another county's rows for a county's staff", async () => {
    const mine = await openExport(await prepareApplicationsXlsx(t.ctx, actorOf(longyou), callId));
    expect([...column(mine.sheet, mine.headers, "系统编号")].sort()).toEqual([inspected, declined].sort());
    expect(new Set(mine.rows.map((r) => r[2]))).toEqual(new Set(["龙游县"]));
  });
});

interface ZipEntry {
  name: string;
  /** The DOS timestamp as written: YYYY-MM-DD HH:MM:SS, no zone. */
  stamp: string;
  body: string;
}

async function readZip(buf: Buffer): Promise<ZipEntry[]> {
  const zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: true });
  const out: ZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", resolve);
    zip.on("entry", (e: yauzl.Entry) => {
      const d = e.lastModFileDate;
      const tm = e.lastModFileTime;
      const pad = (n: number) => String(n).padStart(2, "0");
      const stamp = `${(d >> 9) + 1980}-${pad((d >> 5) & 15)}-${pad(d & 31)} ${pad(tm >> 11)}:${pad((tm >> 5) & 63)}:${pad((tm & 31) * 2)}`;
      zip.openReadStream(e, (err, s) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        s.on("data", (c: Buffer) => chunks.push(c));
        s.on("end", () => {
          out.push({ name: e.fileName, stamp, body: Buffer.concat(chunks).toString() });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return out;
}

async function batchZip(user: MadeUser) {
  const { write } = await prepareBatchAttachmentsZip(t.ctx, actorOf(user), callId);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const counts = await write(out);
  return { counts, entries: await readZip(Buffer.concat(chunks)) };
}

describe("the batch attachments ZIP", () => {
  it("has a folder per application and per slot, every file's bytes and Beijing-time stamps", async () => {
    const { counts, entries } = await batchZip(city);
    const files = await t.ctx.db.selectFrom("files").select("original_name").execute();
    expect(counts).toEqual({ applications: 3, files: files.length });
    expect(entries).toHaveLength(files.length);
    const folders = new Set(entries.map((e) => e.name.split("/")[0]));
    expect(folders).toEqual(
      new Set(["龙游县-龙游甲科普教育基地", "龙游县-龙游乙科普教育基地", "江山市-江山丙科普教育基地"]),
    );
    expect(entries.every((e) => e.name.split("/").length === 3)).toBe(true);
    expect(entries.some((e) => e.name.startsWith("龙游县-龙游甲科普教育基地/基地概况照片/"))).toBe(true);
    for (const e of entries) expect(e.body).toBe(`bytes of ${e.name.split("/")[2].replace(/^\d+-/, "")}`);
    // Uploaded at 10:00 in Beijing (02:00 UTC): the archive shows 10:00 whatever the server's zone.
    expect(new Set(entries.map((e) => e.stamp))).toEqual(new Set(["2023-02-20 10:00:00"]));
    expect(await audited("application.export_batch_zip")).toEqual([{ actor_id: city.id, target_id: callId }]);
  });

  it("holds none of another county's applications for a county's staff", async () => {
    const { counts, entries } = await batchZip(jiangshan);
    expect(counts.applications).toBe(1);
    expect(new Set(entries.map((e) => e.name.split("/")[0]))).toEqual(new Set(["江山市-江山丙科普教育基地"]));
  });

  it("is refused to an organization", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    await expect(prepareBatchAttachmentsZip(t.ctx, actorOf(org), callId)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("the printable 申报表", () => {
  it("is audited on each download", async () => {
    await renderApplicationFormPdf(t.ctx, actorOf(longyou), declined);
    expect(await audited("application.export_pdf")).toEqual([{ actor_id: longyou.id, target_id: declined }]);
  });
});
