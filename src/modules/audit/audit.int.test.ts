import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { GENESIS_HASH } from "#src/platform/db/audit-chain.rules.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext, testEngine } from "../../../tests/support/test-db.ts";
import {
  AUDIT_JOB_HANDLERS,
  DENIAL_SUMMARY_ACTION,
  DENIAL_WINDOW_MS,
  recordAudit,
  recordDenial,
} from "./audit.server.ts";
import { exportAuditArchive, verifyAuditArchive, verifyAuditChain } from "./audit-chain.server.ts";
import { AUDIT_EXPORT_HEADERS, prepareAuditXlsx } from "./audit-export.server.ts";

const clock = fixedClock("2026-03-10T10:00:00+08:00");
let t: TestContext;
let admin: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  admin = await createUserRecord(t.ctx, { role: "admin" });
});
afterAll(async () => t?.close());

const rowsOf = (action: string) =>
  t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute();

describe("the hash chain", () => {
  it("chains each append to the one before, from the genesis hash", async () => {
    await recordAudit(t.ctx, t.ctx.db, actorOf(admin), { action: "chain.test", detail: { n: 1 } });
    await recordAudit(t.ctx, t.ctx.db, actorOf(admin), { action: "chain.test", detail: { n: 2 } });
    const all = await t.ctx.db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
    expect(all[0]).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH });
    for (let i = 1; i < all.length; i++) {
      expect(Number(all[i].seq)).toBe(i + 1);
      expect(all[i].prev_hash).toBe(all[i - 1].hash);
    }
    const head = await t.ctx.db.selectFrom("audit_head").selectAll().executeTakeFirstOrThrow();
    expect(head).toMatchObject({ seq: all.length, hash: all[all.length - 1].hash });
    expect(await verifyAuditChain(t.ctx)).toEqual({ checked: all.length, headSeq: all.length });
  });

  it("keeps one chain when many transactions append at once", async () => {
    const before = (await verifyAuditChain(t.ctx)).checked;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.ctx.db.transaction().execute(async (trx) => {
          // Some work in the transaction first, so appends overlap on PostgreSQL's pool.
          await trx.selectFrom("users").select("id").execute();
          await recordAudit(t.ctx, trx, actorOf(admin), { action: "chain.parallel", detail: { i } });
        }),
      ),
    );
    const report = await verifyAuditChain(t.ctx);
    expect(report.broken).toBeUndefined();
    expect(report.checked).toBe(before + 40);
    const prevs = await t.ctx.db.selectFrom("audit_events").select("prev_hash").execute();
    expect(new Set(prevs.map((p) => p.prev_hash)).size).toBe(prevs.length);
  });

  it("refuses UPDATE and DELETE on both engines, and TRUNCATE on PostgreSQL", async () => {
    await expect(t.ctx.db.updateTable("audit_events").set({ action: "x" }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.ctx.db.deleteFrom("audit_events").execute()).rejects.toThrow(/append-only/);
    if (testEngine === "postgres")
      await expect(sql`truncate audit_events`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(t.ctx)).broken).toBeUndefined();
  });
});

describe("denials", () => {
  const ip = "203.0.113.9";
  const deny = (path: string) =>
    recordDenial(
      t.ctx,
      { user: null, ip },
      {
        action: "access.denied",
        outcome: "denied",
        detail: { reason: "csrf_origin", path },
      },
    );

  it("500 denials from one IP in a window write one row; the next window's first writes the count", async () => {
    const denied = () =>
      t.ctx.db
        .selectFrom("audit_events")
        .selectAll()
        .where("ip", "=", ip)
        .where("action", "in", ["access.denied", DENIAL_SUMMARY_ACTION])
        .orderBy("seq")
        .execute();
    for (let i = 0; i < 500; i++) {
      await deny(`/x/${i}`);
      clock.advance(1000); // 500 s: all within one 10-minute window
    }
    expect(await denied()).toHaveLength(1);
    // Another source is not held back by this one.
    await recordDenial(
      t.ctx,
      { user: null, ip: "198.51.100.1" },
      { action: "access.denied", outcome: "denied" },
    );
    expect(
      await t.ctx.db.selectFrom("audit_events").where("ip", "=", "198.51.100.1").select("id").execute(),
    ).toHaveLength(1);

    clock.advance(DENIAL_WINDOW_MS);
    await deny("/next");
    const rows = await denied();
    expect(rows.length).toBeLessThan(5);
    expect(rows.map((r) => r.action)).toEqual(["access.denied", DENIAL_SUMMARY_ACTION, "access.denied"]);
    expect(JSON.parse(rows[1].detail!)).toMatchObject({ deniedAction: "access.denied", count: 500 });
    expect(JSON.parse(rows[2].detail!).path).toBe("/next");
    expect((await verifyAuditChain(t.ctx)).broken).toBeUndefined();
  });

  it("a source that went quiet gets its summary from the sweep job", async () => {
    const quiet = "192.0.2.77";
    for (let i = 0; i < 7; i++)
      await recordDenial(t.ctx, { user: null, ip: quiet }, { action: "access.denied", outcome: "denied" });
    clock.advance(2 * DENIAL_WINDOW_MS + 1000);
    await runDueJobs(t.ctx, AUDIT_JOB_HANDLERS);
    const rows = await t.ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("ip", "=", quiet)
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => r.action)).toEqual(["access.denied", DENIAL_SUMMARY_ACTION]);
    expect(JSON.parse(rows[1].detail!)).toMatchObject({ count: 7 });
    expect(await t.ctx.db.selectFrom("audit_denials").selectAll().execute()).toEqual([]);
  });

  it("caps a stored detail at 2 KB and a label at 200 characters", async () => {
    await recordAudit(t.ctx, t.ctx.db, actorOf(null), {
      action: "auth.login",
      outcome: "failure",
      actorLabel: "u".repeat(5000),
      detail: { path: "/p".repeat(5000) },
    });
    const [row] = (await rowsOf("auth.login")).slice(-1);
    expect(row.actor_label!.length).toBe(200);
    expect(row.detail!.length).toBeLessThanOrEqual(2048);
    expect(JSON.parse(row.detail!).truncated).toBe(true);
  });
});

describe("the XLSX download", () => {
  it("has the page's filters, real dates in Beijing time, a frozen filtered header, and is audited", async () => {
    const at = new Date("2026-03-20T02:03:04.000Z");
    clock.set(at);
    for (let i = 0; i < 3; i++)
      await recordAudit(t.ctx, t.ctx.db, actorOf(admin), { action: "xlsx.test", detail: { i } });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c) => chunks.push(c));
    const done = new Promise((r) => out.on("end", r));
    const write = await prepareAuditXlsx(t.ctx, actorOf(admin), {
      action: "xlsx.test",
      from: at.toISOString(),
    });
    expect(await write(out)).toBe(3);
    await done;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    const sheet = wb.getWorksheet("审计日志")!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(AUDIT_EXPORT_HEADERS);
    expect(sheet.rowCount).toBe(4);
    const when = sheet.getRow(2).getCell(1);
    expect(when.type).toBe(ExcelJS.ValueType.Date);
    // Excel dates have no zone: the cell holds the Beijing wall-clock time, 10:03:04.
    expect((when.value as Date).toISOString()).toBe("2026-03-20T10:03:04.000Z");
    expect(sheet.getRow(2).getCell(6).value).toBe("xlsx.test");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe("A1:K4");
    const [audited] = await rowsOf("audit.export");
    expect(JSON.parse(audited.detail!)).toMatchObject({ filter: { action: "xlsx.test" } });
  });

  it("is only for those who may read the audit log", async () => {
    const office = await createUserRecord(t.ctx, { role: "office" });
    const err = await prepareAuditXlsx(t.ctx, actorOf(office), {}).catch((e) => e);
    expect(err.code).toBe("FORBIDDEN");
  });
});

describe("tampering", () => {
  it("an archive of the rows before a date carries the chain and a signature that detects changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-audit-"));
    try {
      const file = path.join(dir, "audit.jsonl.gz");
      const all = await t.ctx.db.selectFrom("audit_events").select(["seq", "at"]).orderBy("seq").execute();
      const cut = all.find((r) => r.at > all[0].at)!.at;
      const a = await exportAuditArchive(t.ctx, {
        before: new Date(cut),
        outFile: file,
        key: "k".repeat(32),
      });
      expect(a.rows).toBe(all.filter((r) => r.at < cut).length);
      expect(a.firstSeq).toBe(1);
      expect(a.rows).toBeGreaterThan(1);
      expect(await verifyAuditArchive(file, "k".repeat(32))).toMatchObject({ ok: true, rows: a.rows });
      expect((await verifyAuditArchive(file, "wrong-key")).ok).toBe(false);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 10] ^= 1;
      fs.writeFileSync(file, bytes);
      expect((await verifyAuditArchive(file, "k".repeat(32))).ok).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("verify names the first row edited by hand", async () => {
    const target = (await t.ctx.db.selectFrom("audit_events").selectAll().orderBy("seq").execute())[3];
    // Only possible with the trigger out of the way, as someone with direct database access would.
    if (testEngine === "postgres") {
      await t.ctx.db.transaction().execute(async (trx) => {
        await sql`alter table audit_events disable trigger audit_events_no_update`.execute(trx);
        await trx
          .updateTable("audit_events")
          .set({ detail: '{"edited":true}' })
          .where("id", "=", target.id)
          .execute();
        await sql`alter table audit_events enable trigger audit_events_no_update`.execute(trx);
      });
    } else {
      await sql`drop trigger audit_events_no_update`.execute(t.ctx.db);
      await t.ctx.db
        .updateTable("audit_events")
        .set({ detail: '{"edited":true}' })
        .where("id", "=", target.id)
        .execute();
    }
    const report = await verifyAuditChain(t.ctx);
    expect(report.broken).toEqual({ kind: "content", id: target.id, at: target.at, seq: 4 });
    expect(report.checked).toBe(3);
  });
});
