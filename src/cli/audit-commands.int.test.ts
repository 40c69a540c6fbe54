import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { fixedClock, formatShanghai } from "#src/platform/clock.ts";
import { loadConfig } from "#src/platform/config.ts";
import type { AppContext } from "#src/platform/context.ts";
import { migrateToLatest } from "#src/platform/db/database.ts";
import { openConfiguredDatabase } from "#src/platform/db/open-configured.ts";
import { testEngine } from "../../tests/support/test-db.ts";
import { runCli } from "./cli.ts";

const adminUrl = process.env.KEPU_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-auditcli-"));
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", KEPU_DATA_DIR: dataDir };
delete env.DATABASE_URL;
delete env.KEPU_SECRET_KEY;
const dbName = `kepu_auditcli_${process.pid}_${randomBytes(4).toString("hex")}`;

async function admin(query: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(query).finally(() => c.end());
}

afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (testEngine === "postgres") await admin(`drop database if exists ${dbName} with (force)`);
});

async function cli(e: NodeJS.ProcessEnv, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env: e, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe(`audit commands (${testEngine})`, () => {
  it("verify passes on an intact chain and names the row edited by hand; export writes a signed archive", async () => {
    if (testEngine === "postgres") {
      await admin(`create database ${dbName}`);
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      env.DATABASE_URL = url.toString();
    }
    const config = loadConfig(env);
    const handle = openConfiguredDatabase(config, { poolSize: 2 });
    const clock = fixedClock("2025-12-30T08:00:00+08:00");
    const ctx: AppContext = { db: handle.db, engine: handle.engine, clock, config };
    try {
      await migrateToLatest(handle);
      for (let i = 0; i < 6; i++) {
        await recordAudit(
          ctx,
          ctx.db,
          { user: null, ip: "10.0.0.1" },
          { action: "auth.login", detail: { i } },
        );
        clock.advance(86400_000);
      }
      const ok = await cli(env, "audit:verify");
      expect(ok).toMatchObject({ code: 0, stderr: "" });
      expect(ok.stdout).toContain("审计日志哈希链完整：共 6 条记录");

      // Archive the rows before 2026-01-01 (Beijing): the first three days.
      const out = path.join(dataDir, "audit-2025.jsonl.gz");
      expect((await cli(env, "audit:export", "--before", "2026-01-01", "--out", out)).stderr).toContain(
        "KEPU_SECRET_KEY",
      );
      const key = "s".repeat(40);
      const exported = await cli(
        { ...env, KEPU_SECRET_KEY: key },
        "audit:export",
        "--before",
        "2026-01-01",
        "--out",
        out,
      );
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain("已导出 2 条审计记录");
      const lines = zlib
        .gunzipSync(fs.readFileSync(out))
        .toString("utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => l.seq)).toEqual([1, 2]);
      expect(lines[1].prev_hash).toBe(lines[0].hash);
      const sig = JSON.parse(fs.readFileSync(`${out}.sig`, "utf8"));
      // The same HMAC openssl computes: openssl dgst -sha256 -hmac "$KEPU_SECRET_KEY" file
      expect(sig).toMatchObject({ algorithm: "HMAC-SHA256", rows: 2 });
      expect(sig.hmac).toBe(
        createHmac("sha256", Buffer.from(key, "utf8")).update(fs.readFileSync(out)).digest("hex"),
      );
      expect((await cli(env, "audit:export", "--before", "2026-13-01", "--out", out)).code).toBe(2);

      const target = await ctx.db
        .selectFrom("audit_events")
        .selectAll()
        .where("seq", "=", 4)
        .executeTakeFirstOrThrow();
      if (testEngine === "postgres") {
        await sql`alter table audit_events disable trigger audit_events_no_update`.execute(ctx.db);
        await ctx.db.updateTable("audit_events").set({ ip: "10.9.9.9" }).where("seq", "=", 4).execute();
        await sql`alter table audit_events enable trigger audit_events_no_update`.execute(ctx.db);
      } else {
        await sql`drop trigger audit_events_no_update`.execute(ctx.db);
        await ctx.db.updateTable("audit_events").set({ ip: "10.9.9.9" }).where("seq", "=", 4).execute();
      }
      const broken = await cli(env, "audit:verify");
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`第 4 条记录（id ${target.id}，时间 ${formatShanghai(target.at)}）`);
      expect(broken.stderr).toContain("此前 3 条记录完好");
    } finally {
      await handle.close();
    }
  });
});
