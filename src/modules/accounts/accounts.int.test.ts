import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { readSession } from "#src/platform/auth/session.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  makeUscc,
  TEST_PASSWORD,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { registerOrgSchema } from "./accounts.schema.ts";
import {
  createUser,
  getUser,
  LOGIN_FAILED,
  LOGIN_LOCKED,
  listUsers,
  logIn,
  registerOrg,
  resetUserPassword,
  setUserDisabled,
} from "./accounts.server.ts";

const clock = fixedClock("2026-03-01T02:00:00Z");
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(async () => t?.close());
beforeEach(() => clock.set("2026-03-01T02:00:00Z"));

describe("registerOrg", () => {
  it("registers an org that can then log in with its USCC", async () => {
    const uscc = makeUscc();
    const input = registerOrgSchema.parse({
      uscc: uscc.toLowerCase(),
      unitName: "衢州市测试科技馆",
      regionCode: "330825",
      contactName: "张三",
      phone: "13812345678",
      password: "Kepu-2026x",
      confirmPassword: "Kepu-2026x",
    });
    const user = await registerOrg(t.ctx, actorOf(null), input);
    expect(user).toMatchObject({ role: "org", login: uscc, regionCode: "330825", mustChangePassword: false });
    const { token } = await logIn(t.ctx, actorOf(null), { kind: "org", login: uscc, password: "Kepu-2026x" });
    expect((await readSession(t.ctx, token))?.id).toBe(user.id);

    const again = await errorOf(registerOrg(t.ctx, actorOf(null), input));
    expect(again.fieldErrors?.uscc).toContain("已注册");
  });

  it("refuses a city-level region for an org", async () => {
    const input = registerOrgSchema.parse({
      uscc: makeUscc(),
      unitName: "单位",
      regionCode: "330800",
      contactName: "李四",
      phone: "13812345678",
      password: "Kepu-2026x",
      confirmPassword: "Kepu-2026x",
    });
    expect((await errorOf(registerOrg(t.ctx, actorOf(null), input))).fieldErrors?.regionCode).toBeTruthy();
  });
});

describe("logIn lockout", () => {
  it("locks after five failures for 30 minutes, and answers a missing account the same way", async () => {
    const user = await createUserRecord(t.ctx, { role: "county" });
    const missing = "no_such_user";
    for (const login of [user.login, missing]) {
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        const e = await errorOf(
          logIn(t.ctx, actorOf(null, `10.0.0.${i}`), { kind: "staff", login, password: "wrong-Pass1" }),
        );
        answers.push(`${e.status} ${e.message}`);
      }
      expect(answers.slice(0, 4)).toEqual(Array(4).fill(`401 ${LOGIN_FAILED}`));
      expect(answers.slice(4)).toEqual(Array(2).fill(`423 ${LOGIN_LOCKED}`));
    }
    // Even the right password is refused while locked.
    const locked = await errorOf(
      logIn(t.ctx, actorOf(null), { kind: "staff", login: user.login, password: TEST_PASSWORD }),
    );
    expect(locked.message).toBe(LOGIN_LOCKED);
    clock.advance(29 * 60 * 1000);
    expect(
      (
        await errorOf(
          logIn(t.ctx, actorOf(null), { kind: "staff", login: user.login, password: TEST_PASSWORD }),
        )
      ).code,
    ).toBe("LOCKED");
    clock.advance(2 * 60 * 1000);
    const ok = await logIn(t.ctx, actorOf(null), {
      kind: "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    expect(ok.user.id).toBe(user.id);

    const failures = await listAuditEvents(t.ctx, { actor: missing, action: "auth.login" });
    expect(failures).toHaveLength(6);
    expect(failures.every((f) => f.outcome === "failure")).toBe(true);
  });

  it("gives each login a new session id and enforces idle and absolute timeouts", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const a = await logIn(t.ctx, actorOf(null), {
      kind: "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    const b = await logIn(t.ctx, actorOf(null), {
      kind: "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    expect(a.token).not.toBe(b.token);
    clock.advance(29 * 60 * 1000);
    expect(await readSession(t.ctx, a.token)).not.toBeNull();
    clock.advance(31 * 60 * 1000);
    expect(await readSession(t.ctx, b.token)).toBeNull();

    // Absolute limit: active every 20 minutes, still ends after 12 hours.
    clock.set("2026-03-01T02:00:00Z");
    const c = await logIn(t.ctx, actorOf(null), {
      kind: "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    for (let i = 0; i < 35; i++) {
      clock.advance(20 * 60 * 1000);
      expect(await readSession(t.ctx, c.token)).not.toBeNull();
    }
    // 11 h 40 min so far; one more visit at 12 h 01 min is past the absolute limit.
    clock.advance(21 * 60 * 1000);
    expect(await readSession(t.ctx, c.token)).toBeNull();
  });

  it("refuses a disabled account", async () => {
    const user = await createUserRecord(t.ctx, { role: "city", disabled: true });
    const e = await errorOf(
      logIn(t.ctx, actorOf(null), { kind: "staff", login: user.login, password: TEST_PASSWORD }),
    );
    expect(e.message).toContain("停用");
  });
});

describe("user administration scoping", () => {
  it("hides another county's users: 404 on the record, absent from lists", async () => {
    const longyou = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const jiangshanOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330881" });
    const longyouOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });

    const e = await errorOf(getUser(t.ctx, actorOf(longyou), jiangshanOrg.id));
    expect(e.status).toBe(404);
    expect((await getUser(t.ctx, actorOf(longyou), longyouOrg.id)).id).toBe(longyouOrg.id);

    const { rows, total } = await listUsers(t.ctx, actorOf(longyou), { limit: 100 });
    expect(rows.length).toBe(total);
    expect(rows.some((r) => r.id === longyouOrg.id)).toBe(true);
    expect(rows.every((r) => r.region_code === "330825")).toBe(true);
    expect((await listUsers(t.ctx, actorOf(longyou), { regionCode: "330881" })).total).toBe(0);

    const denials = await listAuditEvents(t.ctx, { actor: longyou.login, action: "access.denied" });
    expect(denials[0]).toMatchObject({ target_id: jiangshanOrg.id, outcome: "denied" });
  });

  it("lets only admins create users, forcing a password change", async () => {
    const admin = await createUserRecord(t.ctx, { role: "admin" });
    const office = await createUserRecord(t.ctx, { role: "office" });
    const input = {
      role: "county" as const,
      username: `ky_${Date.now()}`,
      displayName: "柯城区科协",
      regionCode: "330802",
      password: "Temp-pass-2026",
    };
    expect((await errorOf(createUser(t.ctx, actorOf(office), input))).status).toBe(403);
    const created = await createUser(t.ctx, actorOf(admin), input);
    expect(created.must_change_password).toBe(1);
    const login = await logIn(t.ctx, actorOf(null), {
      kind: "staff",
      login: input.username,
      password: input.password,
    });
    expect(login.user.mustChangePassword).toBe(true);

    const dup = await errorOf(createUser(t.ctx, actorOf(admin), input));
    expect(dup.fieldErrors?.username).toBe("该用户名已被使用");
  });

  it("disables, re-enables and resets with optimistic versions", async () => {
    const admin = await createUserRecord(t.ctx, { role: "admin" });
    const target = await createUserRecord(t.ctx, { role: "city" });
    const session = await logIn(t.ctx, actorOf(null), {
      kind: "staff",
      login: target.login,
      password: TEST_PASSWORD,
    });

    const v1 = await getUser(t.ctx, actorOf(admin), target.id);
    const disabled = await setUserDisabled(t.ctx, actorOf(admin), target.id, true, v1.version);
    expect(disabled.disabled_at).not.toBeNull();
    expect(await readSession(t.ctx, session.token)).toBeNull();

    const stale = await errorOf(setUserDisabled(t.ctx, actorOf(admin), target.id, false, v1.version));
    expect(stale.code).toBe("CONFLICT");

    const enabled = await setUserDisabled(t.ctx, actorOf(admin), target.id, false, disabled.version);
    expect(enabled.disabled_at).toBeNull();
    const reset = await resetUserPassword(t.ctx, actorOf(admin), target.id, "Fresh-pass-99", enabled.version);
    expect(reset.must_change_password).toBe(1);
    await logIn(t.ctx, actorOf(null), { kind: "staff", login: target.login, password: "Fresh-pass-99" });

    const trail = await listAuditEvents(t.ctx, { actor: admin.login });
    expect(trail.map((e) => e.action)).toEqual(["user.reset_password", "user.enable", "user.disable"]);
  });
});

describe("parallel bursts", () => {
  const reasonsOf = async (actor: string) =>
    (await listAuditEvents(t.ctx, { actor, action: "auth.login", limit: 500 })).map(
      (e) => (JSON.parse(e.detail ?? "{}") as { reason?: string }).reason,
    );

  it("verifies at most five of 40 parallel wrong passwords, then refuses the right one", async () => {
    const user = await createUserRecord(t.ctx, { role: "office" });
    const burst = Array.from({ length: 40 }, (_, i) =>
      errorOf(
        logIn(t.ctx, actorOf(null, `198.51.100.${i}`), {
          kind: "staff",
          login: user.login,
          password: `Wrong-pass${i}`,
        }),
      ),
    );
    const answers = await Promise.all(burst);
    expect(answers.filter((e) => e.code === "LOCKED").length).toBeGreaterThanOrEqual(35);
    const right = await errorOf(
      logIn(t.ctx, actorOf(null, "198.51.100.200"), {
        kind: "staff",
        login: user.login,
        password: TEST_PASSWORD,
      }),
    );
    expect(right.code).toBe("LOCKED");
    // Every failure that reached the password hash is audited as bad_password(_locked).
    const verified = (await reasonsOf(user.login)).filter((r) => r?.startsWith("bad_password"));
    expect(verified).toHaveLength(5);
  });

  it("holds the per-IP limit when 120 attempts from one address arrive at once", async () => {
    const ip = "203.0.113.9";
    const logins = Array.from({ length: 120 }, (_, i) => `burst_${i}`);
    await Promise.all(
      logins.map((login) =>
        errorOf(logIn(t.ctx, actorOf(null, ip), { kind: "staff", login, password: "Wrong-pass1" })),
      ),
    );
    let verified = 0;
    let limited = 0;
    for (const login of logins) {
      const [reason] = await reasonsOf(login);
      if (reason === "unknown_account") verified++;
      if (reason === "ip_rate_limited") limited++;
    }
    expect(verified).toBe(50);
    expect(limited).toBe(70);
  });
});

describe("audit log", () => {
  it("refuses updates and deletes at the database", async () => {
    await expect(t.ctx.db.updateTable("audit_events").set({ action: "x" }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.ctx.db.deleteFrom("audit_events").execute()).rejects.toThrow(/append-only/);
  });
});

describe("per-IP limit", () => {
  it("counts failures only, then refuses every login from that address for the window", async () => {
    const user = await createUserRecord(t.ctx, { role: "office" });
    const ip = "192.0.2.77";
    for (let i = 0; i < 60; i++) {
      await logIn(t.ctx, actorOf(null, ip), { kind: "staff", login: user.login, password: TEST_PASSWORD });
    }
    for (let i = 0; i < 50; i++) {
      await errorOf(
        logIn(t.ctx, actorOf(null, ip), { kind: "staff", login: `nobody${i}`, password: "Wrong-pass1" }),
      );
    }
    const blocked = await errorOf(
      logIn(t.ctx, actorOf(null, ip), { kind: "staff", login: user.login, password: TEST_PASSWORD }),
    );
    expect(blocked.code).toBe("RATE_LIMITED");
    const elsewhere = await logIn(t.ctx, actorOf(null, "192.0.2.78"), {
      kind: "staff",
      login: user.login,
      password: TEST_PASSWORD,
    });
    expect(elsewhere.user.id).toBe(user.id);
  });
});
