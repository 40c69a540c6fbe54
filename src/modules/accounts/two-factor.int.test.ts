import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { readSession } from "#src/platform/auth/session.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { LOGIN_LOCKED, logIn } from "./accounts.server.ts";
import { currentTotp } from "./two-factor.rules.ts";
import {
  CODE_REPLAYED,
  CODE_WRONG,
  completeSecondFactor,
  disableTwoFactor,
  enableTwoFactor,
  enrolmentFor,
  enrolmentForActor,
  PENDING_EXPIRED,
  pendingSignIn,
  regenerateRecoveryCodes,
  requiredRoles,
  setRequiredRoles,
  twoFactorStatus,
} from "./two-factor.server.ts";

// Sessions and locks follow the injectable clock; TOTP codes follow the wall clock, as phones do.
const clock = fixedClock("2026-03-01T02:00:00Z");
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(async () => t?.close());
beforeEach(() => clock.set("2026-03-01T02:00:00Z"));

const STEP = 30_000;
/** The code of the step `k` steps from now: 0 now, 1 the next (still inside the ±1 window). */
const code = (secret: string, k = 0) => currentTotp(secret, Date.now() + k * STEP);
/** Six digits that are not a valid code anywhere in the window. */
function wrongCode(secret: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((k) => code(secret, k)));
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, "0");
    if (!valid.has(c)) return c;
  }
}

const signIn = (user: MadeUser) =>
  logIn(t.ctx, actorOf(null), { kind: "staff", login: user.login, password: user.password });
const second = (token: string, c: string) =>
  completeSecondFactor(t.ctx, "127.0.0.1", { token, code: c, userAgent: "vitest" });

/** A staff user who has set up a second factor on the account page; returns the secret and recovery codes. */
async function enrolled(role: "county" | "city" = "county") {
  const user = await createUserRecord(t.ctx, { role });
  const secret = (await enrolmentForActor(t.ctx, actorOf(user))).secret.replace(/\s/g, "");
  const recovery = await enableTwoFactor(t.ctx, actorOf(user), code(secret));
  return { user, secret, recovery };
}

describe("enrolment on the account page", () => {
  it("shows a secret, switches on only with a right code, and returns ten recovery codes", async () => {
    const user = await createUserRecord(t.ctx, { role: "city" });
    const first = await enrolmentForActor(t.ctx, actorOf(user));
    expect(first.uri).toContain("otpauth://totp/");
    expect(first.uri).toContain(encodeURIComponent(user.login));
    expect(first.qrSvg).toContain("<svg");
    // A reload shows the secret the user may already have scanned.
    expect((await enrolmentForActor(t.ctx, actorOf(user))).secret).toBe(first.secret);
    const secret = first.secret.replace(/\s/g, "");

    const bad = await errorOf(enableTwoFactor(t.ctx, actorOf(user), wrongCode(secret)));
    expect(bad.fieldErrors?.code).toBe(CODE_WRONG);
    expect((await twoFactorStatus(t.ctx, actorOf(user))).enabled).toBe(false);

    const codes = await enableTwoFactor(t.ctx, actorOf(user), code(secret));
    expect(codes).toHaveLength(10);
    expect(await twoFactorStatus(t.ctx, actorOf(user))).toEqual({
      enabled: true,
      required: false,
      recoveryCodesLeft: 10,
    });
    const trail = await listAuditEvents(t.ctx, { actor: user.login, action: "account.two_factor_enable" });
    expect(trail.map((e) => e.outcome)).toEqual(["success", "failure"]);
  });

  it("stores neither the secret nor the recovery codes in plain text", async () => {
    const { user, secret, recovery } = await enrolled();
    const row = await t.ctx.db
      .selectFrom("user_two_factor")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(secret);
    expect(row.secret_enc).not.toContain(Buffer.from(secret).toString("base64"));
    expect(row.secret_enc).toMatch(/^v1:/);
    const stored = await t.ctx.db
      .selectFrom("recovery_codes")
      .select("code_hash")
      .where("user_id", "=", user.id)
      .execute();
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const c of recovery) {
      expect(dump).not.toContain(c);
      expect(dump).not.toContain(c.replace("-", ""));
    }
  });

  it("regenerates recovery codes with a current code, voiding the old ones", async () => {
    const { user, secret, recovery } = await enrolled();
    const fresh = await regenerateRecoveryCodes(t.ctx, actorOf(user), code(secret, 1));
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recovery.includes(c))).toBe(false);
    const { token } = await signIn(user);
    expect((await errorOf(second(token, recovery[0]))).fieldErrors?.code).toBe(CODE_WRONG);
    expect((await second(token, fresh[0])).user.id).toBe(user.id);
  });

  it("turns off only with a right code, and never for a role that requires it", async () => {
    const { user, secret } = await enrolled();
    expect((await errorOf(disableTwoFactor(t.ctx, actorOf(user), wrongCode(secret)))).code).toBe(
      "VALIDATION",
    );
    await disableTwoFactor(t.ctx, actorOf(user), code(secret, 1));
    expect((await twoFactorStatus(t.ctx, actorOf(user))).enabled).toBe(false);
    expect((await signIn(user)).pending).toBeUndefined();

    const office = await createUserRecord(t.ctx, { role: "office" });
    const refused = await errorOf(disableTwoFactor(t.ctx, actorOf(office), "123456"));
    expect(refused.message).toBe("您的角色必须使用双因素认证，不能关闭");
  });
});

describe("sign-in with a second factor", () => {
  it("gives a pending session only; a right code replaces it with a full session under a new token", async () => {
    const { user, secret } = await enrolled();
    const pending = await signIn(user);
    expect(pending.pending).toBe("verify");
    expect(await readSession(t.ctx, pending.token)).toBeNull();
    expect((await pendingSignIn(t.ctx, pending.token))?.user.id).toBe(user.id);

    const done = await second(pending.token, code(secret, 1));
    expect(done.token).not.toBe(pending.token);
    expect((await readSession(t.ctx, done.token))?.id).toBe(user.id);
    expect(await pendingSignIn(t.ctx, pending.token)).toBeNull();
    expect(await readSession(t.ctx, pending.token)).toBeNull();

    const events = await listAuditEvents(t.ctx, { actor: user.login, action: "auth.two_factor" });
    expect(events[0]).toMatchObject({ outcome: "success" });
    expect(JSON.parse(events[0].detail!)).toMatchObject({ method: "totp" });
  });

  it("refuses a code that was already used, without counting it as a guess", async () => {
    const { user, secret } = await enrolled();
    const used = code(secret, 1);
    await second((await signIn(user)).token, used);
    const again = await signIn(user);
    const replay = await errorOf(second(again.token, used));
    expect(replay.fieldErrors?.code).toBe(CODE_REPLAYED);
    const lock = await t.ctx.db
      .selectFrom("rate_limits")
      .select("count")
      .where("key", "=", `login:staff:${user.login}`)
      .executeTakeFirst();
    expect(Number(lock?.count ?? 0)).toBe(0);
    // The pending session is still there for the next code.
    expect(await pendingSignIn(t.ctx, again.token)).not.toBeNull();
  });

  it("takes a recovery code exactly once", async () => {
    const { user, recovery } = await enrolled();
    const a = await signIn(user);
    const done = await second(a.token, recovery[3].toUpperCase());
    expect((await readSession(t.ctx, done.token))?.id).toBe(user.id);
    const b = await signIn(user);
    expect((await errorOf(second(b.token, recovery[3]))).fieldErrors?.code).toBe(CODE_WRONG);
    expect((await twoFactorStatus(t.ctx, actorOf(user))).recoveryCodesLeft).toBe(9);
    const events = await listAuditEvents(t.ctx, { actor: user.login, action: "auth.two_factor" });
    expect(events.map((e) => e.outcome)).toEqual(["failure", "success"]);
  });

  it("locks the account after five wrong codes; then even the right password fails", async () => {
    const { user, secret } = await enrolled();
    const { token } = await signIn(user);
    for (let i = 0; i < 4; i++)
      expect((await errorOf(second(token, wrongCode(secret)))).code).toBe("VALIDATION");
    const fifth = await errorOf(second(token, wrongCode(secret)));
    expect(fifth.code).toBe("LOCKED");
    expect(fifth.message).toBe(LOGIN_LOCKED);
    expect(await pendingSignIn(t.ctx, token)).toBeNull();

    const locked = await errorOf(signIn(user));
    expect(locked.code).toBe("LOCKED");
    clock.advance(31 * 60 * 1000);
    expect((await signIn(user)).pending).toBe("verify");
    const failures = await listAuditEvents(t.ctx, { actor: user.login, action: "auth.two_factor" });
    expect(failures.filter((e) => e.outcome === "failure")).toHaveLength(5);
  });

  it("checks at most five of 40 wrong codes sent at once", async () => {
    const { user, secret } = await enrolled();
    const { token } = await signIn(user);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () => errorOf(second(token, wrongCode(secret))).then((e) => e.code)),
    );
    expect(outcomes.filter((c) => c === "VALIDATION")).toHaveLength(4);
    expect(outcomes).toContain("LOCKED");
    const failures = await listAuditEvents(t.ctx, { actor: user.login, action: "auth.two_factor" });
    const checked = failures.filter((e) => /"reason":"wrong/.test(String(e.detail)));
    expect(checked).toHaveLength(5);
    expect((await errorOf(signIn(user))).code).toBe("LOCKED");
  });

  it("does not let the password reset the count of wrong codes", async () => {
    const { user, secret } = await enrolled();
    for (let i = 0; i < 4; i++) {
      const { token } = await signIn(user);
      await errorOf(second(token, wrongCode(secret)));
    }
    const { token } = await signIn(user);
    expect((await errorOf(second(token, wrongCode(secret)))).code).toBe("LOCKED");
  });

  it("ends a pending session after five minutes", async () => {
    const { user, secret } = await enrolled();
    const { token } = await signIn(user);
    clock.advance(5 * 60 * 1000 + 1);
    const late = await errorOf(second(token, code(secret, 1)));
    expect(late).toMatchObject({ code: "UNAUTHENTICATED", message: PENDING_EXPIRED });
  });
});

describe("roles that require a second factor", () => {
  it("sends a required role without one to enrol, and the enrolment grants the full session", async () => {
    const office = await createUserRecord(t.ctx, { role: "office" });
    const pending = await signIn(office);
    expect(pending.pending).toBe("enrol");
    expect(await readSession(t.ctx, pending.token)).toBeNull();
    const found = await pendingSignIn(t.ctx, pending.token);
    const secret = (await enrolmentFor(t.ctx, found!.user)).secret.replace(/\s/g, "");
    // A recovery code is no answer while enrolling.
    expect((await errorOf(second(pending.token, "abcde-fghjk"))).code).toBe("VALIDATION");
    const done = await second(pending.token, code(secret));
    expect(done.recoveryCodes).toHaveLength(10);
    expect(done.token).not.toBe(pending.token);
    expect((await readSession(t.ctx, done.token))?.id).toBe(office.id);
    expect((await twoFactorStatus(t.ctx, actorOf(office))).enabled).toBe(true);
    expect((await signIn(office)).pending).toBe("verify");
  });

  it("is admin and office by default; an admin can change it, nobody else", async () => {
    expect(await requiredRoles(t.ctx)).toEqual(["office", "admin"]);
    const admin = await createUserRecord(t.ctx, { role: "admin" });
    const office = await createUserRecord(t.ctx, { role: "office" });
    const county = await createUserRecord(t.ctx, { role: "county" });
    expect((await errorOf(setRequiredRoles(t.ctx, actorOf(office), []))).code).toBe("FORBIDDEN");
    try {
      expect(await setRequiredRoles(t.ctx, actorOf(admin), ["county", "org", "admin"])).toEqual([
        "county",
        "admin",
      ]);
      expect((await signIn(county)).pending).toBe("enrol");
      expect((await signIn(office)).pending).toBeUndefined();
      const [event] = await listAuditEvents(t.ctx, { action: "settings.two_factor_roles" });
      expect(JSON.parse(event.detail!)).toEqual({ before: ["office", "admin"], after: ["county", "admin"] });
    } finally {
      await setRequiredRoles(t.ctx, actorOf(admin), ["office", "admin"]);
    }
  });

  it("never asks an organization for a second factor", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const r = await logIn(t.ctx, actorOf(null), { kind: "org", login: org.login, password: org.password });
    expect(r.pending).toBeUndefined();
    expect((await readSession(t.ctx, r.token))?.id).toBe(org.id);
  });
});
