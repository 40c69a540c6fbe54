import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { readSession } from "#src/platform/auth/session.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppContext } from "#src/platform/context.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  type MadeUser,
  TEST_PASSWORD,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import {
  changePassword,
  endMySession,
  endUserSessions,
  listMySessions,
  logIn,
  logOut,
  resetUserPassword,
  setUserDisabled,
} from "./accounts.server.ts";
import { COMMON_PASSWORD_MESSAGE } from "./common-passwords.server.ts";

const clock = fixedClock("2026-05-01T02:00:00Z");
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(async () => t?.close());
beforeEach(() => clock.set("2026-05-01T02:00:00Z"));

const signIn = (ctx: AppContext, u: MadeUser, userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0") =>
  logIn(ctx, actorOf(null, "192.0.2.10"), {
    kind: "staff",
    login: u.login,
    password: TEST_PASSWORD,
    userAgent,
  });

describe("sessions", () => {
  it("ends every other session of the account when its password changes", async () => {
    const u = await createUserRecord(t.ctx, { role: "city" });
    const here = await signIn(t.ctx, u);
    const there = await signIn(t.ctx, u);
    await changePassword(
      t.ctx,
      actorOf(here.user),
      { currentPassword: TEST_PASSWORD, newPassword: "Lantern-river-27" },
      { currentToken: here.token },
    );
    expect(await readSession(t.ctx, here.token)).not.toBeNull();
    expect(await readSession(t.ctx, there.token)).toBeNull();
    const [event] = await listAuditEvents(t.ctx, { actor: u.id, action: "account.password_change" });
    expect(JSON.parse(event.detail ?? "{}")).toEqual({ otherSessionsEnded: 1 });
  });

  it("refuses a common password and the current one as the new password", async () => {
    const u = await createUserRecord(t.ctx, { role: "city" });
    const common = await errorOf(
      changePassword(t.ctx, actorOf(u), { currentPassword: TEST_PASSWORD, newPassword: "Password123!" }),
    );
    expect(common.fieldErrors?.newPassword).toBe(COMMON_PASSWORD_MESSAGE);
    const same = await errorOf(
      changePassword(t.ctx, actorOf(u), { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }),
    );
    expect(same.fieldErrors?.newPassword).toContain("不能与当前密码相同");
  });

  it("keeps at most the configured number of sessions, ending the oldest first", async () => {
    const u = await createUserRecord(t.ctx, { role: "county" });
    const tokens: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      tokens.push((await signIn(t.ctx, u)).token);
    }
    const alive = [];
    for (const token of tokens) alive.push(!!(await readSession(t.ctx, token)));
    expect(t.ctx.config.maxSessionsPerUser).toBe(5);
    expect(alive).toEqual([false, false, true, true, true, true, true]);
  });

  it("counts only signed-in sessions: password-only steps of a second factor neither evict nor show", async () => {
    const u = await createUserRecord(t.ctx, { role: "office" });
    const pending: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      const r = await signIn(t.ctx, u);
      expect(r.pending).toBe("enrol");
      pending.push(r.token);
    }
    for (const token of pending) expect(await readSession(t.ctx, token)).toBeNull();
    expect(await listMySessions(t.ctx, actorOf(u), undefined)).toEqual([]);
    const stored = await t.ctx.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", u.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(7);
  });

  it("lists the user's devices and ends one, or all the others", async () => {
    const u = await createUserRecord(t.ctx, { role: "county" });
    const phone = await signIn(
      t.ctx,
      u,
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) MicroMessenger/8.0",
    );
    const laptop = await signIn(t.ctx, u);
    const tablet = await signIn(t.ctx, u);
    const list = await listMySessions(t.ctx, actorOf(laptop.user), laptop.token);
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.some((s) => s.userAgent?.includes("iPhone"))).toBe(true);
    // The page's handle is neither the token nor its stored hash.
    for (const s of list) expect(s.ref).toMatch(/^[0-9a-f]{24}$/);

    const phoneRef = list.find((s) => s.userAgent?.includes("iPhone"))!.ref;
    await endMySession(t.ctx, actorOf(laptop.user), phoneRef, laptop.token);
    expect(await readSession(t.ctx, phone.token)).toBeNull();
    expect(await readSession(t.ctx, laptop.token)).not.toBeNull();
    expect((await errorOf(endMySession(t.ctx, actorOf(laptop.user), phoneRef))).code).toBe("NOT_FOUND");

    await endMySession(t.ctx, actorOf(laptop.user), "others", laptop.token);
    expect(await readSession(t.ctx, tablet.token)).toBeNull();
    expect(await readSession(t.ctx, laptop.token)).not.toBeNull();
  });

  it("logs out this browser only, audited; signed out, it changes nothing", async () => {
    const u = await createUserRecord(t.ctx, { role: "county" });
    const here = await signIn(t.ctx, u);
    const there = await signIn(t.ctx, u);
    await logOut(t.ctx, actorOf(here.user), here.token);
    expect(await readSession(t.ctx, here.token)).toBeNull();
    expect(await readSession(t.ctx, there.token)).not.toBeNull();
    const logouts = () =>
      t.ctx.db
        .selectFrom("audit_events")
        .select(["actor_id", "outcome"])
        .where("action", "=", "auth.logout")
        .execute();
    expect(await logouts()).toEqual([{ actor_id: u.id, outcome: "success" }]);
    await logOut(t.ctx, actorOf(null), undefined);
    expect(await logouts()).toHaveLength(1);
    expect(await readSession(t.ctx, there.token)).not.toBeNull();
  });

  it("does not let one user end another user's session by its handle", async () => {
    const a = await createUserRecord(t.ctx, { role: "county" });
    const b = await createUserRecord(t.ctx, { role: "county" });
    const bs = await signIn(t.ctx, b);
    const [bRef] = await listMySessions(t.ctx, actorOf(bs.user), bs.token);
    expect((await errorOf(endMySession(t.ctx, actorOf(a), bRef.ref))).code).toBe("NOT_FOUND");
    expect(await readSession(t.ctx, bs.token)).not.toBeNull();
  });

  it("lets an admin sign a user out everywhere; a disable or a reset does so too", async () => {
    const admin = await createUserRecord(t.ctx, { role: "admin" });
    const county = await createUserRecord(t.ctx, { role: "county" });
    const u = await createUserRecord(t.ctx, { role: "county" });
    const s1 = await signIn(t.ctx, u);
    const s2 = await signIn(t.ctx, u);
    expect((await errorOf(endUserSessions(t.ctx, actorOf(county), u.id))).code).toBe("FORBIDDEN");
    expect(await endUserSessions(t.ctx, actorOf(admin), u.id)).toBe(2);
    expect(await readSession(t.ctx, s1.token)).toBeNull();
    expect(await readSession(t.ctx, s2.token)).toBeNull();
    const [event] = await listAuditEvents(t.ctx, { actor: admin.id, action: "user.sessions_end" });
    expect(event.target_id).toBe(u.id);

    const s3 = await signIn(t.ctx, u);
    await setUserDisabled(t.ctx, actorOf(admin), u.id, true, 1);
    expect(await readSession(t.ctx, s3.token)).toBeNull();
    await setUserDisabled(t.ctx, actorOf(admin), u.id, false, 2);
    const s4 = await signIn(t.ctx, u);
    await resetUserPassword(t.ctx, actorOf(admin), u.id, "Temp-lantern-2026", 3);
    expect(await readSession(t.ctx, s4.token)).toBeNull();
  });
});

describe("county password reset", () => {
  it("lets county staff reset the password of an org of their county only, audited", async () => {
    const county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const city = await createUserRecord(t.ctx, { role: "city" });
    const org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
    const otherOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330802" });
    const colleague = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const session = await logIn(t.ctx, actorOf(null), {
      kind: "org",
      login: org.login,
      password: TEST_PASSWORD,
    });

    const row = await resetUserPassword(t.ctx, actorOf(county), org.id, "Temp-lantern-2026", 1);
    expect(row.must_change_password).toBe(1);
    expect(await readSession(t.ctx, session.token)).toBeNull();
    const [event] = await listAuditEvents(t.ctx, { actor: county.id, action: "user.reset_password" });
    expect(event.target_id).toBe(org.id);

    expect(
      (await errorOf(resetUserPassword(t.ctx, actorOf(county), otherOrg.id, "Temp-lantern-2026", 1))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await errorOf(resetUserPassword(t.ctx, actorOf(county), colleague.id, "Temp-lantern-2026", 1))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await errorOf(resetUserPassword(t.ctx, actorOf(city), org.id, "Temp-lantern-2026", 2))).code,
    ).toBe("FORBIDDEN");
  });
});

describe("password age", () => {
  it("is off by default, and when set forces a change once the password is older", async () => {
    const u = await createUserRecord(t.ctx, { role: "county" });
    const officer = await createUserRecord(t.ctx, { role: "office" });
    clock.advance(400 * 24 * 60 * 60 * 1000);
    expect((await signIn(t.ctx, u)).user.mustChangePassword).toBe(false);

    const strict = { ...t.ctx, config: { ...t.ctx.config, passwordMaxAgeDays: 90 } };
    const fresh = await createUserRecord(t.ctx, { role: "county" });
    clock.advance(89 * 24 * 60 * 60 * 1000);
    expect((await signIn(strict, fresh)).user.mustChangePassword).toBe(false);
    const old = await signIn(strict, u);
    expect(old.user.mustChangePassword).toBe(true);
    expect((await readSession(t.ctx, old.token))?.mustChangePassword).toBe(true);
    // A role that signs in with a second factor is marked before the code is asked.
    const pending = await signIn(strict, officer);
    expect(pending.pending).toBe("enrol");
    const row = await t.ctx.db
      .selectFrom("users")
      .select("must_change_password")
      .where("id", "=", officer.id)
      .executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(1);
  });
});
