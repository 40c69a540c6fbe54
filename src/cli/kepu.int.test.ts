import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { enableTwoFactorWithSecret } from "#src/modules/accounts/two-factor.server.ts";
import { usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET } from "#src/modules/demo/seed-demo.server.ts";
import { createSession, readSession } from "#src/platform/auth/session.server.ts";
import { systemClock } from "#src/platform/clock.ts";
import { loadConfig } from "#src/platform/config.ts";
import { openConfiguredDatabase } from "#src/platform/db/open-configured.ts";
import { testEngine } from "../../tests/support/test-db.ts";
import { runCli } from "./cli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const adminUrl = process.env.KEPU_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PW = "Kepu-2026!";
/** Each test starts a few `tsx` processes; on a busy machine one can take several seconds. */
const SLOW = 120_000;
const orgBody = "91330825MA2B3C4D5";
const USCC = orgBody + usccCheckChar(orgBody);
const BAD_USCC = orgBody + (usccCheckChar(orgBody) === "0" ? "1" : "0");

/** The environment of a CLI run: the test's own, without any database or production settings. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };
  for (const k of ["DATABASE_URL", "KEPU_PRODUCTION", "KEPU_DATA_DIR"]) delete env[k];
  return env;
}

interface Target {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  drop(): Promise<void>;
}

const targets: Target[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => t.drop()));
});

/** A fresh, empty database for the engine under test: a temp data dir, or a new PostgreSQL database. */
async function freshTarget(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-cli-"));
  const env: NodeJS.ProcessEnv = { ...baseEnv(), KEPU_DATA_DIR: dataDir };
  let dropDb = async () => {};
  if (testEngine === "postgres") {
    const name = `kepu_cli_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDb = async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  const target = {
    env,
    dataDir,
    async drop() {
      await dropDb();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  targets.push(target);
  return target;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kepu` as `npm run kepu` does: a child Node process through tsx. */
function kepu(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/kepu.ts", ...args],
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `kepu` as a child process with `input` on its standard input (a piped password). */
function kepuWithInput(env: NodeJS.ProcessEnv, input: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/kepu.ts", ...args],
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

/** Runs the CLI in this process, for the cases that need no separate process. */
async function kepuInProcess(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function usersOf(target: Target) {
  const handle = openConfiguredDatabase(loadConfig(target.env), { poolSize: 1 });
  try {
    return await handle.db.selectFrom("users").selectAll().orderBy("created_at").execute();
  } finally {
    await handle.close();
  }
}

describe(`kepu CLI (${testEngine})`, () => {
  it.concurrent(
    "prints help, and rejects bad commands and arguments with exit code 2",
    async () => {
      const t = await freshTarget();
      const [help, unknown, badUscc] = await Promise.all([
        kepu(t.env, "--help"),
        kepu(t.env, "frobnicate"),
        kepu(
          t.env,
          "user:create",
          "--role",
          "org",
          "--region",
          "330825",
          "--uscc",
          BAD_USCC,
          "--password",
          PW,
        ),
      ]);
      const noUscc = await kepuInProcess(
        t.env,
        "user:create",
        "--role",
        "org",
        "--region",
        "330825",
        "--password",
        PW,
      );
      const badRole = await kepuInProcess(
        t.env,
        "user:create",
        "--role",
        "superuser",
        "--username",
        "boss",
        "--password",
        PW,
      );

      expect(help.code).toBe(0);
      for (const c of ["migrate", "user:create", "seed:demo", "help"])
        expect(help.stdout).toContain(`  ${c} `);
      for (const o of [
        "--role",
        "--region",
        "--username",
        "--uscc",
        "--password",
        "--name",
        "--must-change",
      ]) {
        expect(help.stdout).toContain(o);
      }

      expect(unknown).toMatchObject({ code: 2, stdout: "" });
      expect(unknown.stderr).toContain("未知命令“frobnicate”");
      expect(unknown.stderr).toContain(
        "migrate、user:create、user:reset-2fa、seed:demo、audit:verify、audit:export、backup、restore、help",
      );

      expect(badUscc.code).toBe(2);
      expect(badUscc.stderr).toContain("--uscc: 校验位（第18位）不正确");
      expect(badUscc.stdout).toBe("");
      expect(noUscc.code).toBe(2);
      expect(noUscc.stderr).toMatch(/--uscc: 申报单位（org）账号须用 --uscc/);
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toContain("--role: 未知角色“superuser”");
      expect(badRole.stderr).toContain("查看用法：npm run kepu -- help user:create");

      // A usage error touches no database.
      if (testEngine === "sqlite") expect(fs.readdirSync(t.dataDir)).toEqual([]);
      else expect(await usersOf(t).catch((e: Error) => e.message)).toMatch(/users/);
    },
    SLOW,
  );

  it.concurrent(
    "migrates, creates users that land in the users table, refuses demo data then",
    async () => {
      const t = await freshTarget();
      const migrated = await kepu(t.env, "migrate");
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toContain("0001-foundation");

      const admin = await kepu(
        t.env,
        ...["user:create", "--role", "admin", "--username", "Chief", "--password", PW, "--name", "王管理"],
        "--must-change",
      );
      expect(admin).toMatchObject({ code: 0, stderr: "" });
      expect(admin.stdout).toContain("首次登录须修改密码：是");

      // Without --password the password is read from standard input, and checked the same way.
      const piped = await kepuWithInput(
        t.env,
        "Lantern-River-2026\n",
        ...["user:create", "--role", "office", "--username", "piped"],
      );
      expect(piped).toMatchObject({ code: 0, stderr: "" });
      const common = await kepuWithInput(
        t.env,
        "Password123!\n",
        ...["user:create", "--role", "office", "--username", "weakling"],
      );
      expect(common.code).toBe(2);
      expect(common.stderr).toContain("过于常见");

      // The cases below need no process of their own.
      const county = await kepuInProcess(
        t.env,
        ...[
          "user:create",
          "--role",
          "county",
          "--region",
          "330825",
          "--username",
          "longyou",
          "--password",
          PW,
        ],
      );
      expect(county).toMatchObject({ code: 0, stderr: "" });
      const org = await kepuInProcess(
        t.env,
        ...[
          "user:create",
          "--role",
          "org",
          "--region",
          "330825",
          "--uscc",
          USCC.toLowerCase(),
          "--password",
          PW,
        ],
      );
      expect(org.code).toBe(0);
      const taken = await kepuInProcess(
        t.env,
        ...["user:create", "--role", "city", "--username", "CHIEF", "--password", PW],
      );
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain("--username: 该用户名已被使用");
      const wrongLevel = await kepuInProcess(
        t.env,
        ...[
          "user:create",
          "--role",
          "county",
          "--region",
          "330800",
          "--username",
          "quzhou",
          "--password",
          PW,
        ],
      );
      expect(wrongLevel.code).toBe(2);
      expect(wrongLevel.stderr).toMatch(
        /--region: 330800 不是 county 角色可用的县（市、区）代码.*330825 龙游县/,
      );
      const upToDate = await kepuInProcess(t.env, "migrate");
      expect(upToDate).toMatchObject({ code: 0 });
      expect(upToDate.stdout).toContain("数据库已是最新");

      const users = await usersOf(t);
      expect(users.map((u) => [u.role, u.username, u.uscc, u.region_code, u.must_change_password])).toEqual([
        ["admin", "chief", null, "330800", 1],
        ["office", "piped", null, "330800", 0],
        ["county", "longyou", null, "330825", 0],
        ["org", null, USCC, "330825", 0],
      ]);
      expect(users[0].display_name).toBe("王管理");
      expect(users[0].password_hash).not.toContain(PW);

      const seed = await kepuInProcess(t.env, "seed:demo");
      expect(seed.code).toBe(1);
      expect(seed.stderr).toContain("数据库中已有 4 个用户，演示数据只能写入空数据库");
    },
    SLOW,
  );

  it.concurrent(
    "user:reset-2fa removes a second factor and its recovery codes, ends the sessions, audits as cli",
    async () => {
      const t = await freshTarget();
      const made = await kepuInProcess(
        t.env,
        "user:create",
        "--role",
        "office",
        "--username",
        "lostphone",
        "--password",
        PW,
      );
      expect(made.code).toBe(0);
      const config = loadConfig(t.env);
      const handle = openConfiguredDatabase(config, { poolSize: 1 });
      try {
        const ctx = { db: handle.db, engine: handle.engine, clock: systemClock, config };
        const user = await handle.db
          .selectFrom("users")
          .select("id")
          .where("username", "=", "lostphone")
          .executeTakeFirstOrThrow();
        await enableTwoFactorWithSecret(ctx, handle.db, user.id, DEMO_TOTP_SECRET);
        await handle.db
          .insertInto("recovery_codes")
          .values({ id: "r1", user_id: user.id, code_hash: "h", used_at: null, created_at: "2026-01-01" })
          .execute();
        const token = await createSession(ctx, user.id, { ip: null, userAgent: null });
        expect(await readSession(ctx, token)).not.toBeNull();

        const reset = await kepuInProcess(t.env, "user:reset-2fa", "--username", "LostPhone");
        expect(reset).toMatchObject({ code: 0, stderr: "" });
        expect(reset.stdout).toContain("已清除 lostphone 的双因素认证和恢复码");

        const count = async (table: "user_two_factor" | "recovery_codes" | "sessions") =>
          (await handle.db.selectFrom(table).select("user_id").where("user_id", "=", user.id).execute())
            .length;
        expect([
          await count("user_two_factor"),
          await count("recovery_codes"),
          await count("sessions"),
        ]).toEqual([0, 0, 0]);
        const audit = await handle.db
          .selectFrom("audit_events")
          .selectAll()
          .where("action", "=", "user.two_factor_reset")
          .execute();
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ actor_label: "cli", actor_id: null, target_id: user.id });
        expect(JSON.parse(audit[0].detail!)).toMatchObject({ login: "lostphone", hadFactor: true });
      } finally {
        await handle.close();
      }

      const unknown = await kepuInProcess(t.env, "user:reset-2fa", "--username", "nobody");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("没有用户名为“nobody”的工作人员账号");
      const missing = await kepuInProcess(t.env, "user:reset-2fa");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("--username");
    },
    SLOW,
  );

  it.concurrent(
    "seeds the demo data once and refuses a second time",
    async () => {
      const t = await freshTarget();
      const first = await kepu(t.env, "seed:demo");
      expect(first).toMatchObject({ code: 0, stderr: "" });
      expect(first.stdout).toContain(DEMO_PASSWORD);
      for (const a of DEMO_ACCOUNTS) expect(first.stdout).toContain(a.login);

      const seeded = (await usersOf(t)).length;
      expect(seeded).toBeGreaterThan(DEMO_ACCOUNTS.length); // plus the demo applicants
      const second = await kepu(t.env, "seed:demo");
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("数据库中已有演示数据");
      expect((await usersOf(t)).length).toBe(seeded);

      const production = await kepuInProcess({ ...t.env, KEPU_PRODUCTION: "1" }, "seed:demo");
      expect(production.code).toBe(1);
      expect(production.stderr).toContain("生产环境");
    },
    SLOW,
  );
});
